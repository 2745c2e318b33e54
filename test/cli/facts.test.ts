// `arena facts` end to end: JSON keys for the real file, a run beside the reference, and refusals with exit code 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  writeFileSync(join(dir, "summary.json"), JSON.stringify({ files: ["bars.arrow", "summary.json"], rows: { bars: n } }));
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
    [["facts", "--run", join(TMP, "no-run")], ["--run", "no-run", "has no summary.json"]],
    [["facts", REAL, "--ref", "missing-ref.csv"], ["--ref", "missing-ref.csv"]],
  ];
  const results = await Promise.all(cases.map(([args]) => arena(args)));
  results.forEach((r, i) => {
    assert.equal(r.status, 2, `${cases[i][0].join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    for (const s of cases[i][1]) assert.ok(r.stderr.includes(s), `stderr "${r.stderr}" names ${s}`);
  });
});

test("facts --run refuses a folder whose files belong to different runs, naming the file", async () => {
  const runs = ["seed-1", "seed-2"].map((d) => join(TMP, d));
  const made = await Promise.all(runs.map((out, i) => arena(["run", "smoke", "--seed", String(i + 1), "--duration", "3m", "--out", out])));
  for (const r of made) assert.equal(r.status, 0, r.stderr);
  const [one, two] = runs;
  /** A copy of run one with some files replaced, as a rerun killed mid-write used to leave. */
  const mixed = (name: string, change: (dir: string) => void) => {
    const dir = join(TMP, name);
    cpSync(one, dir, { recursive: true });
    change(dir);
    return dir;
  };
  const legacy = (dir: string) => {
    // A summary.json written before fileBytes and sha256: rows alone tell the runs apart.
    const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    delete s.fileBytes;
    delete s.sha256;
    writeFileSync(join(dir, "summary.json"), JSON.stringify(s));
  };
  const cases: [string, string[]][] = [
    [mixed("other-trades", (d) => copyFileSync(join(two, "trades.arrow"), join(d, "trades.arrow"))), ["trades.arrow", "bytes", "mixes files of different runs"]],
    [mixed("empty-orders", (d) => writeFileSync(join(d, "orders.arrow"), "")), ["orders.arrow", "0 bytes"]],
    [mixed("other-bars", (d) => copyFileSync(join(two, "bars.arrow"), join(d, "bars.arrow"))), ["bars.arrow", "sha256"]],
    [mixed("legacy-other-l1", (d) => { legacy(d); copyFileSync(join(two, "l1.arrow"), join(d, "l1.arrow")); }), ["l1.arrow", "rows where summary.json counts"]],
    [mixed("legacy-cut-l2", (d) => { legacy(d); writeFileSync(join(d, "l2.arrow"), readFileSync(join(d, "l2.arrow")).subarray(0, 1000)); }), ["l2.arrow", "does not end like an Arrow IPC file"]],
    [mixed("missing-l2", (d) => rmSync(join(d, "l2.arrow"))), ["l2.arrow", "listed in summary.json, cannot be read"]],
  ];
  const results = await Promise.all(cases.map(([dir]) => arena(["facts", "--run", dir])));
  results.forEach((r, i) => {
    assert.equal(r.status, 2, `${cases[i][0]}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    for (const s of ["--run", cases[i][0], ...cases[i][1]]) assert.ok(r.stderr.includes(s), `stderr "${r.stderr}" names ${s}`);
  });
  const whole = await Promise.all([one, mixed("legacy-whole", legacy)].map((dir) => arena(["facts", "--run", dir, "--json"])));
  for (const r of whole) assert.equal(r.status, 0, r.stderr);
});
