// One walk-forward window's parameter search, on its train part only: trials, the best by Sharpe, DSR and PBO.
import { RiskManager } from "../../agents/risk/risk-manager.ts";
import type { RiskConfig } from "../../agents/risk/risk.ts";
import type { Strategy } from "../../agents/strategies/strategy.ts";
import { deflatedSharpe, sharpeMoments } from "../metrics/deflated-sharpe.ts";
import { computeMetrics } from "../metrics/performance.ts";
import { probabilityOfBacktestOverfitting } from "../metrics/pbo.ts";
import { simpleReturns } from "../metrics/returns.ts";
import type { FillModel } from "../../market/fills/costs.ts";
import { candidates, withParams, type ParamSpace, type SearchSpec } from "./param-space.ts";
import { runBacktest, type PairBars } from "./runner.ts";

/** Builds a strategy by registry name from unparsed params; throws (ValidationError) on bad params. */
export type StrategyFactory = (name: string, params: unknown) => Strategy;

/** The search of one window: plain data, so it crosses to a worker thread unchanged. */
export interface SearchTask {
  readonly windowIndex: number;
  readonly strategy: string;
  readonly baseParams: Readonly<Record<string, unknown>>;
  readonly space: ParamSpace;
  readonly search: SearchSpec;
  /** The train part of each pair's bars, and nothing after it: the search cannot see the test part. */
  readonly train: readonly PairBars[];
  readonly fill: FillModel;
  readonly cash: number;
  /** Risk config for a fresh RiskManager per trial; null = risk off. */
  readonly risk: RiskConfig | null;
  /** URL of a module exporting `createStrategy(name, params)` (the registry by default). */
  readonly factory: string;
  /** S for PBO's CSCV (even); lowered to fit the rows there are. */
  readonly pboBlocks: number;
}

export interface TrialSummary {
  readonly params: Record<string, unknown>;
  /** Annualised Sharpe on the train part; null when undefined (e.g. no trades). */
  readonly sharpe: number | null;
  readonly totalReturn: number;
  readonly trades: number;
}

export interface SearchResult {
  readonly windowIndex: number;
  /** Valid candidates, in candidate order (points the strategy refused are left out). */
  readonly trials: readonly TrialSummary[];
  /** Candidates the strategy refused (e.g. fast ≥ slow). */
  readonly refused: number;
  /** Index into `trials` of the chosen one: highest train Sharpe, first on ties. */
  readonly best: number;
  readonly bestParams: Record<string, unknown>;
  /**
   * Deflated Sharpe ratio of the chosen trial's per-bar train returns, N = trials, V = variance of
   * the trials' per-bar Sharpe ratios; null with `dsrNote` when it does not exist (no variance).
   */
  readonly deflatedSharpe: { readonly dsr: number; readonly psr: number; readonly benchmark: number; readonly sharpePerPeriod: number; readonly skew: number; readonly kurtosis: number; readonly observations: number; readonly trials: number } | null;
  readonly dsrNote: string | null;
  /** PBO by CSCV over the trials × periods matrix of train returns; null with `pboNote` when undefined. */
  readonly pbo: { readonly pbo: number; readonly blocks: number; readonly rows: number } | null;
  readonly pboNote: string | null;
}

/** Rows of the PBO matrix at most: per-bar returns are compounded into this many periods. */
export const PBO_MAX_ROWS = 64;

/** Compounds per-bar returns into `rows` consecutive periods of (nearly) equal length. */
export function compound(r: Float64Array, rows: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < rows; k++) {
    const from = Math.floor((k * r.length) / rows);
    const to = Math.floor(((k + 1) * r.length) / rows);
    let g = 1;
    for (let i = from; i < to; i++) g *= 1 + r[i];
    out.push(g - 1);
  }
  return out;
}

/**
 * Runs every candidate on the task's train bars (one fresh strategy per pair, a fresh risk
 * manager), picks the highest annualised Sharpe, and reports its DSR and the search's PBO.
 * Deterministic: a pure function of the task.
 * @throws Error when no candidate is valid.
 */
