// OHLCV files are read in chunks: any chunk size gives the bars (and refusals) of the whole text, and a file larger than the heap loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { REFERENCE_BARS } from "../../experiments/facts.ts";
import { loadOhlcv, OhlcvError, parseOhlcvCsv, type Ohlcv } from "../../experiments/ohlcv.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TMP = tempDir("arena-ohlcv-stream-");
const KEYS = ["timestamps", "open", "high", "low", "close", "volume"] as const;

function same(a: Ohlcv, b: Ohlcv, what: string): void {
  for (const k of KEYS) {
    assert.ok(a[k] instanceof Float64Array && a[k].length === a[k].buffer.byteLength / 8, `${what}: ${k} is an exact-length Float64Array`);
    assert.deepEqual(Array.from(a[k]), Array.from(b[k]), `${what}: ${k}`);
  }
}

/** The bars, or the refusal's message. */
async function outcome(load: () => Ohlcv | Promise<Ohlcv>): Promise<Ohlcv | string> {
  try {
    return await load();
  } catch (err) {
    assert.ok(err instanceof OhlcvError, String(err));
    return err.message;
  }
}

test("every chunk size gives the bars of the whole text: CRLF, BOM and multi-byte characters split anywhere, plain and gzipped", async () => {
  // "€" is 3 bytes and "😀" 4 in UTF-8; with chunks of 1 to 13 bytes every boundary falls inside each of them and inside each CRLF.
  const text = "\uFEFFtimestamp,open,high,low,close,volume,note\r\n" +
    "2023-03-01T00:00:00Z,100,101,99,100.5,1.5,€\r\n" +
    "2023-03-01T00:01:00Z,100.5,102,100,101,0,😀é\r\n" +
    "2023-03-01T00:02:00Z,101,101.5,98,99,2.25,x€😀\r\n\r\n  \n";
  const whole = parseOhlcvCsv(text, "whole");
  assert.equal(whole.close.length, 3);
  const plain = join(TMP, "split.csv");
  const gz = join(TMP, "split.csv.gz");
  writeFileSync(plain, text);
  writeFileSync(gz, gzipSync(text));
  // A refused value is quoted as written: a split character or a CRLF left half on would show in it.
  const bad = "timestamp,open,high,low,close,volume\r\n2023-03-01T00:00:00Z,100,101,99,100.5,2€\r\n";
  const message = `bad: 1 problem, no bars loaded:\n  row 1, column volume: "2€" is not a number (rule: a finite decimal number)`;
  assert.equal(await outcome(() => parseOhlcvCsv(bad, "bad")), message);
  const badPath = join(TMP, "bad.csv");
  writeFileSync(badPath, bad);
  for (let chunkBytes = 1; chunkBytes <= 13; chunkBytes++) {
    same(await loadOhlcv(plain, { chunkBytes }), whole, `plain, ${chunkBytes}-byte chunks`);
    same(await loadOhlcv(gz, { chunkBytes }), whole, `gzip, ${chunkBytes}-byte chunks`);
    assert.equal(await outcome(() => loadOhlcv(badPath, { chunkBytes })), message.replace("bad:", `${badPath}:`), `${chunkBytes}-byte chunks`);
  }
});

test("a trailing line of non-ASCII whitespace (dropped by the reader, counted by the first pass) still gives exact-length arrays", async () => {
  const text = "timestamp,open,high,low,close,volume\n2023-03-01T00:00:00Z,100,101,99,100.5,1.5\n\u00a0\u3000\n";
  const path = join(TMP, "nbsp.csv");
  writeFileSync(path, text);
  same(await loadOhlcv(path), parseOhlcvCsv(text), "NBSP line");
});

