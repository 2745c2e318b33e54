// The moments `arena calibrate` matches and its objective: an inverse-variance weighted distance of the seeds' median from the real facts.
import type { Facts } from "../facts.ts";
import { FACT_KEYS, spreadOf, type FactKey } from "../facts-spread.ts";

/** The facts matched, by FACT_KEYS key: volatility, tails at four horizons, clustering at five lags, tail index, volume link, return memory. */
export const MOMENT_KEYS = [
  "stdPct",
  "kurtosis.1", "kurtosis.5", "kurtosis.10", "kurtosis.60",
  "absAcf.1", "absAcf.5", "absAcf.10", "absAcf.30", "absAcf.60",
  "hill", "volumeAbsCorr", "acf.1",
] as const;

export const MOMENTS: readonly FactKey[] = MOMENT_KEYS.map((k) => FACT_KEYS.find((f) => f.key === k)!);

/**
 * The scale each moment is compared on. Volatility, tail index and kurtosis (as m4/m2², i.e.
 * excess + 3) are scale quantities that vary by factors from seed to seed: on a log scale a
 * relative miss counts the same at any size, and a noisy level no longer gets a weight so small
 * that the search trades it away. Correlations stay linear.
 */
export function momentScale(key: string): (x: number) => number {
  if (key.startsWith("kurtosis.")) return (x) => Math.log(x + 3);
  return onLogScale(key) ? Math.log : (x) => x;
}

/** Whether a moment is compared on a log scale (see momentScale). */
export function onLogScale(key: string): boolean {
  return key === "stdPct" || key === "hill" || key.startsWith("kurtosis.");
}

/**
 * Floor of a moment's standard deviation across seeds, as a share of its real value (and
 * ABSOLUTE_SD_FLOOR when that is 0; on a log scale, log(1 + share)): a moment the seeds happen
 * to agree on exactly (zero variance) would otherwise get an infinite weight and drown the others.
 */
export const RELATIVE_SD_FLOOR = 0.05;
export const ABSOLUTE_SD_FLOOR = 1e-6;

/**
 * What one moment adds when no seed of a candidate produces a finite value of it (too few
 * trades, say): as much as a median 10 standard deviations off.
 */
export const MISSING_PENALTY = 100;

/** One moment's weight: its real value, the seeds' standard deviation at the start on the moment's scale, and 1 / sd² (sd floored). */
export interface MomentWeight {
  readonly key: string;
  readonly real: number;
  /** Sample standard deviation (n − 1) across the start's seeds on the moment's scale (momentScale); NaN with fewer than 2 finite values. */
  readonly sd: number;
  /** 1 / max(sd, floor)², the floor RELATIVE_SD_FLOOR·|real| (log(1 + RELATIVE_SD_FLOOR) on a log scale) and at least ABSOLUTE_SD_FLOOR; 0 when the real value is not finite (the moment is left out). */
  readonly weight: number;
}

function sampleSd(values: readonly number[]): number {
  const x = values.filter(Number.isFinite);
  if (x.length < 2) return NaN;
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) * (b - m), 0) / (x.length - 1));
}

/**
 * The weights of the method of simulated moments: each moment's inverse sampling variance
 * across the seeds of one candidate (the start), so that a noisy moment (1-bar kurtosis)
 * counts less than a steady one (the standard deviation). Fixed for the whole search, so
 * every candidate is judged by the same objective.
 */
export function momentWeights(real: Facts, seeds: readonly Facts[]): MomentWeight[] {
  return MOMENTS.map(({ key, get }) => {
    const t = momentScale(key);
    const r = get(real);
    const sd = sampleSd(seeds.map((f) => t(get(f))));
    const relative = onLogScale(key) ? Math.log1p(RELATIVE_SD_FLOOR) : RELATIVE_SD_FLOOR * Math.abs(r);
    const floor = Math.max(relative, ABSOLUTE_SD_FLOOR);
    const s = Number.isFinite(sd) ? Math.max(sd, floor) : floor;
    return { key, real: r, sd, weight: Number.isFinite(r) ? 1 / (s * s) : 0 };
  });
}

/**
 * The objective: Σ weight · (t(median across seeds) − t(real))², t the moment's scale, over the
 * moments with a weight, divided by their number (a mean squared distance in standard deviations).
 */
export function objective(weights: readonly MomentWeight[], seeds: readonly Facts[]): number {
  let sum = 0;
  let used = 0;
  weights.forEach((w, i) => {
    if (w.weight === 0) return;
    used++;
    const t = momentScale(w.key);
    const d = t(spreadOf(seeds.map(MOMENTS[i].get)).median) - t(w.real);
    sum += Number.isFinite(d) ? w.weight * d * d : MISSING_PENALTY;
  });
  return used === 0 ? 0 : sum / used;
}
