// Walk-forward optimisation: search on each train window (worker threads), trade the winner on the next test window.
//
// For each rolling window (windows.ts): the parameter search runs on the train part only (the
// worker task holds copies of the train bars and nothing later), the best train Sharpe wins,
// and the winner trades the test part that follows. Test parts run one after another in this
// thread, each starting with the equity the previous one ended with, and warmed up on the
// bars just before the test part (the strategy's startupBars; past data, never traded), so the
// out-of-sample trades and equity stitch into one curve. The robust estimate is the mean of
// the windows' out-of-sample figures, shown beside the seed's targets.
import { RiskManager } from "../../agents/risk/risk-manager.ts";
import type { RiskConfig, RiskEvent } from "../../agents/risk/risk.ts";
import { runParallel } from "../../sim/parallel.ts";
import { computeMetrics, metricsToJson, type Metrics } from "../metrics/performance.ts";
import type { FillModel } from "../../market/fills/costs.ts";
import type { ParamSpace, SearchSpec } from "./param-space.ts";
import { sliceTime } from "./resample.ts";
import { runBacktest, type BacktestResult, type BacktestTrade, type PairBars } from "./runner.ts";
import type { SearchResult, SearchTask, StrategyFactory } from "./search-window.ts";
import { rollingWindows, spanBars, type WalkForwardSpec, type Window } from "./windows.ts";
import type { Ohlcv } from "../ohlcv.ts";

const DAY_MS = 86_400_000;

/** The registry, as the default factory module of the search workers. */
export const REGISTRY_FACTORY = new URL("../../agents/strategies/registry.ts", import.meta.url).href;

export interface WalkForwardOptions {
  readonly strategy: string;
  /** Params every candidate starts from (the CLI's --params); the space's values override them. */
  readonly baseParams: Readonly<Record<string, unknown>>;
  /** Every pair's bars, at the strategy's timeframe. */
  readonly pairs: readonly PairBars[];
  readonly spec: WalkForwardSpec;
  /** Bar length, ms: turns duration spans into bar counts. */
  readonly barMs: number;
  readonly space: ParamSpace;
  readonly search: SearchSpec;
  readonly fill: FillModel;
  readonly cash: number;
  readonly risk: RiskConfig | null;
  /** Worker threads for the searches (≥ 1). */
  readonly workers: number;
  /** Builds strategies in this thread, for the test parts. */
  readonly create: StrategyFactory;
  /** Module URL whose createStrategy the workers use; default the registry. */
  readonly factory?: string;
  /** S for PBO (even); default 16. */
  readonly pboBlocks?: number;
}

/** One target of the seed and whether the measured figure meets it. */
export interface TargetCheck {
  readonly metric: "sharpe" | "winRate" | "maxDrawdown" | "recoveryDays";
  /** As printed: "> 1.5", "> 55%", "< 15%", "< 7 days". */
  readonly target: string;
  readonly measured: number | null;
  readonly pass: boolean;
}

/** The seed's targets: Sharpe > 1.5, win rate > 55%, max drawdown < 15%, recovery < 7 days. */
export const SEED_TARGETS = Object.freeze({ sharpe: 1.5, winRate: 0.55, maxDrawdown: 0.15, recoveryDays: 7 });

export interface WindowReport {
  readonly index: number;
  readonly train: { readonly from: string; readonly to: string; readonly bars: number };
  readonly test: { readonly from: string; readonly to: string; readonly bars: number };
  readonly params: Record<string, unknown>;
  readonly trials: number;
  readonly refused: number;
  readonly trainSharpe: number | null;
  readonly deflatedSharpe: SearchResult["deflatedSharpe"];
  readonly dsrNote: string | null;
  readonly pbo: SearchResult["pbo"];
  readonly pboNote: string | null;
  /** Out-of-sample metrics of the test part (computeMetrics, JSON-safe). */
  readonly oos: Record<string, unknown>;
  readonly oosTrades: number;
}

