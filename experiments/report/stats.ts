// Mean and 95% Student-t interval across seeds, the statistic of every row of the criteria table.
import { mean, sampleStandardDeviation } from "simple-statistics";

/** Two-sided 97.5% quantiles of Student's t, df = 1..30 (standard tables, 10 digits). */
const T975 = [
  12.7062047362, 4.3026527297, 3.1824463053, 2.7764451052, 2.5705818366, 2.4469118511, 2.3646242516,
  2.3060041352, 2.2621571628, 2.228138852, 2.2009851601, 2.1788128297, 2.1603686565, 2.1447866879,
  2.1314495456, 2.1199052992, 2.1098155778, 2.1009220402, 2.0930240544, 2.0859634473, 2.0796138447,
  2.0738730679, 2.0686576104, 2.0638985616, 2.0595385528, 2.0555294386, 2.0518305165, 2.0484071418,
  2.0452296421, 2.0422724563,
] as const;

/** Φ⁻¹(0.975). simple-statistics' `probit` is a 4-digit approximation (1.9572), too coarse here. */
const Z975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: tabulated up to 30, above
 * that the Cornish–Fisher expansion around the normal quantile (error < 1e-5 for df > 30).
 * @throws RangeError for df < 1 or not an integer.
 */
export function t975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom ${df} must be an integer ≥ 1`);
  if (df <= T975.length) return T975[df - 1];
  const z = Z975;
  const z3 = z ** 3, z5 = z ** 5, z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** A mean with its 95% interval; `lo`/`hi` are null with fewer than two values. */
export interface MeanInterval {
  readonly mean: number;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly n: number;
}

/**
 * Mean of `xs` and the 95% Student-t interval mean ± t(0.975, n − 1) · s / √n, s the sample
 * standard deviation (n − 1), both from simple-statistics. Seeds are few (often 2–20), so the
 * t quantile, not the normal 1.96, is the honest width.
 * @throws RangeError for an empty list.
 */
export function meanInterval(xs: readonly number[]): MeanInterval {
  if (xs.length === 0) throw new RangeError("meanInterval needs at least one value");
  const m = mean(xs as number[]);
  if (xs.length < 2) return { mean: m, lo: null, hi: null, n: xs.length };
  const half = (t975(xs.length - 1) * sampleStandardDeviation(xs as number[])) / Math.sqrt(xs.length);
  return { mean: m, lo: m - half, hi: m + half, n: xs.length };
}
