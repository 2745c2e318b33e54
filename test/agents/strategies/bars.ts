// Fixtures for the strategy tests: bars from closes, seeded random walks, and running a strategy the way the runner does.
import type { Candle, Signal, Strategy } from "../../../agents/strategies/strategy.ts";
import { Rng } from "../../../sim/rng.ts";

export const HOUR_MS = 3_600_000;

export interface BarOptions {
  /** Half the bar's range around its body, as a fraction of the close (default 0.002). */
  readonly wick?: number;
  /** Volume of every bar, or per bar (default 100). */
  readonly volume?: number | readonly number[];
  /** Time of the first bar in Unix ms (default 0). */
  readonly start?: number;
}

/** Hourly bars with the given closes: open at the previous close, a small wick either side. */
export function barsFromCloses(closes: readonly number[], opts: BarOptions = {}): Candle[] {
  const wick = opts.wick ?? 0.002;
  const start = opts.start ?? 0;
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1];
    const volume = typeof opts.volume === "object" ? opts.volume[i] : (opts.volume ?? 100);
    return { time: start + i * HOUR_MS, open, high: Math.max(open, close) * (1 + wick), low: Math.min(open, close) * (1 - wick), close, volume };
  });
}

/** Closes of a geometric walk: `n` steps of `drift` per bar plus Gaussian noise of `sd`, from `start`. */
export function walk(seed: number, n: number, opts: { start?: number; drift?: number; sd?: number } = {}): number[] {
  const rng = Rng.root(seed).fork("test/strategies/walk");
  const out: number[] = [];
  let p = opts.start ?? 30_000;
  for (let i = 0; i < n; i++) {
    p *= Math.exp((opts.drift ?? 0) + rng.normal(0, opts.sd ?? 0.01));
    out.push(p);
  }
  return out;
}

/** Random bars: a walk with random wicks and lognormal volume. */
export function randomBars(seed: number, n: number, sd = 0.01): Candle[] {
  const rng = Rng.root(seed).fork("test/strategies/bars");
  const closes = walk(seed, n, { sd });
  return barsFromCloses(closes, { wick: 0.003, volume: closes.map(() => 100 * Math.exp(rng.normal(0, 0.6))) }).map((b) => ({
    ...b,
    high: b.high * (1 + Math.abs(rng.normal(0, 0.002))),
    low: b.low * (1 - Math.abs(rng.normal(0, 0.002))),
  }));
}

/** Feeds `bars` through one reused Candle object, as the runner does; the signal of each bar. */
export function signals(strategy: Strategy, bars: readonly Candle[]): Signal[] {
  const bar: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  return bars.map((b) => {
    Object.assign(bar, b);
    return strategy.update(bar);
  });
}

/** Indices at which `sig` occurs. */
export function where(sigs: readonly string[], sig: string): number[] {
  const out: number[] = [];
  sigs.forEach((s, i) => {
    if (s === sig) out.push(i);
  });
  return out;
}

/** n copies of x. */
export function rep<T>(x: T, n: number): T[] {
  return Array.from({ length: n }, () => x);
}

/** Closes going from `from` by a constant factor per bar for `n` bars (the first is from·step). */
export function trend(from: number, step: number, n: number): number[] {
  const out: number[] = [];
  let p = from;
  for (let i = 0; i < n; i++) out.push((p *= step));
  return out;
}

/**
 * Bars following `path` (the noiseless closes) with Gaussian noise of `sd` on each close and
 * on each wick, hourly, volume ~100 (lognormal) unless `volume(i, noiseVolume)` says otherwise.
 */
export function noisyBars(path: readonly number[], seed: number, opts: { sd?: number; volume?: (i: number, noiseVolume: number) => number } = {}): Candle[] {
  const rng = Rng.root(seed).fork("test/strategies/noisy");
  const sd = opts.sd ?? 0.002;
  let prev = path[0];
  return path.map((p, i) => {
    const close = p * Math.exp(rng.normal(0, sd));
    const open = prev;
    prev = close;
    const high = Math.max(open, close) * (1 + Math.abs(rng.normal(0, sd)));
    const low = Math.min(open, close) * (1 - Math.abs(rng.normal(0, sd)));
    const noiseVolume = 100 * Math.exp(rng.normal(0, 0.2));
    return { time: i * HOUR_MS, open, high, low, close, volume: opts.volume ? opts.volume(i, noiseVolume) : noiseVolume };
  });
}