/** The robust estimate: means over windows of the out-of-sample figures (nulls skipped). */
export interface RobustEstimate {
  readonly windows: number;
  readonly sharpe: number | null;
  readonly winRate: number | null;
  /** Mean of the windows' deepest drawdowns, a fraction. */
  readonly maxDrawdown: number;
  /** Mean of the windows' longest underwater spells (peak to regained peak, an open one counted to the end), days. */
  readonly recoveryDays: number;
  readonly totalReturn: number;
  readonly deflatedSharpe: number | null;
  readonly pbo: number | null;
}

export interface WalkForwardReport {
  readonly spec: { readonly train: number; readonly test: number; readonly step: number; readonly text: string; readonly barMs: number };
  readonly search: SearchSpec & { readonly space: ParamSpace };
  readonly windows: readonly WindowReport[];
  readonly robust: RobustEstimate;
  readonly targets: readonly TargetCheck[];
  /** Metrics of the stitched out-of-sample curve (JSON-safe). */
  readonly stitched: Record<string, unknown>;
}

/** The stitched out-of-sample run: what trades.arrow, equity.arrow and report.html show. */
export type StitchedRun = Omit<BacktestResult, "pairs" | "initialCash"> & { readonly metrics: Metrics };

const iso = (ms: number) => new Date(ms).toISOString();
const mean = (xs: readonly (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
};

/** Sorted union of the pairs' bar times. */
function unionTimes(pairs: readonly PairBars[]): Float64Array {
  const s = new Set<number>();
  for (const p of pairs) for (const t of p.bars.timestamps) s.add(t);
  return Float64Array.from([...s].sort((a, b) => a - b));
}

const copy = (b: Ohlcv): Ohlcv => ({
  timestamps: b.timestamps.slice(), open: b.open.slice(), high: b.high.slice(), low: b.low.slice(), close: b.close.slice(), volume: b.volume.slice(),
});

/** The windows of a run, in bar indexes of the pairs' union timeline. @throws RangeError as `rollingWindows`. */
export function walkForwardWindows(o: Pick<WalkForwardOptions, "pairs" | "spec" | "barMs">): { windows: Window[]; times: Float64Array; train: number; test: number; step: number } {
  const times = unionTimes(o.pairs);
  const [train, test, step] = [spanBars(o.spec.train, o.barMs), spanBars(o.spec.test, o.barMs), spanBars(o.spec.step, o.barMs)];
  return { windows: rollingWindows(times.length, train, test, step), times, train, test, step };
}

/**
 * The search tasks, one per window, in window order. Each holds COPIES of the train bars
 * (a view would carry its whole buffer, test part included, to the worker).
 */
export function walkForwardTasks(o: WalkForwardOptions): SearchTask[] {
  const { windows, times } = walkForwardWindows(o);
  return windows.map((w) => ({
    windowIndex: w.index, strategy: o.strategy, baseParams: o.baseParams, space: o.space, search: o.search,
    train: o.pairs.map((p) => ({ pair: p.pair, bars: copy(sliceTime(p.bars, times[w.trainStart], times[w.trainEnd])) })),
    fill: o.fill, cash: o.cash, risk: o.risk, factory: o.factory ?? REGISTRY_FACTORY, pboBlocks: o.pboBlocks ?? 16,
  }));
}

/**
 * Runs the walk-forward: searches on `workers` threads (results in window order, identical
 * for any worker count), then the test parts in order in this thread.
 * @throws RangeError for windows that do not fit; the first search's error.
 */
export async function runWalkForward(o: WalkForwardOptions): Promise<{ report: WalkForwardReport; run: StitchedRun }> {
  const { windows, times, train, test, step } = walkForwardWindows(o);
  const tasks = walkForwardTasks(o);
  const results = await runParallel<SearchTask, SearchResult>({ worker: new URL("./search-worker.mjs", import.meta.url), tasks, workers: o.workers });

  let cash = o.cash;
  const parts: { time: Float64Array; equity: Float64Array; exposure: Uint8Array; regime: Uint8Array | null }[] = [];
  const trades: BacktestTrade[] = [];
  const riskEvents: RiskEvent[] = [];
  const reports: WindowReport[] = [];
  const oosMetrics: Metrics[] = [];
  for (const w of windows) {
    const res = results[w.index];
    const strategies = o.pairs.map(() => o.create(o.strategy, res.bestParams));
    const warm = Math.min(w.testStart, Math.max(...strategies.map((s) => s.startupBars)));
    const from = times[w.testStart - warm];
    const to = w.testEnd < times.length ? times[w.testEnd] : Infinity;
    const r = runBacktest({
      pairs: o.pairs.map((p) => ({ pair: p.pair, bars: sliceTime(p.bars, from, to) })), strategies, fill: o.fill, cash,
      risk: o.risk === null ? null : new RiskManager(o.risk), warmupBars: warm,
    });
    cash = r.finalEquity;
    parts.push(r);
    trades.push(...r.trades);
    riskEvents.push(...r.riskEvents);
    const m = computeMetrics({ curve: { t: r.time, equity: r.equity }, trades: r.trades, exposure: r.exposure });
    oosMetrics.push(m);
    reports.push({
      index: w.index,
      train: { from: iso(times[w.trainStart]), to: iso(times[w.trainEnd - 1]), bars: w.trainEnd - w.trainStart },
      test: { from: iso(times[w.testStart]), to: iso(times[w.testEnd - 1]), bars: w.testEnd - w.testStart },
      params: res.bestParams, trials: res.trials.length, refused: res.refused, trainSharpe: res.trials[res.best].sharpe,
      deflatedSharpe: res.deflatedSharpe, dsrNote: res.dsrNote, pbo: res.pbo, pboNote: res.pboNote,
      oos: metricsToJson(m), oosTrades: r.trades.length,
    });
  }
  const cat = <A extends Float64Array | Uint8Array>(get: (p: (typeof parts)[number]) => A, make: new (n: number) => A): A => {
    const out = new make(parts.reduce((a, p) => a + get(p).length, 0));
    let k = 0;
    for (const p of parts) {
      out.set(get(p), k);
      k += get(p).length;
    }
    return out;
  };
  const time = cat((p) => p.time, Float64Array);
  const equity = cat((p) => p.equity, Float64Array);
  const exposure = cat((p) => p.exposure, Uint8Array);
  const regime = parts.every((p) => p.regime !== null) ? cat((p) => p.regime!, Uint8Array) : null;
  const metrics = computeMetrics({ curve: { t: time, equity }, trades, exposure });
  const robust: RobustEstimate = {
    windows: windows.length,
    sharpe: mean(oosMetrics.map((m) => m.sharpe)),
    winRate: mean(oosMetrics.map((m) => m.winRate)),
    maxDrawdown: mean(oosMetrics.map((m) => m.maxDrawdown.depth))!,
    recoveryDays: mean(oosMetrics.map((m) => m.longestDrawdownMs / DAY_MS))!,
    totalReturn: mean(oosMetrics.map((m) => m.totalReturn))!,
    deflatedSharpe: mean(results.map((r) => r.deflatedSharpe?.dsr ?? null)),
    pbo: mean(results.map((r) => r.pbo?.pbo ?? null)),
  };
  const report: WalkForwardReport = {
    spec: { train, test, step, text: specText(o.spec), barMs: o.barMs },
    search: { ...o.search, space: o.space },
    windows: reports,
    robust,
    targets: targetChecks(robust),
    stitched: metricsToJson(metrics),
  };
  return { report, run: { time, equity, exposure, regime, trades, riskEvents, finalEquity: cash, metrics, bars: time.length } };
}

function specText(s: WalkForwardSpec): string {
  return [s.train, s.test, s.step].map((p) => ("bars" in p ? String(p.bars) : p.text)).join(",");
}

/** The robust estimate against SEED_TARGETS; a missing figure fails. */
export function targetChecks(r: RobustEstimate): TargetCheck[] {
  const T = SEED_TARGETS;
  return [
    { metric: "sharpe", target: `> ${T.sharpe}`, measured: r.sharpe, pass: r.sharpe !== null && r.sharpe > T.sharpe },
    { metric: "winRate", target: `> ${Math.round(T.winRate * 100)}%`, measured: r.winRate, pass: r.winRate !== null && r.winRate > T.winRate },
    { metric: "maxDrawdown", target: `< ${Math.round(T.maxDrawdown * 100)}%`, measured: r.maxDrawdown, pass: r.maxDrawdown < T.maxDrawdown },
    { metric: "recoveryDays", target: `< ${T.recoveryDays} days`, measured: r.recoveryDays, pass: r.recoveryDays < T.recoveryDays },
  ];
}

const f2 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(2));
const pc = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : `${(x * 100).toFixed(1)}%`);

