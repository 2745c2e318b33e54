// The overfitting block of an optimisation report: DSR of the chosen configuration and PBO of the whole search.
import { deflatedSharpe, sharpeMoments } from "./deflated-sharpe.ts";
import type { DsrResult, SharpeMoments } from "./deflated-sharpe.ts";
import { probabilityOfBacktestOverfitting } from "./pbo.ts";
import type { PboOptions, PboResult } from "./pbo.ts";

export interface OverfittingReport {
  /** Column with the highest full-sample per-period Sharpe ratio (lowest index on ties). */
  readonly best: number;
  /** Its per-period Sharpe ratio, skewness, raw kurtosis and T. */
  readonly moments: SharpeMoments;
  /** N = number of columns (every configuration tried counts as a trial, even if correlated). */
  readonly trials: number;
  /** Sample variance (n − 1) of the N per-period Sharpe ratios. */
  readonly trialSharpeVariance: number;
  readonly deflated: DsrResult;
  readonly pbo: PboResult;
}

/**
 * DSR and PBO of a parameter search. `returns[t][n]` is configuration n's return in period t.
 * Treating every column as an independent trial overstates N when configurations are
 * correlated, which makes the DSR conservative (the paper suggests clustering trials first).
 * @throws RangeError as `sharpeMoments`, `deflatedSharpe` and `probabilityOfBacktestOverfitting`.
 */
export function overfittingReport(returns: readonly (readonly number[])[], options: PboOptions = {}): OverfittingReport {
  const N = returns[0]?.length ?? 0;
  if (N < 2) throw new RangeError(`need at least 2 configurations (columns), got ${N}`);
  const moments = Array.from({ length: N }, (_, n) => sharpeMoments(returns.map((row) => row[n])));
  let best = 0;
  for (let n = 1; n < N; n++) if (moments[n].sharpe > moments[best].sharpe) best = n;
  const srs = moments.map((m) => m.sharpe);
  const mean = srs.reduce((a, b) => a + b, 0) / N;
  const trialSharpeVariance = srs.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
  const m = moments[best];
  const deflated = deflatedSharpe({ sharpe: m.sharpe, observations: m.observations, skew: m.skew, kurtosis: m.kurtosis, trials: N, trialSharpeVariance });
  return { best, moments: m, trials: N, trialSharpeVariance, deflated, pbo: probabilityOfBacktestOverfitting(returns, options) };
}
