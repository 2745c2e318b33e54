// Stylized facts of a price series (fat tails, volatility clustering, volume/volatility link), for realism checks.
import { fileURLToPath } from "node:url";
import { mean, sampleCorrelation, sampleStandardDeviation, sumNthPowerDeviations } from "simple-statistics";
import type { Ohlcv } from "./ohlcv.ts";

/** Horizons (in bars) of the kurtosis of aggregated returns. */
export const KURTOSIS_HORIZONS = [1, 5, 10, 60] as const;
/** Lags of the autocorrelation of returns. */
export const ACF_LAGS = [1, 2, 3, 4, 5] as const;
/** Lags of the autocorrelation of absolute returns. */
export const ABS_ACF_LAGS = [1, 5, 10, 30, 60] as const;
/** Share of the largest |r| the Hill estimator uses. */
export const HILL_FRACTION = 0.02;
/**
 * Fewest bars for which every fact is computed: the longest kurtosis horizon needs 4 windows of
 * returns (excessKurtosis's minimum), which also covers the longest lag and the Hill tail.
 * Below it some facts are NaN and the others too noisy to mean anything.
 */
export const MIN_FACTS_BARS = 4 * Math.max(...KURTOSIS_HORIZONS) + 1;

/** A warning for bars too few for the facts (see MIN_FACTS_BARS), or null when there are enough. */
export function factsTooFew(name: string, bars: number): string | null {
  if (bars >= MIN_FACTS_BARS) return null;
  const h = Math.max(...KURTOSIS_HORIZONS);
  return `${name} holds ${bars} ${bars === 1 ? "bar" : "bars"}, fewer than the ${MIN_FACTS_BARS} the facts need (4 windows of ${h}-bar returns): the figures are meaningless`;
}

type ByKey<K extends number> = { readonly [P in `${K}`]: number };

/**
 * The stylized facts of one series of bars, all on log returns of closes. A value that cannot
 * be computed (too few returns for a lag or horizon, zero variance) is NaN.
 */
export interface Facts {
  /** Number of bars (returns are one fewer). */
  readonly bars: number;
  /** Sample standard deviation (n − 1) of 1-bar log returns, in percent. */
  readonly stdPct: number;
  /** Excess kurtosis of k-bar returns (non-overlapping windows), by k. */
  readonly kurtosis: ByKey<(typeof KURTOSIS_HORIZONS)[number]>;
  /** Autocorrelation of 1-bar returns, by lag. */
  readonly acf: ByKey<(typeof ACF_LAGS)[number]>;
  /** Autocorrelation of |1-bar returns|, by lag. */
  readonly absAcf: ByKey<(typeof ABS_ACF_LAGS)[number]>;
  /** Hill tail index of |r| on the largest HILL_FRACTION of them. */
  readonly hill: number;
  /** Pearson correlation of bar volume with |r| of the same bar. */
  readonly volumeAbsCorr: number;
}

/** Log returns r_t = ln(C_t / C_{t−1}), t = 1..n−1; `r[0]` is the return into bar 1. */
export function logReturns(close: ArrayLike<number>): number[] {
  const r: number[] = new Array(Math.max(0, close.length - 1));
  for (let t = 1; t < close.length; t++) r[t - 1] = Math.log(close[t] / close[t - 1]);
  return r;
}

/**
 * k-bar returns: sums of k consecutive 1-bar log returns over non-overlapping windows
 * starting at the first return; a last incomplete window is dropped.
 */
export function aggregateReturns(r: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + k <= r.length; s += k) {
    let sum = 0;
    for (let j = s; j < s + k; j++) sum += r[j];
    out.push(sum);
  }
  return out;
}

/**
 * Excess kurtosis from population moments: m4 / m2² − 3, where mj = (1/n) Σ (x − x̄)^j
 * (no small-sample correction). NaN with fewer than 4 values or zero variance.
 */
export function excessKurtosis(x: readonly number[]): number {
  if (x.length < 4) return NaN;
  const s2 = sumNthPowerDeviations(x, 2);
  if (!(s2 > 0)) return NaN;
  const s4 = sumNthPowerDeviations(x, 4);
  return (x.length * s4) / (s2 * s2) - 3;
}

/**
 * Sample autocorrelation at `lag`: Σ_{t=1..n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_{t=1..n} (x_t − x̄)²,
 * the standard (biased, Box–Jenkins) estimator with the full-sample mean and variance.
 * NaN when lag ≥ n or the variance is zero.
 */
export function autocorrelation(x: readonly number[], lag: number): number {
  const n = x.length;
  if (lag >= n || n < 2) return NaN;
  const m = mean(x);
  let den = 0;
  for (let t = 0; t < n; t++) den += (x[t] - m) * (x[t] - m);
  if (!(den > 0)) return NaN;
  let num = 0;
  for (let t = 0; t + lag < n; t++) num += (x[t] - m) * (x[t + lag] - m);
  return num / den;
}

