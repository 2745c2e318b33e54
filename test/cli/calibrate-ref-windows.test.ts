// `arena calibrate --ref-windows`: the real target is each fact's median across the data cut into windows as long as the runs, and the report says so; refusals exit 2 with nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stylizedFacts } from "../../experiments/facts.ts";
import { FACT_KEYS } from "../../experiments/facts-spread.ts";
import { loadOhlcv } from "../../experiments/ohlcv.ts";
import { medianFacts, referenceWindows } from "../../experiments/reference-windows.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const TMP = tempDir("arena-calibrate-ref-windows-");
const TINY = "test/fixtures/calibrate-tiny.json";
/** 21 days of real 1-minute bars: 125 windows of 241 bars. */
const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";
/** 300 real 1-minute bars: one window of 241. */
const SHORT = "test/fixtures/btcusdt-1m-2023-03-01-300bars.csv";
/** The same 300 bars relabelled 5 minutes apart. */
const FIVE_MIN = join(TMP, "btcusdt-5m.csv");
const [header, ...rows] = readFileSync(SHORT, "utf8").trimEnd().split("\n");
const two = (n: number) => String(n).padStart(2, "0");
const at = (min: number) => `2023-03-${two(1 + Math.floor(min / 1440))}T${two(Math.floor(min / 60) % 24)}:${two(min % 60)}:00Z`;
writeFileSync(FIVE_MIN, [header, ...rows.map((r, i) => `${at(5 * i)}${r.slice(r.indexOf(","))}`)].join("\n") + "\n");

const OUT = join(TMP, "out");
const REFUSED = join(TMP, "refused");
const tiny = ["--scenario", TINY, "--seeds", "2", "--budget", "1", "--duration", "241m", "--params", "sigmaPerSqrtHour", "--workers", "1"];
const CASES: [string[], RegExp][] = [
  [["calibrate", "--data", SHORT, ...tiny, "--ref-windows", "--out", REFUSED], /--ref-windows: --data "btcusdt-1m-2023-03-01-300bars\.csv" cut into windows of --duration 241 min: the reference holds 300 bars, 1 window of 241 bars; a spread across windows needs at least 2 \(482 bars\)/],
  [["calibrate", "--data", REAL, ...tiny, "--duration", "11d", "--ref-windows", "--out", REFUSED], /--ref-windows: --data "btcusdt-1m-binanceus-.*\.csv\.gz" cut into windows of --duration 15840 min: the reference holds \d+ bars, 1 window of 15840 bars; a spread across windows needs at least 2 \(31680 bars\)/],
  [["calibrate", "--data", FIVE_MIN, ...tiny, "--ref-windows", "--out", REFUSED], /--ref-windows: --data "btcusdt-5m\.csv" has bars 300 s apart .*the data must be 1-minute bars/],
];
const BATCH = arenaBatch([["calibrate", "--data", REAL, ...tiny, "--ref-windows", "--out", OUT], ...CASES.map(([args]) => args)]);

test("--ref-windows: the target is each fact's median across windows of the runs' length, and the report names it", async () => {
  const [r] = await BATCH;
  assert.equal(r.code, 0, r.stderr);
  const bars = await loadOhlcv(REAL);
  const windows = referenceWindows(bars, 241);
  const median = medianFacts(windows);
  const whole = stylizedFacts(bars);
  const report = JSON.parse(readFileSync(join(OUT, "report.json"), "utf8"));
  assert.deepEqual(report.reference, { kind: "windows", windows: 125, bars: 241 });
  assert.equal(report.dataBars, bars.close.length, "dataBars still counts the file's bars");
  const real = (key: string) => FACT_KEYS.find((k) => k.key === key)!.get;
  for (const m of report.moments) assert.equal(m.real, Number(real(m.key)(median).toPrecision(6)), m.key);
  for (const side of ["before", "after"]) {
    for (const row of report.facts[side]) assert.equal(row.ref, Number(real(row.key)(median).toPrecision(4)), `${side} ${row.key}`);
  }
  const k60 = report.moments.find((m: { key: string }) => m.key === "kurtosis.60").real;
  assert.notEqual(k60, Number(whole.kurtosis["60"].toPrecision(6)), "not the whole file's kurtosis");
  const line = "real: median of 125 windows of 241 bars of btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz (the runs' length)";
  assert.equal(r.stdout.split("\n")[1], line);
  assert.ok(readFileSync(join(OUT, "report.md"), "utf8").includes(`\n${line}.\n`));
});

test("--ref-windows refused (exit 2, naming it and the numbers) when the data holds fewer than 2 windows or is not 1-minute bars; nothing written", async () => {
  assertRefused((await BATCH).slice(1), CASES);
  assert.equal(existsSync(REFUSED), false, "nothing written");
  assert.deepEqual(readdirSync(TMP).filter((n) => n.includes("arena-")), [], "no staging or lock left beside");
});