test("property: random files load the same in chunks as whole, bars or refusal alike", async () => {
  const cell = fc.constantFrom("100", "101.5", " 99 ", "1e2", "-1", "abc", "", "0", "NaN", "100.25", "€", "1e400");
  const time = fc.constantFrom("2023-03-01T00:00:00Z", "2023-03-01T00:01:00Z", "1677628920000", "1677628980", "2023-03-01 00:04:00+00:00", "yesterday", "");
  const row = fc.tuple(time, cell, cell, cell, cell, cell).map((r) => r.join(","));
  const good = fc.integer({ min: 0, max: 30 }).map((i) => `${Date.UTC(2023, 2, 1, 0, i)},100,102,99,${100 + (i % 3) / 2},${i}`);
  const file = fc.record({
    rows: fc.array(fc.oneof(good, good, row, fc.constant(""), fc.constant("1,2,3")), { maxLength: 12 }),
    eol: fc.constantFrom("\n", "\r\n"),
    bom: fc.boolean(),
    tail: fc.constantFrom("", "\n", "\n\n", " \r\n"),
    gzip: fc.boolean(),
    chunkBytes: fc.integer({ min: 1, max: 64 }),
  });
  const path = join(TMP, "prop.csv");
  await fc.assert(
    fc.asyncProperty(file, async (f) => {
      const text = (f.bom ? "\uFEFF" : "") + ["timestamp,open,high,low,close,volume", ...f.rows].join(f.eol) + f.tail;
      writeFileSync(path, f.gzip ? gzipSync(text) : text);
      const streamed = await outcome(() => loadOhlcv(path, { chunkBytes: f.chunkBytes }));
      const whole = await outcome(() => parseOhlcvCsv(text, path));
      if (typeof whole === "string") assert.equal(streamed, whole);
      else {
        assert.ok(typeof streamed !== "string", streamed as string);
        same(streamed, whole, JSON.stringify(f));
      }
    }),
    { numRuns: 150, seed: 19 },
  );
});

test("the real BTC/USDT file loads to the values a naive whole-text reading gives", async () => {
  const lines = gunzipSync(readFileSync(REFERENCE_BARS.path)).toString("utf8").trimEnd().split("\n").slice(1);
  const bars = await loadOhlcv(REFERENCE_BARS.path);
  assert.equal(bars.close.length, lines.length);
  lines.forEach((l, i) => {
    const [t, ...v] = l.split(",");
    const got = [bars.timestamps[i], bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]];
    if (got[0] !== Date.parse(t) || v.some((x, k) => Number(x) !== got[k + 1])) assert.fail(`row ${i + 1}: ${l} loaded as ${got.join(",")}`);
  });
});

test("a CSV larger than the whole JavaScript heap loads: the text is never held at once", { timeout: 180_000 }, async () => {
  // 32 MB of heap; the file is about 40 MB, so a reader that held the text as one string would run out.
  const path = join(TMP, "big.csv");
  const out = createWriteStream(path);
  out.write("timestamp,open,high,low,close,volume\n");
  const rows = 620_000;
  for (let i = 0; i < rows; i += 10_000) {
    let block = "";
    for (let j = i; j < i + 10_000; j++) block += `${new Date(Date.UTC(2020, 0, 1) + j * 60_000).toISOString()},20000.5,20010.25,19990.75,${20000 + (j % 7)},1.234567\n`;
    if (!out.write(block)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const script = `const { loadOhlcv } = await import(${JSON.stringify(join(ROOT, "experiments/ohlcv.ts"))});
    const b = await loadOhlcv(process.argv[1]);
    console.log(JSON.stringify([b.close.length, b.timestamps[b.close.length - 1], b.close[b.close.length - 1]]));`;
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
    const p = spawn(process.execPath, ["--max-old-space-size=32", "--import", "tsx", "--input-type=module", "-e", script, path], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => done({ status, stdout, stderr }));
  });
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  assert.deepEqual(JSON.parse(r.stdout), [rows, Date.UTC(2020, 0, 1) + (rows - 1) * 60_000, 20000 + ((rows - 1) % 7)]);
});
