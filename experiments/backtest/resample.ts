// Resamples OHLCV bars into longer UTC-aligned bars (1m → 5m, 15m, 1h, 4h, 1d, ...).
import type { Ohlcv } from "../ohlcv.ts";

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The timeframes strategies are written for, in increasing length. */
export const TIMEFRAMES = ["1m", "5m", "15m", "1h", "4h", "1d"] as const;

/**
 * Length of a timeframe such as "1m", "15m", "4h", "1d" or "1w", in milliseconds.
 * @throws RangeError naming the value when it is not a positive whole number of minutes, hours,
 *   days or weeks.
 */
export function timeframeMs(tf: string): number {
  const m = /^(\d{1,4})([mhdw])$/.exec(tf);
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[m[2]];
  if (!(ms > 0)) throw new RangeError(`timeframe ${JSON.stringify(tf)} is not a timeframe such as 1m, 5m, 15m, 1h, 4h or 1d`);
  return ms;
}

/**
 * Resamples bars into buckets of `timeframe` aligned on the Unix epoch in UTC (a 1d bar runs
 * 00:00 to 24:00 UTC, a 4h bar starts at 00, 04, 08... UTC). Each output bar: time = the
 * bucket's start, open = first open, high = max high, low = min low, close = last close,
 * volume = sum. A bucket with no source bar is absent (no bar is invented for a gap); a
 * bucket with only some of its source bars (a gap inside it, or the last, partial bucket) is
 * kept with what it has. Source bars must be in strictly increasing time (as loadOhlcv gives).
 * @throws RangeError for a bad timeframe.
 */
export function resample(bars: Ohlcv, timeframe: string): Ohlcv {
  const tf = timeframeMs(timeframe);
  const { timestamps: t, open, high, low, close, volume } = bars;
  const n = t.length;
  let buckets = 0;
  let last = NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(t[i] / tf) * tf;
    if (b !== last) {
      buckets++;
      last = b;
    }
  }
  const out = {
    timestamps: new Float64Array(buckets), open: new Float64Array(buckets), high: new Float64Array(buckets),
    low: new Float64Array(buckets), close: new Float64Array(buckets), volume: new Float64Array(buckets),
  };
  let k = -1;
  last = NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(t[i] / tf) * tf;
    if (b !== last) {
      k++;
      last = b;
      out.timestamps[k] = b;
      out.open[k] = open[i];
      out.high[k] = high[i];
      out.low[k] = low[i];
      out.volume[k] = 0;
    } else {
      if (high[i] > out.high[k]) out.high[k] = high[i];
      if (low[i] < out.low[k]) out.low[k] = low[i];
    }
    out.close[k] = close[i];
    out.volume[k] += volume[i];
  }
  return out;
}

/** Bars `from` (inclusive) to `to` (exclusive) of a series, as views (no copy). */
export function sliceBars(bars: Ohlcv, from: number, to: number): Ohlcv {
  return {
    timestamps: bars.timestamps.subarray(from, to), open: bars.open.subarray(from, to), high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to), close: bars.close.subarray(from, to), volume: bars.volume.subarray(from, to),
  };
}

/** Index of the first bar at or after `time` (bars.length when none), by binary search. */
export function lowerBound(timestamps: Float64Array, time: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timestamps[mid] < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bars with from ≤ time < to, as views (no copy). Times in Unix ms. */
export function sliceTime(bars: Ohlcv, from: number, to: number): Ohlcv {
  return sliceBars(bars, lowerBound(bars.timestamps, from), lowerBound(bars.timestamps, to));
}
