// `arena facts` end to end: JSON keys for the real file, a run beside the reference, and refusals with exit code 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadOhlcv, ohlcvToArrow, type Ohlcv } from "../../experiments/ohlcv.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TMP = mkdtempSync(join(tmpdir(), "arena-facts-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));
const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function arena(args: readonly string[]): Promise<Result> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ["bin/arena.mjs", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => done({ status, stdout, stderr }));
  });
}

test("facts FILE --json prints one object with exactly the contracted keys", async () => {
  const r = await arena(["facts", REAL, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split("\n").length, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ["bars", "stdPct", "kurtosis", "acf", "absAcf", "hill", "volumeAbsCorr"]);
  assert.deepEqual(Object.keys(j.kurtosis).sort(), ["1", "10", "5", "60"].sort());
  assert.deepEqual(Object.keys(j.acf).sort(), ["1", "2", "3", "4", "5"]);
  assert.deepEqual(Object.keys(j.absAcf).sort(), ["1", "10", "30", "5", "60"]);
  assert.equal(j.bars, 30_240);
  assert.ok(Number.isInteger(j.bars));
  for (const v of [j.stdPct, j.hill, j.volumeAbsCorr, ...Object.values(j.kurtosis), ...Object.values(j.acf), ...Object.values(j.absAcf)]) {
    assert.equal(typeof v, "number");
  }
  assert.ok(Math.abs(j.kurtosis["1"] - 28.6) < 0.1);
});

test("facts --run DIR prints the run's bars.arrow beside the real reference", async () => {
  const real = await loadOhlcv(join(ROOT, REAL));
  const n = 600;
  const part = Object.fromEntries(Object.entries(real).map(([k, v]) => [k, (v as Float64Array).slice(0, n)])) as unknown as Ohlcv;
  const dir = join(TMP, "run");
  mkdirSync(dir);
  writeFileSync(join(dir, "bars.arrow"), ohlcvToArrow(part));
  const r = await arena(["facts", "--run", dir]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0], /run .*run\s+ref btcusdt-1m-binanceus-2023-03$/);
  assert.match(lines.find((l) => l.startsWith("bars"))!, /\s600\s+30240$/);
  assert.ok(lines.some((l) => /^acf of \|returns\|, lag 60\s/.test(l)));
  const j = JSON.parse((await arena(["facts", "--run", dir, "--json"])).stdout);
  assert.equal(j.bars, n, "--json reports the run, not the reference");
});

test("refusals exit 2 with a message naming the flag and the value", async () => {
  const bad = join(TMP, "bad.csv");
  writeFileSync(bad, "timestamp,open,high,low,close,volume\n2023-03-01T00:00:00Z,100,99,98,100,1\n");
  const cases: [string[], string[]][] = [
    [["facts"], ["FILE", "--run"]],
    [["facts", "no-such.csv"], ["FILE", "no-such.csv", "does not exist"]],
    [["facts", bad, "--json"], ["FILE", "bad.csv", "row 1, column high", "high >= max(open, close)"]],
    [["facts", "--run", join(TMP, "no-run")], ["--run", "no-run", "bars.arrow"]],
    [["facts", REAL, "--ref", "missing-ref.csv"], ["--ref", "missing-ref.csv"]],
  ];
  const results = await Promise.all(cases.map(([args]) => arena(args)));
  results.forEach((r, i) => {
    assert.equal(r.status, 2, `${cases[i][0].join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    for (const s of cases[i][1]) assert.ok(r.stderr.includes(s), `stderr "${r.stderr}" names ${s}`);
  });
});
