// summary.json of a backtest: the inputs, the metrics, every trade and risk event (ISO 8601 UTC times).
import type { RiskConfig, RiskEvent } from "../../agents/risk/risk.ts";
import { metricsToJson, type Metrics } from "../metrics/performance.ts";
import type { BacktestTrade } from "./runner.ts";
import type { WalkForwardReport } from "./walk-forward.ts";

/** One data file as summary.json lists it. */
export interface DataFileInfo {
  readonly file: string;
  readonly pair: string;
  /** Bars in the file, and after resampling to the strategy's timeframe. */
  readonly fileBars: number;
  readonly bars: number;
  readonly from: string;
  readonly to: string;
  /** describeGaps of the file ("no gaps" when none). */
  readonly gaps: string;
}

export interface SummaryInput {
  readonly generator: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly data: readonly DataFileInfo[];
  readonly timeframe: string;
  readonly bars: number;
  readonly commission: number;
  readonly slippage: number;
  readonly cash: number;
  readonly risk: RiskConfig | null;
  /** The --risk-config rules as given (before merging over the defaults), when one was. */
  readonly riskOverrides?: Readonly<Record<string, unknown>>;
  readonly metrics: Metrics;
  readonly finalEquity: number;
  readonly trades: readonly BacktestTrade[];
  readonly riskEvents: readonly RiskEvent[];
  readonly walkForward?: WalkForwardReport;
}

/** ISO 8601 UTC with milliseconds, e.g. 2023-03-01T00:05:00.000Z. */
export const isoUtc = (ms: number): string => new Date(ms).toISOString();

/**
 * The summary as JSON-safe data, keys in a fixed order: generator, strategy, params, data,
 * timeframe, bars, commission, slippage, cash, risk ("on"/"off"), riskConfig (the rules in force,
 * every key, null when off), riskOverrides (what --risk-config changed, only when given),
 * metrics, finalEquity, trades ({entryTime, exitTime, side, entryPrice, exitPrice, size, fees,
 * pnl, exitReason, pair}), riskEvents ({time, action, rule, pair, detail}), and walkForward
 * when one was run. Money in quote, sizes in base, fractions not percent.
 */
export function summaryJson(s: SummaryInput): Record<string, unknown> {
  return {
    generator: s.generator,
    strategy: s.strategy,
    params: s.params,
    data: s.data,
    timeframe: s.timeframe,
    bars: s.bars,
    commission: s.commission,
    slippage: s.slippage,
    cash: s.cash,
    risk: s.risk === null ? "off" : "on",
    riskConfig: s.risk,
    ...(s.riskOverrides === undefined ? {} : { riskOverrides: s.riskOverrides }),
    metrics: metricsToJson(s.metrics),
    finalEquity: s.finalEquity,
    trades: s.trades.map((t) => ({
      entryTime: isoUtc(t.entryTime), exitTime: isoUtc(t.exitTime), side: t.side, entryPrice: t.entryPrice, exitPrice: t.exitPrice,
      size: t.size, fees: t.fees, pnl: t.pnl, exitReason: t.exitReason, pair: t.pair,
    })),
    riskEvents: s.riskEvents.map((e) => ({ time: isoUtc(e.time), action: e.action, rule: e.rule, pair: e.pair, detail: e.detail })),
    ...(s.walkForward === undefined ? {} : { walkForward: s.walkForward }),
  };
}
