// Walk-forward: window arithmetic, the search sees only train bars, DSR/PBO per window, and the same result on 1 or 2 workers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createStrategy } from "../../../agents/strategies/registry.ts";
import type { Candle, Strategy } from "../../../agents/strategies/strategy.ts";
import type { Ohlcv } from "../../../experiments/ohlcv.ts";
import { candidates, withParams } from "../../../experiments/backtest/param-space.ts";
import { searchWindow } from "../../../experiments/backtest/search-window.ts";
import { formatWalkForward, runWalkForward, walkForwardTasks, walkForwardWindows, type WalkForwardOptions } from "../../../experiments/backtest/walk-forward.ts";
import { parseWalkForward, rollingWindows, spanBars } from "../../../experiments/backtest/windows.ts";
import { Rng } from "../../../sim/rng.ts";
import { bars, MIN, T0 } from "./helpers.ts";

test("rolling windows: train then test, moved by step, only while the test part fits", () => {
  assert.deepEqual(rollingWindows(100, 50, 20, 20).map((w) => [w.trainStart, w.trainEnd, w.testStart, w.testEnd]), [[0, 50, 50, 70], [20, 70, 70, 90]]);
  assert.deepEqual(rollingWindows(70, 50, 20, 20).length, 1);
  assert.deepEqual(rollingWindows(100, 10, 10, 30).map((w) => w.testStart), [10, 40, 70]);
  assert.throws(() => rollingWindows(69, 50, 20, 20), /train 50 \+ test 20 bars do not fit in the 69 bars/);
  assert.throws(() => rollingWindows(100, 50, 20, 10), /step 10 bars is shorter than test 20 bars/);
  assert.throws(() => rollingWindows(100, 0, 20, 20), /train is 0 bars/);
});

test("--walk-forward parses bar counts and durations (m, h, d, w, mo = 30 d, y = 365 d)", () => {
  assert.deepEqual(parseWalkForward("20000,5000,5000"), { train: { bars: 20000 }, test: { bars: 5000 }, step: { bars: 5000 } });
  const s = parseWalkForward("6mo,1mo,30d");
  const hour = 3_600_000;
  assert.deepEqual([spanBars(s.train, hour), spanBars(s.test, hour), spanBars(s.step, hour)], [6 * 30 * 24, 30 * 24, 30 * 24]);
  assert.equal(spanBars(parseWalkForward("90m,1h,2w").train, MIN), 90);
  assert.equal(spanBars(parseWalkForward("1y,1d,1d").train, 86_400_000), 365);
  for (const bad of ["1,2", "a,b,c", "0,1,1", "1,2,3,4", "6months,1mo,1mo", "1.5d,1d,1d"]) assert.throws(() => parseWalkForward(bad), /--walk-forward/);
});

test("parameter spaces: the grid in a fixed order; random search a seeded subset of it; dotted keys nest", () => {
  const space = { fast: [5, 10], slow: [20, 30, 40] };
  assert.deepEqual(candidates(space, { kind: "grid" }).map((p) => [p.fast, p.slow]), [[5, 20], [5, 30], [5, 40], [10, 20], [10, 30], [10, 40]]);
  const a = candidates(space, { kind: "random", samples: 3, seed: 9 });
  assert.equal(a.length, 3);
  assert.deepEqual(candidates(space, { kind: "random", samples: 3, seed: 9 }), a, "same seed, same sample");
  assert.equal(new Set(a.map((p) => JSON.stringify(p))).size, 3, "distinct points");
  assert.equal(candidates(space, { kind: "random", samples: 50, seed: 1 }).length, 6, "the whole grid when asking for more");
  assert.deepEqual(withParams({ timeframe: "1m", regime: { emaPeriod: 20 } }, { "regime.trendThreshold": 30, fast: 3 }), { timeframe: "1m", regime: { emaPeriod: 20, trendThreshold: 30 }, fast: 3 });
});

