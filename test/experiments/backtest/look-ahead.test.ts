// Look-ahead: the runner hands a strategy only the bar that just closed, and a signal taken from a bar's close
// can only fill at the next open, so on a random walk even a same-bar "oracle" earns nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Candle, Signal, Strategy } from "../../../agents/strategies/strategy.ts";
import { NO_EXITS } from "../../../agents/strategies/strategy.ts";
import { runBacktest } from "../../../experiments/backtest/runner.ts";
import type { Ohlcv } from "../../../experiments/ohlcv.ts";
import { Rng } from "../../../sim/rng.ts";
import { bars, T0 } from "./helpers.ts";

/**
 * A strategy that tries to cheat: it keeps the object the runner gives it and, on every call,
 * looks for anything beyond the bar just closed: extra arguments, extra fields, a prototype,
 * or a change to the kept object between calls.
 */
class Snoop implements Strategy {
  readonly name = "snoop";
  readonly timeframe = "1m";
  readonly startupBars = 0;
  readonly exits = NO_EXITS;
  kept: Candle | null = null;
  readonly times: number[] = [];
  readonly problems: string[] = [];
  private lastSeen: string | null = null;
  update(bar: Candle, ...rest: unknown[]): Signal {
    if (rest.length > 0) this.problems.push(`extra arguments ${rest.length}`);
    if (Object.keys(bar).join() !== "time,open,high,low,close,volume") this.problems.push(`fields ${Object.keys(bar).join()}`);
    if (Object.getPrototypeOf(bar) !== Object.prototype) this.problems.push("candle has a prototype");
    if (this.kept !== null) {
      if (bar !== this.kept) this.problems.push("a new object per bar");
      // Between calls the kept object still holds the previous bar: nothing moved ahead of time.
    }
    this.lastSeen = JSON.stringify(bar);
    this.kept = bar;
    this.times.push(bar.time);
    return "hold";
  }
  /** What the kept reference shows now, outside a call: still the last bar delivered. */
  peek(): string | null {
    return this.kept === null ? null : JSON.stringify(this.kept);
  }
  get last(): string | null {
    return this.lastSeen;
  }
}

test("a strategy gets one reused Candle holding only the bar that just closed; each bar once, in order", () => {
  const b = bars(Array.from({ length: 50 }, (_, i) => [100 + i, 101 + i, 99 + i, 100.5 + i] as const));
  const s = new Snoop();
  const probes: (string | null)[] = [];
  // A second pair lets us observe the first strategy's kept reference between its own calls.
  const probe: Strategy = {
    name: "probe", timeframe: "1m", startupBars: 0, exits: NO_EXITS,
    update: () => {
      probes.push(s.peek());
      return "hold";
    },
  };
  runBacktest({ pairs: [{ pair: "A", bars: b }, { pair: "B", bars: b }], strategies: [s, probe] });
  assert.deepEqual(s.problems, []);
  assert.deepEqual(s.times, Array.from(b.timestamps));
  // During pair B's call for bar i, A's kept object holds bar i (its own last), never bar i+1.
  for (let i = 0; i < 50; i++) {
    const seen = JSON.parse(probes[i]!) as Candle;
    assert.equal(seen.time, b.timestamps[i]);
    assert.equal(seen.close, b.close[i]);
  }
});

/** A random walk: each bar opens at the previous close, moves by N(0, σ) inside, and closes. */
function randomWalk(n: number, seed: number): Ohlcv {
  const rng = Rng.root(seed).fork("walk");
  const rows: [number, number, number, number][] = [];
  let p = 10_000;
  for (let i = 0; i < n; i++) {
    const open = p;
    const close = open * Math.exp(0.002 * rng.normal());
    rows.push([open, Math.max(open, close) * 1.0005, Math.min(open, close) * 0.9995, close]);
    p = close;
  }
  return bars(rows, T0);
}

/**
 * The classic look-ahead bug, as a "perfect foresight" oracle: it knows whether bar t went up
 * (close > open) and wants to hold exactly the bars that go up. A backtester that applied the
 * signal to the same bar (fill at bar t's open, decided with bar t's close) would earn the sum
 * of every up-move. Here the signal can only fill at bar t+1's open, and on a random walk bar
 * t+1's move is independent of bar t's, so the oracle has no edge.
 */
class SameBarOracle implements Strategy {
  readonly name = "oracle";
  readonly timeframe = "1m";
  readonly startupBars = 0;
  readonly exits = NO_EXITS;
  update(bar: Candle): Signal {
    return bar.close > bar.open ? "enter" : "exit";
  }
}

test("a same-bar oracle that would multiply its money with look-ahead earns nothing through next-open fills", () => {
  const n = 20_000;
  const b = randomWalk(n, 7);
  // What a look-ahead backtest would report: hold every up bar from its open to its close.
  let cheat = 0;
  for (let i = 0; i < n; i++) if (b.close[i] > b.open[i]) cheat += Math.log(b.close[i] / b.open[i]);
  assert.ok(cheat > 10, `the look-ahead figure is enormous (log growth ${cheat.toFixed(1)})`);

  const r = runBacktest({ pairs: [{ pair: "RW", bars: b }], strategies: [new SameBarOracle()], fill: { commission: 0, slippage: 0 } });
  // Log returns of each trade, open-to-open over the bars held: independent of the signal bar.
  const lr = r.trades.map((t) => Math.log(t.exitPrice / t.entryPrice));
  const mean = lr.reduce((a, x) => a + x, 0) / lr.length;
  const sd = Math.sqrt(lr.reduce((a, x) => a + (x - mean) ** 2, 0) / (lr.length - 1));
  const z = mean / (sd / Math.sqrt(lr.length));
  assert.ok(lr.length > 3000, `${lr.length} trades`);
  assert.ok(Math.abs(z) < 3, `mean trade log return ${mean.toExponential(2)} is within noise (z = ${z.toFixed(2)})`);
  assert.ok(Math.abs(Math.log(r.finalEquity / 10_000)) < cheat / 10, `final equity ${r.finalEquity.toFixed(0)} is nowhere near the look-ahead figure`);
});
