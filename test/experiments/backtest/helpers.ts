// Test helpers for the replay: hand-written bars and a scripted strategy.
import { NO_EXITS, type Candle, type ExitRules, type Regime, type Signal, type Strategy } from "../../../agents/strategies/strategy.ts";
import type { Ohlcv } from "../../../experiments/ohlcv.ts";

/** 2023-03-01T00:00:00Z. */
export const T0 = Date.UTC(2023, 2, 1);
export const MIN = 60_000;

/** Bars from [open, high, low, close] rows (volume 1), one every `stepMs` from `t0`. */
export function bars(rows: readonly (readonly [number, number, number, number])[], t0 = T0, stepMs = MIN): Ohlcv {
  const n = rows.length;
  const out = {
    timestamps: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n),
    low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n),
  };
  rows.forEach(([o, h, l, c], i) => {
    out.timestamps[i] = t0 + i * stepMs;
    out.open[i] = o;
    out.high[i] = h;
    out.low[i] = l;
    out.close[i] = c;
    out.volume[i] = 1;
  });
  return out;
}

/**
 * A strategy that answers from a script, one character per bar: "E" enter, "X" exit, anything
 * else hold. Records every bar it was given (copies: the runner reuses its Candle).
 */
export class Scripted implements Strategy {
  readonly name = "scripted";
  readonly timeframe = "1m";
  readonly startupBars = 0;
  readonly seen: Candle[] = [];
  private i = 0;
  constructor(private readonly script: string, readonly exits: ExitRules = NO_EXITS, private readonly regimes?: readonly Regime[]) {}
  update(bar: Candle): Signal {
    this.seen.push({ ...bar });
    const ch = this.script[this.i++];
    return ch === "E" ? "enter" : ch === "X" ? "exit" : "hold";
  }
  regime?(): Regime;
  static withRegimes(script: string, regimes: readonly Regime[]): Scripted {
    const s = new Scripted(script, NO_EXITS, regimes);
    s.regime = () => regimes[Math.max(0, s.seen.length - 1)] ?? "warming-up";
    return s;
  }
}

export function near(actual: number, expected: number, what: string, tol = 1e-9 * Math.max(1, Math.abs(expected))): void {
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`${what}: ${actual} is not ${expected} (±${tol})`);
}
