// The input of the suite report (what the suite runner hands over) and the options of the report.

/**
 * Everything the suite report draws and tabulates: per scenario, per seed, the price path,
 * book liquidity, each bot's equity and outcome, and the regime changes strategy bots record.
 * Times are Unix ms; money in quote currency.
 */
export interface SuiteReportInput {
  readonly title: string;
  /** Name and version of what produced the data, e.g. "btc-arena 0.1.0". */
  readonly generator: string;
  /** Pass thresholds; `maxDrawdownPct` is in percent (15 means 15%). */
  readonly criteria: { readonly maxDrawdownPct: number };
  readonly scenarios: readonly ScenarioResult[];
  /** Specified legs beside realised ones across seeds (experiments/report/moves-table.ts). */
  readonly moves?: readonly import("./moves-table.ts").MoveRow[];
}

export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  /** The move the scenario spec asks for, percent (e.g. -30 for a crash). */
  readonly specifiedMovePct?: number;
  /** Shocks on the timeline, Unix ms. */
  readonly shocks: readonly { readonly atMs: number; readonly label: string }[];
  readonly runs: readonly SeedRun[];
}

export interface SeedRun {
  readonly seed: number;
  /** sha256 of the run's event log. */
  readonly digest: string;
  /** The move the run actually made, percent. */
  readonly realisedMovePct?: number;
  /** 1-minute bars, Unix ms. */
  readonly price: readonly { readonly t: number; readonly close: number }[];
  /** Spread in bps of mid; depth in base coins within ±1% of mid. */
  readonly book: readonly { readonly t: number; readonly spreadBps: number; readonly depth: number }[];
  readonly bots: readonly BotRun[];
}

export interface BotRun {
  readonly name: string;
  /** Equity in quote currency. */
  readonly equity: readonly { readonly t: number; readonly value: number }[];
  /** Largest peak-to-trough fall of equity, percent (positive). */
  readonly maxDrawdownPct: number;
  readonly survived: boolean;
  readonly blown: boolean;
  readonly returnPct: number;
  /** Strategy bots that detect a regime: each change of label (time in Unix ms), ascending. */
  readonly regimes?: readonly { readonly time: number; readonly regime: string }[];
}

/** Options shared by the chart specs and what renders them. */
export interface ReportOptions {
  /** Most points kept per series (one seed's line) in a chart. Default 2000. */
  readonly maxPointsPerSeries?: number;
}

export const DEFAULT_MAX_POINTS = 2000;
