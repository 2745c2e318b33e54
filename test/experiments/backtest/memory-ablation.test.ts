// The memory ablation: each window's memory holds train states only (never the test part's), and a small run gives the table's shape.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ablationJson, formatAblation, runMemoryAblation, windowMemory } from "../../../experiments/backtest/memory-ablation.ts";
import { sliceBars } from "../../../experiments/backtest/resample.ts";
import type { Ohlcv } from "../../../experiments/ohlcv.ts";
import { columns } from "../../agents/memory/memory-fixture.ts";
import { HOUR_MS, randomBars } from "../../agents/strategies/bars.ts";

const BARS: Ohlcv = columns(randomBars(21, 760, 0.012));
const SPEC = { train: { bars: 400 }, test: { bars: 100 }, step: { bars: 120 } };
const FILL = { commission: 0.001, slippage: 0.0005 };

test("a window's memory holds only states of its train bars whose outcome ended before the test part", () => {
  const testStart = 400;
  const m = windowMemory(sliceBars(BARS, 0, testStart), BARS.timestamps[testStart], 10);
  const hits = m.store.exactSearch(Array.from({ length: 128 }, (_, i) => (i === 0 ? 1 : 0.01)), m.states);
  assert.equal(hits.length, m.states);
  assert.equal(m.states, 400 - 240 - 10);
  for (const h of hits) {
    assert.ok((h.payload.time as number) < BARS.timestamps[testStart - 10], `state at ${h.payload.time}`);
    assert.ok((h.payload.end as number) < BARS.timestamps[testStart], `outcome ends at ${h.payload.end}`);
  }
  assert.throws(() => windowMemory(sliceBars(BARS, 0, testStart), BARS.timestamps[testStart - 5], 10), /not before the test part/);
});

test("a small ablation: every strategy plain and with memory, per-window returns, the differences, the printed table", () => {
  const r = runMemoryAblation({ bars: BARS, pair: "test", timeframe: "1h", barMs: HOUR_MS, spec: SPEC, horizonBars: 10, fill: FILL, cash: 10_000, strategies: ["rsi", "sma-cross"] });
  assert.equal(r.windows.length, 3);
  for (const w of r.windows) {
    assert.ok(w.memoryLastEnd < w.testFrom && w.memoryLastTime < w.testFrom, `window ${w.index}`);
    assert.equal(w.memoryStates, 400 - 240 - 10);
  }
  assert.deepEqual(r.rows.map((x) => `${x.strategy}/${x.variant}`), ["rsi/plain", "rsi/memory", "sma-cross/plain", "sma-cross/memory"]);
  for (const x of r.rows) {
    assert.equal(x.windowReturns.length, 3);
    assert.ok(Number.isFinite(x.stitchedReturn) && x.meanReturn.n === 3 && x.meanReturn.lo !== null);
    assert.equal(x.filter === null, x.variant === "plain");
  }
  const rsi = r.diffs.find((d) => d.strategy === "rsi")!;
  const [plain, mem] = r.rows;
  assert.ok(Math.abs(rsi.stitchedReturn - (mem.stitchedReturn - plain.stitchedReturn)) < 1e-12);
  assert.ok(Math.abs(rsi.meanReturn.mean - (mem.meanReturn.mean - plain.meanReturn.mean)) < 1e-12);
  const text = formatAblation(r, "test.csv");
  assert.match(text, /^memory ablation: test\.csv \(1h bars\), walk-forward train 400 \/ test 100 \/ step 120 bars: 3 windows/);
  for (const label of ["rsi ", "memory-rsi ", "sma-cross ", "diff ", "PBO over all 4 configurations"]) assert.ok(text.includes(label), label);
  assert.equal(JSON.parse(JSON.stringify(ablationJson(r))).rows.length, 4);
  assert.deepEqual(runMemoryAblation({ bars: BARS, pair: "test", timeframe: "1h", barMs: HOUR_MS, spec: SPEC, horizonBars: 10, fill: FILL, cash: 10_000, strategies: ["rsi", "sma-cross"] }), r, "deterministic");
});

test("train windows too short for the embedding's warm-up and the horizon are refused, naming --walk-forward", () => {
  assert.throws(() => runMemoryAblation({ bars: BARS, pair: "t", timeframe: "1h", barMs: HOUR_MS, spec: { train: { bars: 250 }, test: { bars: 100 }, step: { bars: 100 } }, horizonBars: 10, fill: FILL, cash: 10_000 }), /^RangeError: --walk-forward: train 250 bars leave no state/);
});
