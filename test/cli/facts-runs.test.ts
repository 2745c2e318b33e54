// `arena facts --runs`: each fact's median, 95% interval and range across real runs (or a suite's), beside the reference; refusals exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stylizedFacts } from "../../experiments/facts.ts";
import { factsSpread } from "../../experiments/facts-spread.ts";
import { loadOhlcv } from "../../experiments/ohlcv.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const TMP = tempDir("arena-facts-runs-");
const TINY = "test/fixtures/calibrate-tiny.json";
const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";
/** A suite folder as `arena suite` leaves it: suite.json, and the runs under runs/SCENARIO/seed-N. */
const SUITE = join(TMP, "suite");
const runDir = (seed: number) => join(SUITE, "runs", "calibrate-tiny", `seed-${seed}`);

test("facts --runs: the median and interval across two runs, from run folders or their suite folder alike", async () => {
  mkdirSync(SUITE, { recursive: true });
  writeFileSync(join(SUITE, "suite.json"), "{}\n");
  const twoWorlds = join(TMP, "two-worlds");
  for (const s of ["a", "b"]) {
    mkdirSync(join(twoWorlds, "runs", s, "seed-1"), { recursive: true });
    writeFileSync(join(twoWorlds, "runs", s, "seed-1", "summary.json"), "{}");
  }
  writeFileSync(join(twoWorlds, "suite.json"), "{}\n");
  const r = await arenaBatch([
    ["run", TINY, "--seed", "1", "--out", runDir(1)],
    ["run", TINY, "--seed", "2", "--out", runDir(2)],
    ["facts", "--runs", runDir(1), runDir(2), "--json"],
    ["facts", "--runs", SUITE, "--json"],
    ["facts", "--runs", runDir(1), runDir(2)],
    ["facts", "--runs", runDir(1), "--runs", runDir(2), "--ref", REAL, "--json"],
    // Refusals.
    ["facts", "--runs", twoWorlds],
    ["facts", "--runs", runDir(1), SUITE],
    ["facts", "--runs", join(TMP, "nothing-here")],
    ["facts", REAL, "--runs", runDir(1)],
  ]);
  assert.equal(r[0].code, 0, r[0].stderr);
  assert.equal(r[1].code, 0, r[1].stderr);
  const facts = await Promise.all([1, 2].map(async (s) => stylizedFacts(await loadOhlcv(join(runDir(s), "bars.arrow")))));
  const real = stylizedFacts(await loadOhlcv(REAL));
  const expected = factsSpread(facts, real);
  const j = JSON.parse(r[2].stdout);
  assert.deepEqual(j.runs, [runDir(1), runDir(2)]);
  assert.equal(j.ref, "btcusdt-1m-binanceus-2023-03");
  assert.equal(j.facts.length, 17);
  j.facts.forEach((row: Record<string, number | boolean | null>, i: number) => {
    const e = expected[i];
    assert.equal(row.key, e.key);
    assert.equal(row.n, 2);
    for (const k of ["median", "lo", "hi", "min", "max", "ref"] as const) {
      assert.equal(row[k], Number(e[k].toPrecision(4)), `${e.key}.${k}`);
    }
    assert.equal(row.refInRange, e.refInRange);
    assert.equal(row.within, e.within);
  });
  // The median of two runs is their midpoint, the interval 2.5%..97.5% of the way between them.
  const std = [facts[0].stdPct, facts[1].stdPct].sort((x, y) => x - y);
  assert.equal(j.facts[0].median, Number(((std[0] + std[1]) / 2).toPrecision(4)));
  assert.equal(j.facts[0].lo, Number((std[0] + 0.025 * (std[1] - std[0])).toPrecision(4)));
  assert.deepEqual(JSON.parse(r[3].stdout).facts, j.facts, "a suite folder stands for its runs");
  const text = r[4].stdout.split("\n");
  assert.match(text[1], /ref btcusdt-1m-binanceus-2023-03\s+median of 2\s+95% interval\s+range\s+ref in range\s+±30%$/);
  assert.match(text.find((l) => l.startsWith("std of 1-bar returns"))!, /\[\d\.\d{4}, \d\.\d{4}\]\s+\d\.\d{4}\.\.\d\.\d{4}\s+(yes|no)\s+(yes|no)$/);
  const refAsFile = JSON.parse(r[5].stdout);
  assert.equal(refAsFile.ref, REAL.split("/").pop());
  assert.deepEqual(refAsFile.facts.map((f: { median: number }) => f.median), j.facts.map((f: { median: number }) => f.median), "--runs repeated adds runs");
  assertRefused(r.slice(6), [
    [["facts", "--runs", twoWorlds], /--runs: ".*two-worlds" is a suite of 2 scenarios \(a, b\)/],
    [["facts", "--runs", runDir(1), SUITE], /--runs: ".*seed-1" is the run ".*seed-1" again/],
    [["facts", "--runs", "nothing-here"], /--runs: ".*nothing-here" has no summary\.json.*nor a suite folder/],
    [["facts", REAL, "--runs", runDir(1)], /facts: give FILE, --run DIR or --runs DIR\.\.\., one of them/],
  ]);
});
