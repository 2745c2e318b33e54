// Files that are not bars get one clear message at once: empty, blank, binary, not gzip, special files, damaged Arrow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { loadOhlcv, ohlcvToArrow, OhlcvError, parseOhlcvCsv } from "../../experiments/ohlcv.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TMP = tempDir("arena-ohlcv-files-");
const HEADER = "timestamp,open,high,low,close,volume";
const ROWS = Array.from({ length: 50 }, (_, i) => `${Date.UTC(2023, 2, 1, 0, i)},100,103,99,${100 + (i % 3)},1`);
const ARROW = ohlcvToArrow(parseOhlcvCsv([HEADER, ...ROWS].join("\n")));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(TMP, name);
  writeFileSync(path, bytes);
  return path;
}

/** The one problem a load was refused for, failing when it loaded or threw anything but an OhlcvError. */
async function refusal(path: string): Promise<string> {
  try {
    await loadOhlcv(path);
  } catch (err) {
    assert.ok(err instanceof OhlcvError, `not an OhlcvError: ${String(err)}`);
    assert.equal(err.source, path);
    assert.equal(err.total, 1, err.message);
    assert.ok(err.message.startsWith(`${path}: 1 problem, no bars loaded:\n  file: `), err.message);
    return err.problems[0].rule;
  }
  assert.fail(`${path} loaded`);
}

/** `arena facts PATH` in a child process, killed after `ms`: a reader that never returns fails the test instead of hanging it. */
function factsWithin(path: string, ms: number): Promise<{ status: number | null; stderr: string; killed: boolean }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ["bin/arena.mjs", "facts", path], { cwd: ROOT });
    let stderr = "";
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      p.kill("SIGKILL");
    }, ms);
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stderr, killed });
    });
  });
}

test("an empty file says it is empty, and so does a gzip of nothing", async () => {
  assert.match(await refusal(file("empty.csv", "")), /^is empty \(rule: /);
  assert.match(await refusal(file("empty.csv.gz", gzipSync(""))), /^is empty once decompressed/);
});

test("a file whose first line is blank says so, instead of listing six missing columns", async () => {
  assert.match(await refusal(file("blank.csv", "\n\n  \r\n")), /^has a blank first line where the header belongs/);
});

test("binary content is refused as not CSV text: a NUL byte, or bytes that are not UTF-8", async () => {
  const nul = Buffer.from(`${HEADER}\n${ROWS[0]}\n\0\0\0`);
  assert.match(await refusal(file("nul.csv", nul)), new RegExp(`^is not CSV text: byte ${nul.indexOf(0) + 1} is NUL`));
  assert.match(await refusal(file("nul.csv.gz", gzipSync(nul))), /^is not CSV text: byte \d+ is NUL/);
  const latin1 = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from(`\n${ROWS[0]}\n`)]);
  assert.match(await refusal(file("latin1.csv", latin1)), /^is not CSV text: its first \d+ bytes are not UTF-8 text/);
});

test("a gzip file that is cut short is refused as not valid gzip", async () => {
  const gz = gzipSync([HEADER, ...ROWS].join("\n"));
  assert.match(await refusal(file("cut.csv.gz", gz.subarray(0, gz.length - 12))), /^is not valid gzip \(unexpected end of file\)$/);
});

test("a directory and a FIFO are refused by type, without reading or waiting for a writer", { timeout: 20_000 }, async () => {
  const dir = join(TMP, "a-dir");
  mkdirSync(dir);
  assert.match(await refusal(dir), /^is a directory, not a regular file/);
  const fifo = join(TMP, "a-fifo");
  execFileSync("mkfifo", [fifo]);
  assert.match(await refusal(fifo), /^is a FIFO \(named pipe\), not a regular file/);
});

test("arena facts /dev/zero returns at once with one message, exit code 2", { timeout: 60_000 }, async () => {
  const r = await factsWithin("/dev/zero", 45_000);
  assert.equal(r.killed, false, "arena facts /dev/zero was still running after 45 s");
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, "arena: FILE: /dev/zero: 1 problem, no bars loaded:\n  file: is a character device, not a regular file (rule: a regular file of CSV text with the header timestamp,open,high,low,close,volume, gzipped CSV, or Arrow IPC)\n");
});

test("an Arrow file cut anywhere gives one message naming the file, never the reader's internals", async () => {
  const path = join(TMP, "cut.arrow");
  for (let cut = 6; cut < ARROW.length; cut += 5) {
    writeFileSync(path, ARROW.subarray(0, cut));
    try {
      await loadOhlcv(path);
      assert.fail(`cut at ${cut} loaded`);
    } catch (err) {
      assert.ok(err instanceof OhlcvError, `cut at ${cut}: ${String(err)}`);
      assert.ok(err.message.startsWith(`${path}: 1 problem`), err.message);
      assert.doesNotMatch(err.message, /reading '|undefined|Cannot/, `cut at ${cut}`);
    }
  }
  assert.match(await refusal(file("garbage.arrow", Buffer.concat([Buffer.from("ARROW1\0\0"), Buffer.alloc(300, 7)]))), /^is not a readable Arrow IPC file: it is truncated or corrupt/);
});

test("an Arrow file whose batch marker is damaged is refused promptly (apache-arrow's own loop never ends on it)", { timeout: 60_000 }, async () => {
  const bad = Uint8Array.from(ARROW);
  assert.deepEqual(Array.from(bad.subarray(8, 12)), [0xff, 0xff, 0xff, 0xff], "the first batch's continuation marker sits at byte 8");
  bad[9] = 0xe9;
  const path = file("marker.arrow", bad);
  const r = await factsWithin(path, 45_000);
  assert.equal(r.killed, false, "loading was still running after 45 s");
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /file: is not a readable Arrow IPC file: it is truncated or corrupt/);
  assert.ok(r.stderr.includes(path), r.stderr);
});