function walk(n: number, seed: number): Ohlcv {
  const rng = Rng.root(seed).fork("wf");
  let p = 20_000;
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const o = p;
    const c = o * Math.exp(0.0015 * rng.normal() + 0.0001 * Math.sin(i / 40));
    rows.push([o, Math.max(o, c) * 1.0004, Math.min(o, c) * 0.9996, c]);
    p = c;
  }
  return bars(rows, T0, MIN);
}

const options = (data: Ohlcv, workers: number): WalkForwardOptions => ({
  strategy: "sma-cross", baseParams: { timeframe: "1m" }, pairs: [{ pair: "RW", bars: data }],
  spec: parseWalkForward("1000,500,500"), barMs: MIN, space: { fast: [3, 5, 8], slow: [8, 15, 30] }, search: { kind: "grid" },
  fill: { commission: 0.001, slippage: 0.0005 }, cash: 10_000, risk: null, workers, create: createStrategy, pboBlocks: 8,
});

test("each search task carries copies of its train bars only: nothing at or after its test part", () => {
  const data = walk(3000, 1);
  const o = options(data, 1);
  const { windows, times } = walkForwardWindows(o);
  const tasks = walkForwardTasks(o);
  assert.equal(tasks.length, 4);
  for (const [k, w] of windows.entries()) {
    const b = tasks[k].train[0].bars;
    assert.equal(b.timestamps.length, w.trainEnd - w.trainStart);
    assert.equal(b.timestamps[0], times[w.trainStart]);
    assert.ok(b.timestamps[b.timestamps.length - 1] < times[w.testStart]);
    for (const col of Object.values(b) as Float64Array[]) assert.equal(col.buffer.byteLength, col.length * 8, "no view onto the whole series crosses to the worker");
  }
});

test("the search's strategies see train bars only (a spy factory records every bar they get)", () => {
  const data = walk(3000, 2);
  const o = options(data, 1);
  const { windows, times } = walkForwardWindows(o);
  const task = walkForwardTasks(o)[2];
  let latest = -Infinity;
  let created = 0;
  const spy = (name: string, params: unknown): Strategy => {
    const inner = createStrategy(name, params);
    created++;
    return { name: inner.name, timeframe: inner.timeframe, startupBars: inner.startupBars, exits: inner.exits, update: (b: Candle) => ((latest = Math.max(latest, b.time)), inner.update(b)) };
  };
  const r = searchWindow(task, spy);
  assert.equal(created, r.trials.length);
  assert.equal(r.trials.length + r.refused, 9);
  assert.equal(r.refused, 1, "fast 8 / slow 8 is refused by sma-cross");
  assert.ok(latest < times[windows[2].testStart], "no strategy in the search saw a test bar");
  assert.ok(r.pbo !== null && r.pbo.pbo >= 0 && r.pbo.pbo <= 1, "PBO is reported");
  assert.ok(r.deflatedSharpe === null ? r.dsrNote !== null : r.deflatedSharpe.dsr >= 0 && r.deflatedSharpe.dsr <= 1, "DSR or why not");
});

test("walk-forward gives identical results on 1 and 2 workers, in window order, with targets beside the OOS figures", async () => {
  const data = walk(3000, 3);
  const one = await runWalkForward(options(data, 1));
  const two = await runWalkForward(options(data, 2));
  assert.deepEqual(JSON.parse(JSON.stringify(two.report)), JSON.parse(JSON.stringify(one.report)));
  assert.deepEqual(two.run.equity, one.run.equity);
  assert.deepEqual(one.report.windows.map((w) => w.index), [0, 1, 2, 3]);
  // The test parts stitch: 4 × 500 bars, starting where the first test part starts.
  assert.equal(one.run.time.length, 2000);
  assert.equal(one.run.time[0], data.timestamps[1000]);
  assert.deepEqual(one.report.targets.map((t) => t.metric), ["sharpe", "winRate", "maxDrawdown", "recoveryDays"]);
  const text = formatWalkForward(one.report);
  assert.match(text, /robust estimate/);
  assert.match(text, /sharpe\s+> 1.5/);
  assert.match(text, /recoveryDays\s+< 7 days/);
});