/** The walk-forward as a plain-text table: one row per window, the robust estimate, and the targets. */
export function formatWalkForward(r: WalkForwardReport): string {
  const lines: string[] = [];
  const search = r.search.kind === "grid" ? "grid" : `random ${r.search.samples} (seed ${r.search.seed})`;
  lines.push(`walk-forward ${r.spec.text}: ${r.windows.length} windows of train ${r.spec.train} / test ${r.spec.test} bars, step ${r.spec.step}; search ${search}`);
  lines.push(`${"win".padEnd(4)}${"test from".padEnd(22)}${"trials".padStart(7)}${"IS Sharpe".padStart(11)}${"OOS Sharpe".padStart(12)}${"return".padStart(9)}${"win rate".padStart(10)}${"max DD".padStart(8)}${"trades".padStart(8)}${"DSR".padStart(7)}${"PBO".padStart(7)}  params`);
  for (const w of r.windows) {
    const m = w.oos as { sharpe: number | null; totalReturn: number; winRate: number | null; maxDrawdown: { depth: number } };
    lines.push(
      `${String(w.index).padEnd(4)}${w.test.from.slice(0, 16).padEnd(22)}${String(w.trials).padStart(7)}${f2(w.trainSharpe).padStart(11)}${f2(m.sharpe).padStart(12)}${pc(m.totalReturn).padStart(9)}${pc(m.winRate).padStart(10)}${pc(m.maxDrawdown.depth).padStart(8)}${String(w.oosTrades).padStart(8)}${f2(w.deflatedSharpe?.dsr).padStart(7)}${f2(w.pbo?.pbo).padStart(7)}  ${JSON.stringify(w.params)}`,
    );
  }
  const b = r.robust;
  lines.push(`mean of ${b.windows} windows (robust estimate): OOS Sharpe ${f2(b.sharpe)}, return ${pc(b.totalReturn)}, win rate ${pc(b.winRate)}, max drawdown ${pc(b.maxDrawdown)}, recovery ${f2(b.recoveryDays)} days; DSR ${f2(b.deflatedSharpe)}, PBO ${f2(b.pbo)}`);
  lines.push("");
  lines.push(`${"target".padEnd(14)}${"seed".padStart(10)}${"measured (OOS)".padStart(16)}  verdict`);
  const shown = (t: TargetCheck) => (t.metric === "winRate" || t.metric === "maxDrawdown" ? pc(t.measured) : t.metric === "recoveryDays" ? `${f2(t.measured)} d` : f2(t.measured));
  for (const t of r.targets) lines.push(`${t.metric.padEnd(14)}${t.target.padStart(10)}${shown(t).padStart(16)}  ${t.pass ? "PASS" : "FAIL"}`);
  return lines.join("\n") + "\n";
}
