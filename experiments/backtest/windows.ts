// Walk-forward window arithmetic: "train,test,step" in bars or durations, and the rolling windows over a series.
import { YEAR_MS } from "../metrics/returns.ts";

/** A window length: a bar count, or a duration converted to bars with the series' bar length. */
export type Span = { readonly bars: number } | { readonly ms: number; readonly text: string };

export interface WalkForwardSpec {
  readonly train: Span;
  readonly test: Span;
  readonly step: Span;
}

const DAY = 86_400_000;
/** Units of durations. A month is 30 days and a year 365 days: windows count bars, not calendar dates. */
const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY, mo: 30 * DAY, y: YEAR_MS };

function parseSpan(part: string, name: string, whole: string): Span {
  const s = part.trim();
  if (/^\d{1,9}$/.test(s) && Number(s) > 0) return { bars: Number(s) };
  const m = /^(\d{1,6})(mo|m|h|d|w|y)$/.exec(s);
  if (m !== null && Number(m[1]) > 0) return { ms: Number(m[1]) * UNITS[m[2]], text: s };
  throw new RangeError(`--walk-forward: ${name} ${JSON.stringify(s)} in ${JSON.stringify(whole)} is not a positive bar count (5000) or duration (30m, 12h, 30d, 4w, 6mo, 1y)`);
}

/**
 * Parses "train,test,step". Each part is a bar count ("20000") or a duration with a unit:
 * m minutes, h hours, d days, w weeks, mo months of 30 days, y years of 365 days ("180d",
 * "6mo"). Durations become bars by dividing by the bar length and rounding down.
 * @throws RangeError naming the part and value.
 */
export function parseWalkForward(text: string): WalkForwardSpec {
  const parts = text.split(",");
  if (parts.length !== 3) throw new RangeError(`--walk-forward: ${JSON.stringify(text)} must be three parts "train,test,step", e.g. 6mo,1mo,1mo or 20000,5000,5000`);
  return { train: parseSpan(parts[0], "train", text), test: parseSpan(parts[1], "test", text), step: parseSpan(parts[2], "step", text) };
}

/** Bars in a span for bars `barMs` long (durations round down). */
export function spanBars(span: Span, barMs: number): number {
  return "bars" in span ? span.bars : Math.floor(span.ms / barMs);
}

/** Bar indexes [start, end) of one window's parts. */
export interface Window {
  readonly index: number;
  readonly trainStart: number;
  readonly trainEnd: number;
  /** = trainEnd: the test part follows the train part directly. */
  readonly testStart: number;
  readonly testEnd: number;
}

/**
 * Rolling windows over `n` bars: window k trains on [k·step, k·step + train) and tests on the
 * `test` bars after it; windows are made while the test part fits entirely (a last partial test
 * part is not used). Test parts never overlap, so step ≥ test.
 * @throws RangeError when a length is not a positive integer, step < test, or not one window fits.
 */
export function rollingWindows(n: number, train: number, test: number, step: number): Window[] {
  for (const [name, v] of [["train", train], ["test", test], ["step", step]] as const) {
    if (!(Number.isSafeInteger(v) && v >= 1)) throw new RangeError(`--walk-forward: ${name} is ${v} bars; it must be at least 1 bar`);
  }
  if (step < test) throw new RangeError(`--walk-forward: step ${step} bars is shorter than test ${test} bars; test windows would overlap and count bars twice`);
  if (train + test > n) throw new RangeError(`--walk-forward: train ${train} + test ${test} bars do not fit in the ${n} bars of data`);
  const out: Window[] = [];
  for (let k = 0; k * step + train + test <= n; k++) {
    const trainStart = k * step;
    const trainEnd = trainStart + train;
    out.push({ index: k, trainStart, trainEnd, testStart: trainEnd, testEnd: trainEnd + test });
  }
  return out;
}