export function searchWindow(task: SearchTask, create: StrategyFactory): SearchResult {
  const trials: TrialSummary[] = [];
  const returns: Float64Array[] = [];
  const perPeriod: number[] = [];
  let refused = 0;
  for (const point of candidates(task.space, task.search)) {
    const params = withParams(task.baseParams, point);
    let strategies: Strategy[];
    try {
      strategies = task.train.map(() => create(task.strategy, params));
    } catch (err) {
      if ((err as Error).name === "ValidationError") {
        refused++;
        continue;
      }
      throw err;
    }
    const r = runBacktest({ pairs: task.train, strategies, fill: task.fill, cash: task.cash, risk: task.risk === null ? null : new RiskManager(task.risk) });
    const m = computeMetrics({ curve: { t: r.time, equity: r.equity }, trades: r.trades });
    trials.push({ params: point, sharpe: m.sharpe, totalReturn: m.totalReturn, trades: r.trades.length });
    returns.push(simpleReturns(r.equity));
    perPeriod.push(m.sharpePerPeriod ?? 0);
  }
  if (trials.length === 0) throw new Error(`window ${task.windowIndex}: the strategy refused every point of the space (${refused})`);
  let best = 0;
  for (let i = 1; i < trials.length; i++) if ((trials[i].sharpe ?? -Infinity) > (trials[best].sharpe ?? -Infinity)) best = i;

  let dsr: SearchResult["deflatedSharpe"] = null;
  let dsrNote: string | null = null;
  try {
    const mo = sharpeMoments(returns[best]);
    const n = perPeriod.length;
    const mean = perPeriod.reduce((a, b) => a + b, 0) / n;
    const v = n > 1 ? perPeriod.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
    const d = deflatedSharpe({ sharpe: mo.sharpe, observations: mo.observations, skew: mo.skew, kurtosis: mo.kurtosis, trials: n, trialSharpeVariance: v });
    dsr = { dsr: d.dsr, psr: d.psr, benchmark: d.benchmark, sharpePerPeriod: mo.sharpe, skew: mo.skew, kurtosis: mo.kurtosis, observations: mo.observations, trials: n };
  } catch (err) {
    dsrNote = (err as Error).message;
  }

  let pbo: SearchResult["pbo"] = null;
  let pboNote: string | null = null;
  const T = returns[0].length;
  const rows = Math.min(T, PBO_MAX_ROWS);
  const blocks = Math.min(task.pboBlocks, rows - (rows % 2));
  if (trials.length < 2) pboNote = "one valid trial: nothing was selected";
  else if (blocks < 2) pboNote = `${T} returns are too few for CSCV`;
  else {
    const cols = returns.map((r) => compound(r, rows));
    const matrix = Array.from({ length: rows }, (_, t) => cols.map((c) => c[t]));
    pbo = { pbo: probabilityOfBacktestOverfitting(matrix, { blocks }).pbo, blocks, rows };
  }
  return { windowIndex: task.windowIndex, trials, refused, best, bestParams: withParams(task.baseParams, trials[best].params), deflatedSharpe: dsr, dsrNote, pbo, pboNote };
}

const loaded = new Map<string, Promise<StrategyFactory>>();

/** The `createStrategy` export of a factory module, imported once per thread. */
export function loadFactory(url: string): Promise<StrategyFactory> {
  let p = loaded.get(url);
  if (p === undefined) {
    p = import(url).then((m: { createStrategy?: StrategyFactory }) => {
      if (typeof m.createStrategy !== "function") throw new Error(`${url} does not export createStrategy(name, params)`);
      return m.createStrategy;
    });
    loaded.set(url, p);
  }
  return p;
}

/** Worker entry: loads the task's strategy factory and searches. */
export default async function searchTask(task: SearchTask): Promise<SearchResult> {
  return searchWindow(task, await loadFactory(task.factory));
}
