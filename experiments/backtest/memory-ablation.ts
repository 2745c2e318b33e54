// Does the market memory help? Walk-forward, out of sample only: each strategy with and without the memory filter, the memory built from each train window alone.
import { EmbeddedStore } from "../../agents/memory/embedded-store.ts";
import { EMBEDDING_STARTUP_BARS } from "../../agents/memory/embedding.ts";
import { EMBEDDING_DIM } from "../../agents/memory/embedding-layout.ts";
import { lossScaleOf, statesFromBars } from "../../agents/memory/market-memory.ts";
import { type FilterReason, MEMORY_FILTER_DEFAULTS, MemoryFilter, MemoryFiltered } from "../../agents/memory/memory-filter.ts";
import { createStrategy } from "../../agents/strategies/registry.ts";
import { RsiThreshold, RsiThresholdParams } from "../../agents/strategies/rsi-threshold.ts";
import type { Strategy } from "../../agents/strategies/strategy.ts";
import type { FillModel } from "../../market/fills/costs.ts";
import { deflatedSharpe, sharpeMoments } from "../metrics/deflated-sharpe.ts";
import { probabilityOfBacktestOverfitting } from "../metrics/pbo.ts";
import { computeMetrics } from "../metrics/performance.ts";
import { simpleReturns } from "../metrics/returns.ts";
import type { Ohlcv } from "../ohlcv.ts";
import { type MeanInterval, meanInterval } from "../report/stats.ts";
import { sliceBars } from "./resample.ts";
import { runBacktest } from "./runner.ts";
import { compound, PBO_MAX_ROWS } from "./search-window.ts";
import { rollingWindows, spanBars, type WalkForwardSpec } from "./windows.ts";

/** The rule strategies compared, registry names, and "rsi": the seed's RSI(14) < 40 rule, whose filtered variant is memory-rsi. */
export const ABLATION_STRATEGIES = ["sma-cross", "trend-following", "mean-reversion", "breakout", "ensemble", "rsi"] as const;

export type Variant = "plain" | "memory";

export interface AblationOptions {
  /** Bars at the strategies' timeframe. */
  readonly bars: Ohlcv;
  readonly pair: string;
  /** The strategies' timeframe ("1m", "1h"...) and its bar length in ms. */
  readonly timeframe: string;
  readonly barMs: number;
  readonly spec: WalkForwardSpec;
  /** Bars over which a remembered state's outcome is measured (arena memory build's --horizon). */
  readonly horizonBars: number;
  readonly fill: FillModel;
  readonly cash: number;
  readonly strategies?: readonly string[];
  /** Called after each window (for a progress line). */
  readonly onWindow?: (done: number, total: number) => void;
}

/** One window: where its memory came from, and the proof that it ends before the test part. */
export interface AblationWindow {
  readonly index: number;
  readonly trainFrom: number;
  readonly trainTo: number;
  readonly testFrom: number;
  readonly testTo: number;
  /** States in the window's memory, and the latest `end` (Unix ms) among them: before `testFrom`. */
  readonly memoryStates: number;
  readonly memoryLastEnd: number;
  readonly memoryLastTime: number;
}

/** One strategy in one variant over every window's test part. */
export interface AblationRow {
  readonly strategy: string;
  readonly variant: Variant;
  /** Return of each window's test part (fractions), in window order. */
  readonly windowReturns: readonly number[];
  readonly meanReturn: MeanInterval;
  /** Return of the stitched out-of-sample run (each test part starts with the equity the last ended with). */
  readonly stitchedReturn: number;
  /** Annualised Sharpe of the stitched run; null without variance. */
  readonly sharpe: number | null;
  /** Deflated Sharpe ratio of the stitched run among every configuration of the ablation; null when undefined (no variance). */
  readonly dsr: number | null;
  readonly trades: number;
  /** The memory variant's entries judged by the filter, by verdict; null for plain. */
  readonly filter: Readonly<Record<FilterReason, number>> | null;
}

/** Memory minus plain, for one strategy. */
export interface AblationDiff {
  readonly strategy: string;
  /** Mean over windows of the paired difference of window returns, with its 95% interval. */
  readonly meanReturn: MeanInterval;
  readonly stitchedReturn: number;
  readonly sharpe: number | null;
  /** PBO by CSCV of choosing between the two variants on in-sample blocks; null when too few returns. */
  readonly pbo: number | null;
}