/**
 * Hill estimator of the tail index α of positive values: sort descending X_(1) ≥ X_(2) ≥ …,
 * take k = floor(fraction · n) order statistics and return 1 / ((1/k) Σ_{i=1..k} ln(X_(i) / X_(k+1))),
 * the threshold being the (k+1)-th largest value (the classic Hill 1975 form). NaN when k < 1
 * or the threshold is not positive.
 */
export function hillIndex(x: readonly number[], fraction = HILL_FRACTION): number {
  const sorted = Float64Array.from(x).sort().reverse();
  const k = Math.floor(fraction * sorted.length);
  if (k < 1 || k >= sorted.length) return NaN;
  const threshold = sorted[k];
  if (!(threshold > 0)) return NaN;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.log(sorted[i] / threshold);
  return sum > 0 ? k / sum : NaN;
}

/** Pearson correlation (simple-statistics' sampleCorrelation); NaN for n < 2 or a constant series. */
export function correlation(x: readonly number[], y: readonly number[]): number {
  if (x.length < 2) return NaN;
  const c = sampleCorrelation(x as number[], y as number[]);
  return Number.isFinite(c) ? c : NaN;
}

function byKey<K extends number>(keys: readonly K[], f: (k: K) => number): ByKey<K> {
  return Object.fromEntries(keys.map((k) => [String(k), f(k)])) as ByKey<K>;
}

/**
 * The stylized facts of bars (see `Facts`), on log returns of closes taken bar to bar in file
 * order; gaps in time are not filled. `volumeAbsCorr` pairs the volume of bar t with |r_t|,
 * the return that ends at bar t's close.
 */
export function stylizedFacts(bars: Pick<Ohlcv, "close" | "volume">): Facts {
  const r = logReturns(bars.close);
  const abs = r.map(Math.abs);
  const vol = Array.from(bars.volume.subarray(1));
  return {
    bars: bars.close.length,
    stdPct: r.length >= 2 ? sampleStandardDeviation(r) * 100 : NaN,
    kurtosis: byKey(KURTOSIS_HORIZONS, (k) => excessKurtosis(aggregateReturns(r, k))),
    acf: byKey(ACF_LAGS, (k) => autocorrelation(r, k)),
    absAcf: byKey(ABS_ACF_LAGS, (k) => autocorrelation(abs, k)),
    hill: hillIndex(abs),
    volumeAbsCorr: correlation(vol, abs),
  };
}

function round(x: number, digits: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
}

/** JSON form of facts: the same keys, numbers rounded to `digits` significant digits, NaN as null. */
export function factsToJson(f: Facts, digits = 4): Record<string, unknown> {
  const group = (g: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, round(v, digits)]));
  return {
    bars: f.bars,
    stdPct: round(f.stdPct, digits),
    kurtosis: group(f.kurtosis),
    acf: group(f.acf),
    absAcf: group(f.absAcf),
    hill: round(f.hill, digits),
    volumeAbsCorr: round(f.volumeAbsCorr, digits),
  };
}

/** Rows of a side-by-side table: a label and one formatted value per subject. */
export function factsTable(subjects: readonly { readonly name: string; readonly facts: Facts }[]): string {
  const rows: [string, (f: Facts) => number][] = [];
  const line = (label: string, get: (f: Facts) => number) => rows.push([label, get]);
  line("bars", (f) => f.bars);
  line("std of 1-bar returns, %", (f) => f.stdPct);
  for (const k of KURTOSIS_HORIZONS) line(`excess kurtosis, ${k}-bar returns`, (f) => f.kurtosis[`${k}`]);
  for (const k of ACF_LAGS) line(`acf of returns, lag ${k}`, (f) => f.acf[`${k}`]);
  for (const k of ABS_ACF_LAGS) line(`acf of |returns|, lag ${k}`, (f) => f.absAcf[`${k}`]);
  line(`Hill tail index, top ${HILL_FRACTION * 100}% of |r|`, (f) => f.hill);
  line("corr(volume, |r|)", (f) => f.volumeAbsCorr);
  const fmt = (label: string, v: number) => (label === "bars" ? String(v) : Number.isFinite(v) ? v.toFixed(4) : "n/a");
  const cells = rows.map(([label, get]) => [label, ...subjects.map((s) => fmt(label, get(s.facts)))]);
  const header = ["", ...subjects.map((s) => s.name)];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c].length)));
  const render = (r: readonly string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ").trimEnd();
  return [render(header), ...cells.map(render)].join("\n") + "\n";
}

/**
 * The real reference series shipped with the repo: Binance.US BTC/USDT 1-minute bars,
 * 1–21 March 2023 (see data/README.md). Absolute path, independent of the working directory.
 */
export const REFERENCE_BARS = {
  name: "btcusdt-1m-binanceus-2023-03",
  path: fileURLToPath(new URL("../data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz", import.meta.url)),
} as const;
