// Equity curves in, per-period simple returns and the period length out: the input side of every metric.

/** Milliseconds in the 365-day year used for annualising (crypto trades every day). */
export const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Equity sampled at bar times. */
export interface EquityCurve {
  /** Bar times, Unix milliseconds, strictly increasing. */
  readonly t: Float64Array;
  /** Account equity at each bar time, in quote currency; finite and ≥ 0, the first > 0. */
  readonly equity: Float64Array;
}

/**
 * Checks the invariants every metric relies on.
 * @throws RangeError when lengths differ, the curve is empty, a time or equity is not finite,
 * times do not strictly increase, equity is negative or the first equity is not positive.
 */
export function assertEquityCurve(curve: EquityCurve): void {
  const { t, equity } = curve;
  if (t.length !== equity.length) throw new RangeError(`equity curve has ${t.length} times but ${equity.length} equities`);
  if (t.length === 0) throw new RangeError("equity curve is empty");
  if (!(equity[0] > 0)) throw new RangeError(`equity[0] = ${equity[0]} must be > 0`);
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i])) throw new RangeError(`t[${i}] = ${t[i]} must be finite`);
    if (!(Number.isFinite(equity[i]) && equity[i] >= 0)) throw new RangeError(`equity[${i}] = ${equity[i]} must be finite and ≥ 0`);
    if (i > 0 && !(t[i] > t[i - 1])) throw new RangeError(`t[${i}] = ${t[i]} must be after t[${i - 1}] = ${t[i - 1]}`);
  }
}

/**
 * Per-period simple returns r_i = E_i / E_{i−1} − 1, i = 1..n−1 (one fewer than bars).
 * A ruined account stays ruined: a return out of a bar with zero equity is 0, not 0/0.
 */
export function simpleReturns(equity: ArrayLike<number>): Float64Array {
  const r = new Float64Array(Math.max(0, equity.length - 1));
  for (let i = 1; i < equity.length; i++) r[i - 1] = equity[i - 1] > 0 ? equity[i] / equity[i - 1] - 1 : 0;
  return r;
}

/**
 * Periods per 365-day year from the median spacing of bar times: YEAR_MS / median(Δt).
 * The median, not the mean, so a gap in the data (an exchange outage) does not change the
 * annualisation of a regular series. Null with fewer than two bars.
 */
export function inferPeriodsPerYear(t: ArrayLike<number>): number | null {
  if (t.length < 2) return null;
  const dt = new Float64Array(t.length - 1);
  for (let i = 1; i < t.length; i++) dt[i - 1] = t[i] - t[i - 1];
  dt.sort();
  const m = dt.length >> 1;
  const median = dt.length % 2 === 1 ? dt[m] : (dt[m - 1] + dt[m]) / 2;
  return YEAR_MS / median;
}

/** Total return E_last / E_first − 1, a fraction (0.1 = +10%). */
export function totalReturn(equity: ArrayLike<number>): number {
  return equity[equity.length - 1] / equity[0] - 1;
}

/**
 * Compound annual growth rate from elapsed calendar time, not from the bar count:
 * (E_last / E_first)^(1 / years) − 1 with years = (t_last − t_first) / 365 days.
 * Null when no time has elapsed (a single bar) or the extrapolation overflows a double. On
 * spans much shorter than a year the compounding extrapolates wildly (+1% in a day is
 * +3678% a year); read it with the span.
 */
export function annualisedReturn(curve: EquityCurve): number | null {
  const n = curve.t.length;
  const years = (curve.t[n - 1] - curve.t[0]) / YEAR_MS;
  if (!(years > 0)) return null;
  const growth = curve.equity[n - 1] / curve.equity[0];
  const cagr = growth ** (1 / years) - 1;
  return Number.isFinite(cagr) ? cagr : null;
}
