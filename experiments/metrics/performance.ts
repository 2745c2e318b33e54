// computeMetrics: one equity curve (plus optional trades and exposure) to the metrics every suite and backtest reports.
import { drawdowns, type Drawdown } from "./drawdown.ts";
import { riskRatios } from "./ratios.ts";
import { annualisedReturn, assertEquityCurve, inferPeriodsPerYear, simpleReturns, totalReturn } from "./returns.ts";
import type { EquityCurve } from "./returns.ts";
import { exposureFromFlags, exposureFromTrades, tradeStats } from "./trades.ts";
import type { ClosedTrade } from "./trades.ts";

/** What a run hands over to be measured. */
export interface MetricsInput {
  readonly curve: EquityCurve;
  /** Closed round trips; without them the trade metrics are null. */
  readonly trades?: readonly ClosedTrade[];
  /** Per-bar position flag or signed fraction, one per bar; preferred over trades for exposure. */
  readonly exposure?: ArrayLike<number>;
}

export interface MetricsOptions {
  /** Bars per year for annualising Sharpe and Sortino; default YEAR_MS / median bar spacing. */
  readonly periodsPerYear?: number;
  /** Risk-free return per bar, also the Sortino target; default 0. */
  readonly riskFreePerPeriod?: number;
}

/**
 * Performance of one equity curve. Plain data: every field is a number, boolean or null
 * (never NaN), so `JSON.stringify` keeps it, except profitFactor's Infinity, which
 * `metricsToJson` writes as the string "Infinity". Fractions are 0.1 = 10%; times Unix ms.
 */
export interface Metrics {
  readonly bars: number;
  readonly startTime: number;
  readonly endTime: number;
  /** Bars per year used to annualise (given, or inferred from the median spacing); null with one bar. */
  readonly periodsPerYear: number | null;
  /** E_last / E_first − 1. */
  readonly totalReturn: number;
  /** CAGR over elapsed calendar time in 365-day years; null with one bar. */
  readonly annualisedReturn: number | null;
  /** Annualised Sharpe, sample sd (n − 1), risk-free per bar as given (default 0); null if sd = 0 or < 2 returns. */
  readonly sharpe: number | null;
  /** Per-bar (not annualised) Sharpe, the input of the deflated Sharpe ratio. */
  readonly sharpePerPeriod: number | null;
  /** Annualised Sortino, downside deviation over all n bars (see `sortinoPerPeriod`); null with no downside. */
  readonly sortino: number | null;
  /** Deepest drawdown and its peak, trough and recovery times. */
  readonly maxDrawdown: Drawdown;
  /** Longest peak-to-regained-peak spell in ms (an open spell counts to the last bar). */
  readonly longestDrawdownMs: number;
  readonly longestDrawdownRecovered: boolean;
  /** Null when no trades were given. */
  readonly tradeCount: number | null;
  /** Winning trades / trades; null with no trades. */
  readonly winRate: number | null;
  /** Gross profit / gross loss; Infinity with no losses; null with no trades. */
  readonly profitFactor: number | null;
  /** Share of bars with a position; from `exposure` if given, else from trades, else null. */
  readonly exposure: number | null;
}

/**
 * All metrics of one run.
 * @throws RangeError on a malformed curve (see `assertEquityCurve`), trades or exposure, or a
 * periodsPerYear that is not a positive finite number.
 */
export function computeMetrics(input: MetricsInput, options: MetricsOptions = {}): Metrics {
  const { curve, trades, exposure } = input;
  assertEquityCurve(curve);
  const ppy = options.periodsPerYear ?? inferPeriodsPerYear(curve.t);
  if (ppy !== null && !(Number.isFinite(ppy) && ppy > 0)) throw new RangeError(`periodsPerYear = ${ppy} must be a positive finite number`);
  const rf = options.riskFreePerPeriod ?? 0;
  if (!Number.isFinite(rf)) throw new RangeError(`riskFreePerPeriod = ${rf} must be finite`);
  const n = curve.t.length;
  const r = simpleReturns(curve.equity);
  const ratios = ppy === null ? { sharpe: null, sharpePerPeriod: null, sortino: null } : riskRatios(r, ppy, rf);
  const dd = drawdowns(curve);
  const ts = trades === undefined ? null : tradeStats(trades);
  const exp = exposure !== undefined ? exposureFromFlags(exposure, n) : trades !== undefined ? exposureFromTrades(curve.t, trades) : null;
  return {
    bars: n,
    startTime: curve.t[0],
    endTime: curve.t[n - 1],
    periodsPerYear: ppy,
    totalReturn: totalReturn(curve.equity),
    annualisedReturn: annualisedReturn(curve),
    sharpe: ratios.sharpe,
    sharpePerPeriod: ratios.sharpePerPeriod,
    sortino: ratios.sortino,
    maxDrawdown: dd.max,
    longestDrawdownMs: dd.longestMs,
    longestDrawdownRecovered: dd.longestRecovered,
    tradeCount: ts?.tradeCount ?? null,
    winRate: ts?.winRate ?? null,
    profitFactor: ts?.profitFactor ?? null,
    exposure: exp,
  };
}

/** Metrics as JSON-safe data: profitFactor Infinity becomes the string "Infinity"; all else unchanged. */
export function metricsToJson(m: Metrics): Record<string, unknown> {
  return { ...m, maxDrawdown: { ...m.maxDrawdown }, profitFactor: m.profitFactor === Infinity ? "Infinity" : m.profitFactor };
}
