// Sharpe and Sortino ratios of per-period returns, annualised by √(periods per year).

/** Risk-adjusted ratios of one return series; null where the ratio is undefined. */
export interface RiskRatios {
  /** mean(r − rf) / sd(r − rf) per period, sd the sample (n − 1) deviation; the SR the DSR takes. */
  readonly sharpePerPeriod: number | null;
  /** sharpePerPeriod × √periodsPerYear. */
  readonly sharpe: number | null;
  /** mean(r − target) / DD × √periodsPerYear, DD the downside deviation defined in `sortino`. */
  readonly sortino: number | null;
}

/**
 * Sharpe ratio per period: mean(x) / s with x_i = r_i − riskFreePerPeriod and s the sample
 * standard deviation (divisor n − 1). Null with fewer than two returns or when s = 0 (flat
 * equity has no risk to divide by, and a constant non-zero return is not a finite ratio either).
 */
export function sharpePerPeriod(r: ArrayLike<number>, riskFreePerPeriod = 0): number | null {
  const n = r.length;
  if (n < 2) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += r[i] - riskFreePerPeriod;
  const m = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (r[i] - riskFreePerPeriod - m) ** 2;
  const s = Math.sqrt(ss / (n - 1));
  // A tolerance, not s > 0: a constant series leaves rounding residue in ss (1e-34, not 0).
  if (!(s > 1e-14 * Math.max(1, Math.abs(m)))) return null;
  return m / s;
}

/**
 * Sortino ratio per period: mean(r − target) / DD with the downside deviation
 * DD = √( (1/n) Σ_{i=1..n} min(0, r_i − target)² ), the sum over all n periods, including
 * those above target (Sortino & Price 1994; PerformanceAnalytics' default), not only over
 * the losing ones, and divided by n, not n − 1. Null with fewer than two returns or when no
 * period is below target (DD = 0).
 */
export function sortinoPerPeriod(r: ArrayLike<number>, target = 0): number | null {
  const n = r.length;
  if (n < 2) return null;
  let sum = 0;
  let down = 0;
  for (let i = 0; i < n; i++) {
    const x = r[i] - target;
    sum += x;
    if (x < 0) down += x * x;
  }
  if (!(down > 0)) return null;
  return sum / n / Math.sqrt(down / n);
}

/**
 * Sharpe (risk-free `riskFreePerPeriod`, default 0) and Sortino (target = the same rate)
 * of per-period returns, annualised by √periodsPerYear.
 */
export function riskRatios(r: ArrayLike<number>, periodsPerYear: number, riskFreePerPeriod = 0): RiskRatios {
  const k = Math.sqrt(periodsPerYear);
  const sr = sharpePerPeriod(r, riskFreePerPeriod);
  const so = sortinoPerPeriod(r, riskFreePerPeriod);
  return { sharpePerPeriod: sr, sharpe: sr === null ? null : sr * k, sortino: so === null ? null : so * k };
}
