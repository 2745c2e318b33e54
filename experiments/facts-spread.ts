// Stylized facts across many runs (seeds): median, 95% interval and range of each fact beside a reference.
import { ABS_ACF_LAGS, ACF_LAGS, HILL_FRACTION, KURTOSIS_HORIZONS, type Facts } from "./facts.ts";

/** One fact: a stable key (JSON, moments), the label `arena facts` prints, and how to read it. */
export interface FactKey {
  readonly key: string;
  readonly label: string;
  readonly get: (f: Facts) => number;
}

/** Every fact of `Facts` but the bar count, in the order `arena facts` prints them. */
export const FACT_KEYS: readonly FactKey[] = [
  { key: "stdPct", label: "std of 1-bar returns, %", get: (f) => f.stdPct },
  ...KURTOSIS_HORIZONS.map((k) => ({ key: `kurtosis.${k}`, label: `excess kurtosis, ${k}-bar returns`, get: (f: Facts) => f.kurtosis[`${k}`] })),
  ...ACF_LAGS.map((k) => ({ key: `acf.${k}`, label: `acf of returns, lag ${k}`, get: (f: Facts) => f.acf[`${k}`] })),
  ...ABS_ACF_LAGS.map((k) => ({ key: `absAcf.${k}`, label: `acf of |returns|, lag ${k}`, get: (f: Facts) => f.absAcf[`${k}`] })),
  { key: "hill", label: `Hill tail index, top ${HILL_FRACTION * 100}% of |r|`, get: (f) => f.hill },
  { key: "volumeAbsCorr", label: "corr(volume, |r|)", get: (f) => f.volumeAbsCorr },
];

/** How close the median must be to the reference to count as matching it: ±30% of the reference. */
export const WITHIN_FRACTION = 0.3;

/**
 * Quantile `p` of sorted values by linear interpolation between order statistics (Hyndman–Fan
 * type 7, R's and numpy's default): with n values the position is (n − 1)·p.
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The spread of one fact across runs (NaN values left out; every figure NaN when none is finite). */
export interface Spread {
  /** Runs whose value is finite. */
  readonly n: number;
  readonly median: number;
  /** 2.5% and 97.5% quantiles: the 95% interval across runs. */
  readonly lo: number;
  readonly hi: number;
  readonly min: number;
  readonly max: number;
}

/** Median, 95% interval (type-7 quantiles) and range of the finite values. */
export function spreadOf(values: readonly number[]): Spread {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: s.length, median: quantileSorted(s, 0.5), lo: quantileSorted(s, 0.025), hi: quantileSorted(s, 0.975), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

/** A fact across runs beside the reference. */
export interface SpreadRow extends Spread {
  readonly key: string;
  readonly label: string;
  /** The reference's value (NaN without a reference). */
  readonly ref: number;
  /** min ≤ ref ≤ max: the reference is a value the runs can produce. */
  readonly refInRange: boolean;
  /** |median − ref| ≤ WITHIN_FRACTION · |ref|. */
  readonly within: boolean;
}

/** Whether `median` is within ±WITHIN_FRACTION of `ref` (false when either is not finite). */
export function withinOf(median: number, ref: number): boolean {
  return Number.isFinite(median) && Number.isFinite(ref) && Math.abs(median - ref) <= WITHIN_FRACTION * Math.abs(ref);
}

/** Each fact of FACT_KEYS across `runs`, beside `ref` when given. */
export function factsSpread(runs: readonly Facts[], ref?: Facts): SpreadRow[] {
  return FACT_KEYS.map(({ key, label, get }) => {
    const s = spreadOf(runs.map(get));
    const r = ref === undefined ? NaN : get(ref);
    return { key, label, ref: r, ...s, refInRange: Number.isFinite(r) && s.n > 0 && s.min <= r && r <= s.max, within: withinOf(s.median, r) };
  });
}

function round(x: number, digits: number): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
}

/** JSON form of spread rows: numbers to `digits` significant digits, NaN as null. */
export function spreadToJson(rows: readonly SpreadRow[], digits = 4): Record<string, unknown>[] {
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    ref: round(r.ref, digits),
    n: r.n,
    median: round(r.median, digits),
    lo: round(r.lo, digits),
    hi: round(r.hi, digits),
    min: round(r.min, digits),
    max: round(r.max, digits),
    refInRange: r.refInRange,
    within: r.within,
  }));
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "n/a");
const yes = (ok: boolean) => (ok ? "yes" : "no");

/** Text table columns of one set of spread rows: median, [2.5%, 97.5%], min..max, in range, ±30%. */
export function spreadCells(r: SpreadRow): string[] {
  return [fmt(r.median), `[${fmt(r.lo)}, ${fmt(r.hi)}]`, `${fmt(r.min)}..${fmt(r.max)}`, yes(r.refInRange), yes(r.within)];
}

/** Renders rows of cells with a header: the first column left-aligned, the others right-aligned. */
export function renderTable(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c].length)));
  const render = (r: readonly string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ").trimEnd();
  return [render(header), ...cells.map(render)].join("\n") + "\n";
}

/** The `arena facts --runs` table: each fact's reference, median, 95% interval and range across `runs` runs. */
export function spreadTable(rows: readonly SpreadRow[], runs: number, refName: string): string {
  const header = ["", refName, `median of ${runs}`, "95% interval", "range", "ref in range", `±${WITHIN_FRACTION * 100}%`];
  return renderTable(header, rows.map((r) => [r.label, fmt(r.ref), ...spreadCells(r)]));
}
