// Suite report regime band: spans from a strategy bot's change points, the chart in report.html and as a PNG.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "vega-lite";
import { tempDir } from "../helpers/temp-dir.ts";
import { chartSpecs, regimeSpans, renderHtml, runEndMs, writeReport, type SuiteReportInput } from "../../experiments/report/index.ts";

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
/** Equity is sampled at minutes 0..180 inclusive, as BotResults samples up to the run's last instant. */
const END = T0 + 180 * MIN;

const ENSEMBLE = [
  { time: T0, regime: "warming-up" },
  { time: T0 + 40 * MIN, regime: "ranging" },
  { time: T0 + 90 * MIN, regime: "crisis" },
  { time: T0 + 120 * MIN, regime: "trending-down" },
];

function input(regimes: boolean): SuiteReportInput {
  const equity = Array.from({ length: 181 }, (_, i) => ({ t: T0 + i * MIN, value: 10_000 - i }));
  const bot = (name: string, changes?: typeof ENSEMBLE) => ({
    name, equity, maxDrawdownPct: 2, survived: true, blown: false, returnPct: -1.8, ...(changes === undefined ? {} : { regimes: changes }),
  });
  return {
    title: "regimes",
    generator: "btc-arena test",
    criteria: { maxDrawdownPct: 15 },
    scenarios: [{
      name: "crash",
      description: "A fall at minute 90.",
      shocks: [{ atMs: T0 + 90 * MIN, label: "crash" }],
      runs: [{
        seed: 1,
        digest: "d".repeat(64),
        price: Array.from({ length: 180 }, (_, i) => ({ t: T0 + i * MIN, close: i < 90 ? 30_000 : 21_000 })),
        book: [],
        bots: regimes
          // A strategy with no regime detection records an empty list: it gets no row.
          ? [bot("hodl"), bot("sma-cross", []), bot("ensemble", ENSEMBLE), bot("regime", [{ time: T0, regime: "volatile" }])]
          : [bot("hodl"), bot("sma-cross", [])],
      }],
    }],
  };
}

test("regime spans: each label holds until the next change, the last until the run's end", () => {
  assert.deepEqual(regimeSpans(ENSEMBLE, END), [
    { start: T0, end: T0 + 40 * MIN, regime: "warming-up" },
    { start: T0 + 40 * MIN, end: T0 + 90 * MIN, regime: "ranging" },
    { start: T0 + 90 * MIN, end: T0 + 120 * MIN, regime: "crisis" },
    { start: T0 + 120 * MIN, end: END, regime: "trending-down" },
  ]);
  // One change: one span over the whole run; a change at the very end adds nothing; none gives none.
  assert.deepEqual(regimeSpans([{ time: T0, regime: "ranging" }, { time: END, regime: "crisis" }], END), [{ start: T0, end: END, regime: "ranging" }]);
  assert.deepEqual(regimeSpans([], END), []);
});

test("the run's end is its last sample (equity at the last instant), not the last bar's open", () => {
  assert.equal(runEndMs(input(true).scenarios[0].runs[0]), END);
});

test("a strategy bot that recorded regimes gives a regime band under the price, a row per such bot, compiling cleanly", () => {
  const specs = chartSpecs(input(true));
  assert.deepEqual(specs.map((s) => s.chart), ["price", "regime", "equity", "drawdown", "liquidity"]);
  const spec = specs[1].spec as unknown as { layer: { data: { values: { bot: string; regime: string; minute: number; minute2: number }[] } }[] };
  const rows = spec.layer[0].data.values;
  assert.deepEqual([...new Set(rows.map((r) => r.bot))], ["ensemble", "regime"]);
  assert.deepEqual(
    rows.filter((r) => r.bot === "ensemble").map((r) => [r.regime, r.minute, r.minute2]),
    [["warming-up", 0, 40], ["ranging", 40, 90], ["crisis", 90, 120], ["trending-down", 120, 180]],
  );
  assert.deepEqual(rows.filter((r) => r.bot === "regime").map((r) => [r.regime, r.minute, r.minute2]), [["volatile", 0, 180]]);
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a);
  try {
    assert.ok(compile(specs[1].spec).spec.marks);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
});

test("report.html has the regime chart when a strategy bot recorded regimes, and none otherwise", () => {
  assert.match(renderHtml(input(true)), /<div class="chart" id="chart-1" data-chart="crash-regime"><\/div>/);
  assert.ok(!renderHtml(input(false)).includes("crash-regime"));
  assert.ok(!chartSpecs(input(false)).some((s) => s.chart === "regime"));
});

test("the PNG export writes the regime chart beside the others", async () => {
  const dir = tempDir("arena-regimes-");
  const paths = await writeReport(dir, input(true));
  assert.ok(paths.pngs.some((p) => p.endsWith("crash-regime.png")), paths.pngs.join(", "));
  const png = readFileSync(join(dir, "charts", "crash-regime.png"));
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});
