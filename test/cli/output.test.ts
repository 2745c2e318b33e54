// The output rule: which --out folders are refused before any work, and how a staged output replaces the old one.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "../../cli/args.ts";
import { OUTPUT_MARKER, openOutput, outputSiblings, recoverOutput, type OutputRequest } from "../../cli/output.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** Writes `files` into a fresh output folder through the rule, as a command does. */
async function writeOutput(req: OutputRequest, files: Record<string, string>): Promise<void> {
  const out = await openOutput(req);
  await out.write(async (dir) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  });
}

/** openOutput must refuse with a UsageError naming --out, the value and `rule`; nothing it is given changes. */
async function refused(req: OutputRequest, rule: RegExp): Promise<void> {
  await assert.rejects(openOutput(req), (err: unknown) => {
    assert.ok(err instanceof UsageError, `a UsageError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`--out: ${JSON.stringify(req.value)} `), err.message);
    assert.match(err.message, rule);
    return true;
  });
}

/** The folder's entries, sorted, with their text (one level deep). */
const listing = (dir: string) => readdirSync(dir).sort().map((n) => [n, existsSync(join(dir, n)) && !n.startsWith(".") ? readFileSync(join(dir, n), "utf8") : ""]);

test("an --out that is a file is refused, and the file is left as it was", async () => {
  const dir = tempDir("arena-out-");
  writeFileSync(join(dir, "notes.txt"), "mine");
  await refused({ command: "run", value: join(dir, "notes.txt") }, /is a file/);
  await refused({ command: "run", value: join(dir, "notes.txt", "sub") }, /cannot be written: .*notes\.txt is a file/);
  assert.equal(readFileSync(join(dir, "notes.txt"), "utf8"), "mine");
  assert.deepEqual(readdirSync(dir), ["notes.txt"], "no lock or staging left beside it");
});

test("the current folder and its ancestors are refused, however they are spelled", async () => {
  const root = tempDir("arena-out-");
  const cwd = join(root, "work", "here");
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, "keep.txt"), "keep");
  for (const value of [".", "./", cwd, `${cwd}/`, "..", "../..", "sub/../.", root]) {
    await refused({ command: "suite", value, cwd }, /is the current folder or one of its ancestors/);
  }
  assert.deepEqual(readdirSync(cwd), ["keep.txt"]);
  assert.deepEqual(readdirSync(join(root, "work")), ["here"]);
});

test("a folder holding files arena did not write is refused; --force replaces it; an empty one is fine", async () => {
  const dir = tempDir("arena-out-");
  const mine = join(dir, "mine");
  mkdirSync(mine);
  writeFileSync(join(mine, "thesis.tex"), "years of work");
  await refused({ command: "backtest", value: mine }, /holds files arena did not write \(no \.arena-output marker\).*--force/);
  assert.deepEqual(listing(mine), [["thesis.tex", "years of work"]]);
  await writeOutput({ command: "backtest", value: mine, force: true }, { "summary.json": "new" });
  assert.deepEqual(listing(mine), [[OUTPUT_MARKER, ""], ["summary.json", "new"]]);
  const empty = join(dir, "empty");
  mkdirSync(empty);
  await writeOutput({ command: "run", value: empty }, { "summary.json": "fresh" });
  assert.equal(readFileSync(join(empty, "summary.json"), "utf8"), "fresh");
});

test("a rerun replaces its own output whole: no file of the old one survives", async () => {
  const dir = tempDir("arena-out-");
  const out = join(dir, "runs", "suite");
  await writeOutput({ command: "suite", value: out }, { "a.txt": "1", "b.txt": "1" });
  await writeOutput({ command: "suite", value: out }, { "a.txt": "2" });
  assert.deepEqual(listing(out), [[OUTPUT_MARKER, ""], ["a.txt", "2"]]);
  assert.deepEqual(readdirSync(join(dir, "runs")), ["suite"], "no staging, aside copy or lock left beside it");
  assert.deepEqual(JSON.parse(readFileSync(join(out, OUTPUT_MARKER), "utf8")), { generator: "btc-arena", command: "suite" });
});

test("an --out that holds an input, or an input's folder, is refused; one beside or below the inputs is fine", async () => {
  const dir = tempDir("arena-out-");
  const data = join(dir, "data");
  mkdirSync(join(data, "2023"), { recursive: true });
  writeFileSync(join(data, "2023", "btc.csv"), "bars");
  const inputs = [{ flag: "--data", path: join(data, "2023", "btc.csv") }];
  for (const value of [join(data, "2023"), `${join(data, "2023")}/`, data, dir]) {
    await refused({ command: "backtest", value, inputs, cwd: "/" }, /holds the input --data ".*btc\.csv"; --out is replaced whole/);
  }
  // Empty folders are otherwise fine (no marker needed): only the input rule stops these.
  mkdirSync(join(dir, "spare"));
  await refused({ command: "backtest", value: data, inputs: [{ flag: "--risk-config", path: join(data, "rules.json") }], cwd: "/" }, /holds the input --risk-config/);
  await writeOutput({ command: "backtest", value: join(data, "2023", "bt"), inputs, cwd: "/" }, { "summary.json": "ok" });
  await writeOutput({ command: "backtest", value: join(dir, "spare"), inputs, cwd: "/" }, { "summary.json": "ok" });
  assert.equal(readFileSync(join(data, "2023", "btc.csv"), "utf8"), "bars");
});

test("a trailing slash or a .. names the same folder; staging happens beside it, not inside", async () => {
  const dir = tempDir("arena-out-");
  const out = await openOutput({ command: "suite", value: `${dir}/runs/x/../t1/` });
  assert.equal(out.path, join(dir, "runs", "t1"));
  assert.equal(out.dir, outputSiblings(join(dir, "runs", "t1")).staging);
  await out.write(async (d) => writeFileSync(join(d, "suite.json"), "{}"));
  await writeOutput({ command: "suite", value: `${dir}/runs/t1/` }, { "suite.json": "{2}" });
  assert.deepEqual(listing(join(dir, "runs", "t1")), [[OUTPUT_MARKER, ""], ["suite.json", "{2}"]]);
  assert.deepEqual(readdirSync(join(dir, "runs")), ["t1"]);
});

test("an --out that cannot be written is refused before any work", async () => {
  const dir = tempDir("arena-out-");
  // root writes through permission bits, so it is given a folder the kernel itself refuses.
  const root = process.getuid?.() === 0;
  const locked = root ? "/proc" : join(dir, "locked");
  if (!root) {
    mkdirSync(locked);
    chmodSync(locked, 0o555);
  }
  try {
    await refused({ command: "run", value: join(locked, "out") }, /cannot be written/);
    await refused({ command: "run", value: join(locked, "deeper", "out") }, /cannot be written/);
  } finally {
    if (!root) chmodSync(locked, 0o755);
  }
});

test("a failed command leaves the old output as it was, and no staging, lock or new parent folder", async () => {
  const dir = tempDir("arena-out-");
  const out = join(dir, "o");
  await writeOutput({ command: "run", value: out }, { "summary.json": "old" });
  const o = await openOutput({ command: "run", value: out });
  await assert.rejects(o.write(async (d) => {
    writeFileSync(join(d, "summary.json"), "half");
    throw new Error("the run failed");
  }), /the run failed/);
  assert.deepEqual(listing(out), [[OUTPUT_MARKER, ""], ["summary.json", "old"]]);
  assert.deepEqual(readdirSync(dir), ["o"]);
  const deep = await openOutput({ command: "run", value: join(dir, "a", "b", "c") });
  await deep.abandon();
  assert.deepEqual(readdirSync(dir), ["o"], "the parent folders it made are removed again");
});

test("recovery puts back an output whose swap was killed between its renames, and deletes stale copies", async () => {
  const dir = tempDir("arena-out-");
  const out = join(dir, "o");
  await writeOutput({ command: "run", value: out }, { "summary.json": "old" });
  const { aside, staging } = outputSiblings(out);
  // Killed after moving the old output aside, before moving the new one in.
  mkdirSync(staging);
  writeFileSync(join(staging, "summary.json"), "new, maybe partial");
  await import("node:fs/promises").then((fs) => fs.rename(out, aside));
  await writeOutput({ command: "run", value: join(dir, "other") }, {});
  assert.equal(existsSync(out), false);
  const o = await openOutput({ command: "run", value: out });
  assert.deepEqual(listing(out), [[OUTPUT_MARKER, ""], ["summary.json", "old"]], "the old output is back");
  await o.abandon();
  // Killed after moving the new one in, while deleting the old copy.
  mkdirSync(aside);
  writeFileSync(join(aside, "summary.json"), "older");
  await recoverOutput(out);
  assert.deepEqual(readdirSync(dir).sort(), ["o", "other"]);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), "old");
});

test("a lock held by a running process refuses a second writer; one left by a killed process is taken over", async () => {
  const dir = tempDir("arena-out-");
  const out = join(dir, "o");
  const first = await openOutput({ command: "run", value: out });
  await refused({ command: "run", value: out }, /is being written by another arena command \(pid \d+\)/);
  await first.abandon();
  // A lock naming a process that has exited.
  const child = spawn(process.execPath, ["-e", ""]);
  const pid = child.pid!;
  await new Promise((done) => child.on("exit", done));
  writeFileSync(outputSiblings(out).lock, `${pid}\n`);
  await writeOutput({ command: "run", value: out }, { "summary.json": "taken over" });
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), "taken over");
  assert.deepEqual(readdirSync(dir), ["o"]);
});