export interface AblationReport {
  readonly pair: string;
  readonly timeframe: string;
  readonly spec: { readonly train: number; readonly test: number; readonly step: number };
  readonly horizonBars: number;
  readonly k: number;
  readonly maxRisk: number;
  readonly minConfidence: number;
  readonly windows: readonly AblationWindow[];
  readonly rows: readonly AblationRow[];
  readonly diffs: readonly AblationDiff[];
  /** PBO over every configuration (strategies × variants): picking the best of them in sample. */
  readonly pbo: number | null;
  readonly pboBlocks: number;
}

const TF_MINUTES: Readonly<Record<string, number>> = { "1m": 1, "5m": 5, "15m": 15, "1h": 60, "4h": 240, "1d": 1440 };

/** A fresh plain strategy of the ablation by name, at `timeframe`, default params otherwise. */
function plainStrategy(name: string, timeframe: string): Strategy {
  if (name === "rsi") return new RsiThreshold(RsiThresholdParams.parse({ timeframe }), "rsi");
  return createStrategy(name, { timeframe });
}

/** PBO of choosing among `cols` (per-bar returns, equal lengths) by CSCV; null when too few rows. */
function pboOf(cols: readonly Float64Array[], blocksWanted: number): number | null {
  const T = cols[0].length;
  const rows = Math.min(T, PBO_MAX_ROWS);
  const blocks = Math.min(blocksWanted, rows - (rows % 2));
  if (cols.length < 2 || blocks < 2) return null;
  const c = cols.map((r) => compound(r, rows));
  return probabilityOfBacktestOverfitting(Array.from({ length: rows }, (_, t) => c.map((x) => x[t])), { blocks }).pbo;
}

/**
 * The window's memory: the states of its train bars alone, each with the outcome over
 * `horizonBars` (states whose horizon runs past the train part are left out by statesFromBars).
 * @throws Error if a state's outcome ends at or after the test part starts (a look-ahead; cannot happen by construction, checked anyway).
 */
export function windowMemory(train: Ohlcv, testFrom: number, horizonBars: number): { store: EmbeddedStore; lossScale: number; states: number; lastEnd: number; lastTime: number } {
  const points = statesFromBars(train, { horizonBars, source: "train" });
  let lastEnd = -Infinity;
  let lastTime = -Infinity;
  for (const p of points) {
    lastEnd = Math.max(lastEnd, p.payload.end as number);
    lastTime = Math.max(lastTime, p.payload.time as number);
  }
  if (lastEnd >= testFrom) throw new Error(`memory ablation: a state's outcome ends at ${lastEnd}, not before the test part at ${testFrom}`);
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  store.upsertSync(points);
  return { store, lossScale: lossScaleOf(points), states: points.length, lastEnd, lastTime };
}

/**
 * Runs the ablation. Window k's memory is built from its train bars alone; on its test part
 * every strategy runs twice, plain and behind the memory filter, both warmed up on the same
 * bars just before the test part (the filter's 240-bar embedding warm-up), all-in, risk off,
 * each variant's test parts stitched. Deterministic: a pure function of the options.
 * @throws RangeError when the windows do not fit, or a train part is shorter than the embedding's warm-up plus the horizon.
 */
