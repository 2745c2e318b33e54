// `arena facts --runs --ref-windows`: the runs against the reference cut into windows of their length, added after the usual output; refusals exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { stylizedFacts } from "../../experiments/facts.ts";
import { loadOhlcv } from "../../experiments/ohlcv.ts";
import { compareToWindows, referenceWindows, windowRowsToJson } from "../../experiments/reference-windows.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const TMP = tempDir("arena-facts-ref-windows-");
const TINY = "test/fixtures/calibrate-tiny.json";
const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";
const SHORT_REF = "test/fixtures/btcusdt-1m-2023-03-01-300bars.csv";
const run = (seed: number) => join(TMP, `seed-${seed}`);

test("facts --runs --ref-windows: windows of the runs' length, the runs against their median; the usual output unchanged before it", async () => {
  const r = await arenaBatch([
    ["run", TINY, "--seed", "1", "--out", run(1)],
    ["run", TINY, "--seed", "2", "--out", run(2)],
    ["run", TINY, "--seed", "3", "--duration", "300m", "--out", run(3)],
    ["facts", "--runs", run(1), run(2), "--json"],
    ["facts", "--runs", run(1), run(2), "--json", "--ref-windows"],
    ["facts", "--runs", run(1), run(2)],
    ["facts", "--runs", run(1), run(2), "--ref-windows"],
    ["facts", "--runs", run(1), run(3), "--ref-windows", "--ref", REAL],
    // Refusals.
    ["facts", REAL, "--ref-windows"],
    ["facts", "--run", run(1), "--ref-windows"],
    ["facts", "--runs", run(1), run(2), "--ref-windows", "--ref", SHORT_REF],
  ]);
  for (const k of [0, 1, 2]) assert.equal(r[k].code, 0, r[k].stderr);
  const facts = await Promise.all([1, 2].map(async (s) => stylizedFacts(await loadOhlcv(join(run(s), "bars.arrow")))));
  assert.deepEqual(facts.map((f) => f.bars), [241, 241]);
  const realBars = await loadOhlcv(REAL);
  const windows = referenceWindows(realBars, 241);

  const plain = JSON.parse(r[3].stdout);
  const j = JSON.parse(r[4].stdout);
  assert.deepEqual(Object.keys(j), ["runs", "ref", "facts", "refWindows"]);
  assert.deepEqual({ runs: j.runs, ref: j.ref, facts: j.facts }, plain, "every field of the usual JSON is kept as it is");
  assert.equal(j.refWindows.bars, 241);
  assert.equal(j.refWindows.count, Math.floor(realBars.close.length / 241));
  assert.deepEqual(j.refWindows.facts, windowRowsToJson(compareToWindows(facts, windows)));
  assert.equal(j.refWindows.facts.length, 17);
  assert.equal(j.refWindows.facts[0].n, windows.length);

  const text = r[6].stdout;
  assert.ok(text.startsWith(r[5].stdout), "the usual table comes first, byte for byte");
  const extra = text.slice(r[5].stdout.length).split("\n");
  assert.match(extra[1], /^ref btcusdt-1m-binanceus-2023-03 cut into 125 windows of 241 bars, the runs' length \(115 bars left over, dropped\)$/);
  assert.match(extra[3], /runs median\s+runs range\s+windows median\s+windows range\s+±30%\s+in runs range$/);
  assert.match(extra.find((l) => l.startsWith("std of 1-bar returns"))!, /\d\.\d{4}\.\.\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\.\.\d\.\d{4}\s+(yes|no)\s+(yes|no)$/);
  assert.ok(extra.every((l) => l.length <= 120), "readable at 120 columns");
  assert.ok(!text.includes("differ in length"));
  assert.match(r[7].stdout, /cut into 125 windows of 241 bars[^\n]*\nthe runs differ in length \(241\.\.300 bars\): windows as long as the shortest\n/);

  assertRefused(r.slice(8), [
    [["facts", REAL, "--ref-windows"], /facts: --ref-windows .*needs --runs DIR\.\.\. \(given FILE ".*\.csv\.gz"\)/],
    [["facts", "--run", run(1), "--ref-windows"], /facts: --ref-windows .*needs --runs DIR\.\.\. \(given --run ".*seed-1"\)/],
    [["facts", "--runs", "--ref", SHORT_REF], /--ref-windows: ref btcusdt-1m-2023-03-01-300bars\.csv: the reference holds 300 bars, 1 window of 241 bars; a spread across windows needs at least 2 \(482 bars\)/],
  ]);
});
