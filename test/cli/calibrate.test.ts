// `arena calibrate` end to end on a tiny budget: the fitted scenario, the report, the same files on 1 worker or 2; bad flags exit 2 with nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { typeRegistry } from "../../scenarios/build.ts";
import { loadScenarioFile } from "../../scenarios/spec.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const TMP = tempDir("arena-calibrate-cli-");
const TINY = "test/fixtures/calibrate-tiny.json";
/** The first 300 bars of the real 1-minute reference in data/. */
const REAL = "test/fixtures/btcusdt-1m-2023-03-01-300bars.csv";
const [ONE, TWO] = [join(TMP, "w1"), join(TMP, "w2")];
const tiny = (out: string, workers: string) =>
  ["calibrate", "--data", REAL, "--scenario", TINY, "--seeds", "2", "--budget", "2", "--duration", "241m", "--params", "sigmaPerSqrtHour,noise.count", "--workers", workers, "--out", out];

// Bad flags first, then two tiny calibrations: one process (one tsx start-up) for the whole file.
const OUT = join(TMP, "refused");
const notJson = join(TMP, "not-json.json");
writeFileSync(notJson, "{ nope");
const USERS = join(TMP, "users");
mkdirSync(USERS);
writeFileSync(join(USERS, "notes.txt"), "mine\n");
const base = ["calibrate", "--data", REAL, "--scenario", TINY, "--seeds", "2", "--budget", "2", "--duration", "241m"];
const CASES: [string[], RegExp][] = [
  [["calibrate", "--data", REAL, "--scenario", "no-such", "--out", OUT], /--scenario: "no-such" is not a built-in.*nor a \.json file/],
  [["calibrate", "--data", REAL, "--scenario", notJson, "--out", OUT], /--scenario: ".*not-json\.json" is not JSON/],
  [["calibrate", "--data", join(TMP, "missing.csv"), "--scenario", TINY, "--out", OUT], /--data: ".*missing\.csv" does not exist/],
  [[...base, "--budget", "0", "--out", OUT], /--budget: "0" is not an integer of at least 1/],
  [[...base, "--seeds", "1", "--out", OUT], /--seeds: "1" is not an integer of at least 2 \(the moments are weighted by their variance across seeds\)/],
  [[...base, "--duration", "3x", "--out", OUT], /--duration: "3x" is not a positive duration/],
  [[...base, "--duration", "2h", "--out", OUT], /--duration: 7200 s gives fewer than the 241 one-minute bars/],
  [[...base, "--params", "sigma", "--out", OUT], /--params: "sigma" is not a parameter calibrate may move/],
  [[...base, "--params", "momentum.count", "--out", OUT], /--params: "momentum.count" moves the first "momentum" population, and calibrate-tiny has none/],
  [[...base, "--seed", "-1", "--out", OUT], /--seed: "-1" is not a non-negative integer/],
  [[...base, "--out", USERS], /--out: ".*users" holds files arena did not write/],
];
const BATCH = arenaBatch([...CASES.map(([args]) => args), tiny(ONE, "1"), tiny(TWO, "2")]);

test("calibrate writes a scenario arena run loads and a before/after report, byte for byte the same on 1 worker or 2", async () => {
  const [one, two] = [ONE, TWO];
  const r = (await BATCH).slice(CASES.length);
  for (const x of r) assert.equal(x.code, 0, x.stderr);
  for (const f of ["scenario.json", "report.json", "report.md"]) assert.equal(readFileSync(join(one, f), "utf8"), readFileSync(join(two, f), "utf8"), f);
  const spec = await loadScenarioFile(join(one, "scenario.json"), typeRegistry());
  assert.equal(spec.name, "calibrate-tiny");
  const report = JSON.parse(readFileSync(join(one, "report.json"), "utf8"));
  assert.equal(report.evaluations.length, 2);
  assert.deepEqual(report.seeds, [1, 2]);
  assert.deepEqual(report.params.map((p: { name: string }) => p.name), ["sigmaPerSqrtHour", "noise.count"]);
  const after = report.params.find((p: { name: string }) => p.name === "sigmaPerSqrtHour").after;
  assert.equal(spec.fundamental.sigmaPerSqrtHour, after, "scenario.json holds the fitted values");
  for (const side of ["before", "after"]) {
    assert.equal(report.facts[side].length, 17);
    for (const row of report.facts[side]) assert.ok(row.lo <= row.median && row.median <= row.hi, `${side} ${row.key}`);
  }
  assert.equal(report.moments.length, 13);
  assert.match(r[0].stdout, /^calibrate-tiny against btcusdt-1m-2023-03-01-300bars\.csv: 2 candidates × 2 seeds of 241 min/);
  assert.deepEqual([report.dataBars, report.reference], [300, { kind: "whole", bars: 300 }], "the target: the whole file's facts");
  assert.equal(r[0].stdout.split("\n")[1], "real: the whole of btcusdt-1m-2023-03-01-300bars.csv (300 bars)");
  assert.match(r[0].stdout, /\* std of 1-bar returns, %\s+\d\.\d{4}\s/);
  assert.match(r[0].stdout, /within ±30% of real \(median\): \d+\/13 before, \d+\/13 after/);
  assert.match(readFileSync(join(one, "report.md"), "utf8"), /^# Calibration of calibrate-tiny to btcusdt/);
  assert.match(r[0].stderr, /\[4\/4 worlds, 2\/2 candidates\] best objective \d+\.\d{4}\n$/, "progress on stderr");
});

test("bad flags exit 2 naming the flag and value, before anything is written", async () => {
  const r = (await BATCH).slice(0, CASES.length);
  assertRefused(r, CASES);
  assert.equal(existsSync(OUT), false, "nothing written");
  assert.deepEqual(readdirSync(USERS), ["notes.txt"]);
  assert.deepEqual(readdirSync(TMP).filter((n) => n.includes("arena-")), [], "no staging or lock left beside");
});