export function runMemoryAblation(o: AblationOptions): AblationReport {
  const names = o.strategies ?? ABLATION_STRATEGIES;
  const n = o.bars.timestamps.length;
  const [train, test, step] = [spanBars(o.spec.train, o.barMs), spanBars(o.spec.test, o.barMs), spanBars(o.spec.step, o.barMs)];
  const windows = rollingWindows(n, train, test, step);
  if (train < EMBEDDING_STARTUP_BARS + o.horizonBars + 1) {
    throw new RangeError(`--walk-forward: train ${train} bars leave no state to remember: a memory needs ${EMBEDDING_STARTUP_BARS} (warm-up) + ${o.horizonBars} (--horizon) + 1 bars`);
  }
  const t = o.bars.timestamps;
  type Acc = { cash: number; returns: number[]; parts: Float64Array[]; times: Float64Array[]; trades: number; filter: Record<FilterReason, number> | null };
  const acc = new Map<string, Acc>();
  const key = (s: string, v: Variant) => `${s}/${v}`;
  for (const s of names) {
    for (const v of ["plain", "memory"] as const) {
      acc.set(key(s, v), { cash: o.cash, returns: [], parts: [], times: [], trades: 0, filter: v === "memory" ? { allowed: 0, "warming-up": 0, anomaly: 0, risk: 0, confidence: 0 } : null });
    }
  }
  const out: AblationWindow[] = [];
  for (const w of windows) {
    const mem = windowMemory(sliceBars(o.bars, w.trainStart, w.trainEnd), t[w.testStart], o.horizonBars);
    out.push({ index: w.index, trainFrom: t[w.trainStart], trainTo: t[w.trainEnd - 1], testFrom: t[w.testStart], testTo: t[w.testEnd - 1], memoryStates: mem.states, memoryLastEnd: mem.lastEnd, memoryLastTime: mem.lastTime });
    for (const s of names) {
      const make = (v: Variant): { strategy: Strategy; filter: MemoryFilter | null } => {
        const inner = plainStrategy(s, o.timeframe);
        if (v === "plain") return { strategy: inner, filter: null };
        const filter = new MemoryFilter({ store: mem.store, lossScale: mem.lossScale }, { barMinutes: TF_MINUTES[o.timeframe] });
        return { strategy: new MemoryFiltered(inner, filter), filter };
      };
      const built = { plain: make("plain"), memory: make("memory") };
      // Both variants warm up on the same bars, so they trade the same test bars from the same state of their indicators.
      const warm = Math.min(w.testStart, Math.max(built.plain.strategy.startupBars, built.memory.strategy.startupBars));
      for (const v of ["plain", "memory"] as const) {
        const a = acc.get(key(s, v))!;
        const r = runBacktest({ pairs: [{ pair: o.pair, bars: sliceBars(o.bars, w.testStart - warm, w.testEnd) }], strategies: [built[v].strategy], fill: o.fill, cash: a.cash, risk: null, warmupBars: warm });
        a.returns.push(r.finalEquity / a.cash - 1);
        a.cash = r.finalEquity;
        a.parts.push(r.equity);
        a.times.push(r.time);
        a.trades += r.trades.length;
        const f = built[v].filter;
        if (f !== null && a.filter !== null) for (const k of Object.keys(a.filter) as FilterReason[]) a.filter[k] += f.counts[k];
      }
    }
    o.onWindow?.(out.length, windows.length);
  }

  const cat = (xs: Float64Array[]) => {
    const r = new Float64Array(xs.reduce((m, x) => m + x.length, 0));
    let k = 0;
    for (const x of xs) {
      r.set(x, k);
      k += x.length;
    }
    return r;
  };
  const configs = [...acc.entries()].map(([k, a]) => {
    const equity = cat(a.parts);
    const time = cat(a.times);
    const m = computeMetrics({ curve: { t: time, equity } });
    return { k, a, returns: simpleReturns(equity), sharpe: m.sharpe, stitched: equity[equity.length - 1] / o.cash - 1 };
  });
  // DSR: every configuration of the ablation counts as a trial, so the best of them is judged against the best of that many worthless ones.
  const moments = configs.map((c) => {
    try {
      return sharpeMoments(c.returns);
    } catch {
      return null;
    }
  });
  const srs = moments.map((m) => (m !== null && Number.isFinite(m.sharpe) ? m.sharpe : 0));
  const srMean = srs.reduce((x, y) => x + y, 0) / srs.length;
  const srVar = srs.length > 1 ? srs.reduce((x, y) => x + (y - srMean) ** 2, 0) / (srs.length - 1) : 0;
  const rows: AblationRow[] = configs.map((c, i) => {
    const [strategy, variant] = c.k.split("/") as [string, Variant];
    let dsr: number | null = null;
    const mo = moments[i];
    if (mo !== null && Number.isFinite(mo.sharpe)) {
      try {
        dsr = deflatedSharpe({ sharpe: mo.sharpe, observations: mo.observations, skew: mo.skew, kurtosis: mo.kurtosis, trials: configs.length, trialSharpeVariance: srVar }).dsr;
      } catch {
        dsr = null;
      }
    }
    return { strategy, variant, windowReturns: c.a.returns, meanReturn: meanInterval(c.a.returns), stitchedReturn: c.stitched, sharpe: c.sharpe, dsr, trades: c.a.trades, filter: c.a.filter };
  });
  const pboBlocks = 16;
  const byKey = new Map(configs.map((c) => [c.k, c]));
  const diffs: AblationDiff[] = names.map((s) => {
    const p = byKey.get(key(s, "plain"))!;
    const m = byKey.get(key(s, "memory"))!;
    return {
      strategy: s,
      meanReturn: meanInterval(m.a.returns.map((x, i) => x - p.a.returns[i])),
      stitchedReturn: m.stitched - p.stitched,
      sharpe: m.sharpe === null || p.sharpe === null ? null : m.sharpe - p.sharpe,
      pbo: pboOf([p.returns, m.returns], pboBlocks),
    };
  });
  const f = MEMORY_FILTER_DEFAULTS;
  return {
    pair: o.pair, timeframe: o.timeframe, spec: { train, test, step }, horizonBars: o.horizonBars, k: f.k, maxRisk: f.maxRisk, minConfidence: f.minConfidence,
    windows: out, rows, diffs, pbo: pboOf(configs.map((c) => c.returns), pboBlocks), pboBlocks,
  };
}

const pc = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : `${(x * 100).toFixed(d)}%`);
const f2 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(2));
const ci = (m: MeanInterval) => `${pc(m.mean)} [${pc(m.lo)}, ${pc(m.hi)}]`;

/** The report as the plain-text table the command prints. */
export function formatAblation(r: AblationReport, source: string): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  const w = r.windows;
  const lines = [
    `memory ablation: ${source} (${r.timeframe} bars), walk-forward train ${r.spec.train} / test ${r.spec.test} / step ${r.spec.step} bars: ${w.length} windows, tests ${iso(w[0].testFrom)} .. ${iso(w[w.length - 1].testTo)}`,
    `memory per window from its train bars only (outcome horizon ${r.horizonBars} bars; last outcome ends before the test part in every window); k ${r.k}; an entry is blocked when risk >= ${r.maxRisk}, confidence <= ${r.minConfidence} or anomaly; all-in, risk manager off`,
    "",
    `${"strategy".padEnd(17)}${"variant".padEnd(9)}${"mean OOS return/window [95% CI]".padEnd(34)}${"stitched".padStart(9)}${"Sharpe".padStart(9)}${"DSR".padStart(6)}${"trades".padStart(8)}  entries allowed/blocked (anomaly, risk, confidence)`,
  ];
  for (const s of new Set(r.rows.map((x) => x.strategy))) {
    for (const x of r.rows.filter((y) => y.strategy === s)) {
      const f = x.filter;
      const entries = f === null ? "" : `${f.allowed}/${f.anomaly + f.risk + f.confidence + f["warming-up"]} (${f.anomaly}, ${f.risk}, ${f.confidence})`;
      const label = x.strategy === "rsi" && x.variant === "memory" ? "memory-rsi" : x.strategy;
      lines.push(`${label.padEnd(17)}${x.variant.padEnd(9)}${ci(x.meanReturn).padEnd(34)}${pc(x.stitchedReturn).padStart(9)}${f2(x.sharpe).padStart(9)}${f2(x.dsr).padStart(6)}${String(x.trades).padStart(8)}  ${entries}`);
    }
    const d = r.diffs.find((y) => y.strategy === s)!;
    lines.push(`${"".padEnd(17)}${"diff".padEnd(9)}${ci(d.meanReturn).padEnd(34)}${pc(d.stitchedReturn).padStart(9)}${f2(d.sharpe).padStart(9)}${"".padStart(6)}${"".padStart(8)}  PBO (memory or not) ${f2(d.pbo)}`);
  }
  lines.push("");
  lines.push(`PBO over all ${r.rows.length} configurations (${r.pboBlocks} blocks): ${f2(r.pbo)}; DSR counts every configuration as a trial`);
  return lines.join("\n") + "\n";
}

/** The report as JSON: times ISO-8601. */
export function ablationJson(r: AblationReport): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    ...r,
    windows: r.windows.map((w) => ({ ...w, trainFrom: iso(w.trainFrom), trainTo: iso(w.trainTo), testFrom: iso(w.testFrom), testTo: iso(w.testTo), memoryLastEnd: iso(w.memoryLastEnd), memoryLastTime: iso(w.memoryLastTime) })),
  };
}
