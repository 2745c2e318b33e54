// A backtest job end to end: check every input, run (plain or walk-forward), then write all outputs at once.
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { DEFAULT_RISK, parseRiskConfig, RiskManager } from "../../agents/risk/risk-manager.ts";
import type { RiskConfig, RiskEvent } from "../../agents/risk/risk.ts";
import { computeMetrics, type Metrics } from "../metrics/performance.ts";
import { barSpacing, describeGaps, loadOhlcv, ohlcvGaps, OhlcvError, type Ohlcv } from "../ohlcv.ts";
import { equityArrow, tradesArrow } from "./arrow-out.ts";
import { checkFillModel } from "../../market/fills/costs.ts";
import { candidates, DEFAULT_SPACES, withParams, type ParamSpace, type SearchSpec } from "./param-space.ts";
import { renderBacktestHtml } from "./report.ts";
import { resample, timeframeMs } from "./resample.ts";
import { runBacktest, type BacktestTrade, type PairBars } from "./runner.ts";
import type { StrategyFactory } from "./search-window.ts";
import { summaryJson, type DataFileInfo } from "./summary.ts";
import { runWalkForward, walkForwardWindows, type WalkForwardReport } from "./walk-forward.ts";
import { parseWalkForward, type WalkForwardSpec } from "./windows.ts";

export const GENERATOR = "btc-arena 0.1.0";

/** Bad input: the CLI prints the message and exits with code 2. Nothing has been written. */
export class BacktestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BacktestInputError";
  }
}

/** What the user asked for (the CLI flags, already split into values). */
export interface BacktestRequest {
  readonly strategy: string;
  /** The --params object (parsed JSON). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Data files, one pair each. */
  readonly data: readonly string[];
  readonly commission: number;
  readonly slippage: number;
  readonly cash: number;
  readonly risk: boolean;
  /** --risk-config: rules merged over DEFAULT_RISK, null switching one off (parsed JSON, not yet checked). */
  readonly riskConfig?: Readonly<Record<string, unknown>>;
  /** --walk-forward "train,test,step". */
  readonly walkForward?: string;
  /** --timeframe: sets params.timeframe. */
  readonly timeframe?: string;
  readonly search?: SearchSpec;
  /** Overrides the strategy's default space. */
  readonly space?: ParamSpace;
  readonly workers?: number;
  /** S of PBO's CSCV in walk-forward reports (even, ≥ 2); default 16. */
  readonly pboBlocks?: number;
}

/** A request with every input checked and loaded: running it cannot fail on bad input. */
export interface PreparedBacktest {
  readonly request: BacktestRequest;
  readonly params: Record<string, unknown>;
  readonly pairs: readonly PairBars[];
  readonly files: readonly DataFileInfo[];
  readonly timeframe: string;
  readonly barMs: number;
  readonly risk: RiskConfig | null;
  readonly walkForward: { readonly spec: WalkForwardSpec; readonly space: ParamSpace; readonly search: SearchSpec } | null;
  /** Data gaps and data too short to mean anything, one line each, to print as warnings. */
  readonly warnings: readonly string[];
}

/**
 * Bars after the strategy's warm-up below which a backtest warns that its figures are
 * meaningless: fewer returns than this make Sharpe, drawdown and win rate noise.
 */
export const MIN_TRADED_BARS = 30;

/** "btcusdt-1m.csv.gz" → "btcusdt-1m": the file name without its data extensions. */
export function pairName(file: string): string {
  return basename(file).replace(/(\.(csv|gz|arrow|feather|ipc))+$/i, "") || basename(file);
}

/** Loads one --data file, its problems as BacktestInputError naming the flag. */
export async function load(file: string): Promise<Ohlcv> {
  try {
    return await loadOhlcv(file);
  } catch (err) {
    if (err instanceof OhlcvError) throw new BacktestInputError(`--data: ${err.message}`);
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT") throw new BacktestInputError(`--data: ${JSON.stringify(file)} does not exist`);
    if (code === "EISDIR") throw new BacktestInputError(`--data: ${JSON.stringify(file)} is a directory, not a bars file`);
    if (typeof code === "string") throw new BacktestInputError(`--data: ${JSON.stringify(file)} cannot be read (${code})`);
    throw err;
  }
}

/** Builds one strategy, turning a ValidationError into a message naming the flag. */
function build(create: StrategyFactory, name: string, params: unknown) {
  try {
    return create(name, params);
  } catch (err) {
    if ((err as Error).name !== "ValidationError") throw err;
    const field = (err as { field?: string }).field ?? "";
    throw new BacktestInputError(`${field === "strategy" ? "--strategy" : "--params"}: ${(err as Error).message}`);
  }
}

/**
 * Checks and loads everything: costs and cash, the strategy and its params, every data file
 * (loadOhlcv's rules), the timeframe against the data, the walk-forward windows and space.
 * @throws BacktestInputError with one message naming the flag and the value.
 */
export async function prepareBacktest(req: BacktestRequest, create: StrategyFactory): Promise<PreparedBacktest> {
  try {
    checkFillModel({ commission: req.commission, slippage: req.slippage });
  } catch (err) {
    throw new BacktestInputError(`--${(err as Error).message}`);
  }
  if (!(Number.isFinite(req.cash) && req.cash > 0)) throw new BacktestInputError(`--cash: ${req.cash} must be a positive amount of quote currency`);
  if (req.data.length === 0) throw new BacktestInputError("--data: no data file given");
  const risk = resolveRisk(req);
  const params: Record<string, unknown> = { ...req.params };
  if (req.timeframe !== undefined) {
    if (params.timeframe !== undefined && params.timeframe !== req.timeframe) {
      throw new BacktestInputError(`--timeframe: ${JSON.stringify(req.timeframe)} differs from --params timeframe ${JSON.stringify(params.timeframe)}; give one`);
    }
    params.timeframe = req.timeframe;
  }
  const probe = build(create, req.strategy, params);
  const timeframe = probe.timeframe;
  const barMs = timeframeMs(timeframe);
  const names = req.data.map(pairName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new BacktestInputError(`--data: two files give the pair name ${JSON.stringify(dup)}; rename one`);

  const pairs: PairBars[] = [];
  const files: DataFileInfo[] = [];
  const warnings: string[] = [];
  for (const [k, file] of req.data.entries()) {
    const raw = await load(file);
    const spacing = barSpacing(raw.timestamps);
    if (spacing > barMs) {
      throw new BacktestInputError(`--data: ${JSON.stringify(file)} has bars ${spacing / 60_000} min apart, coarser than the strategy's timeframe ${timeframe}; give finer data or a longer --timeframe`);
    }
    const gaps = ohlcvGaps(raw);
    if (gaps.length > 0) warnings.push(`data gaps in ${file}: ${describeGaps(gaps)}`);
    const bars = spacing === barMs ? raw : resample(raw, timeframe);
    const need = probe.startupBars + MIN_TRADED_BARS;
    if (bars.timestamps.length < need) {
      warnings.push(`${file} gives ${bars.timestamps.length} ${timeframe} ${bars.timestamps.length === 1 ? "bar" : "bars"}, fewer than the ${need} a backtest of ${req.strategy} needs (${probe.startupBars} to warm up, ${MIN_TRADED_BARS} to trade): the figures are meaningless`);
    }
    pairs.push({ pair: names[k], bars });
    const n = raw.timestamps.length;
    files.push({
      file, pair: names[k], fileBars: n, bars: bars.timestamps.length,
      from: new Date(raw.timestamps[0]).toISOString(), to: new Date(raw.timestamps[n - 1]).toISOString(), gaps: describeGaps(gaps),
    });
  }

  let walkForward: PreparedBacktest["walkForward"] = null;
  if (req.walkForward !== undefined) {
    let spec: WalkForwardSpec;
    try {
      spec = parseWalkForward(req.walkForward);
      walkForwardWindows({ pairs, spec, barMs });
    } catch (err) {
      throw new BacktestInputError((err as Error).message);
    }
    const space = req.space ?? DEFAULT_SPACES[req.strategy];
    if (space === undefined) throw new BacktestInputError(`--walk-forward: no default parameter space for ${JSON.stringify(req.strategy)}; give --space`);
    const search = req.search ?? { kind: "grid" };
    let points: Record<string, unknown>[];
    try {
      points = candidates(space, search);
    } catch (err) {
      throw new BacktestInputError(`--space: ${(err as Error).message}`);
    }
    let valid = 0;
    let lastError = "";
    for (const p of points) {
      try {
        create(req.strategy, withParams(params, p));
        valid++;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    if (valid === 0) throw new BacktestInputError(`--space: the strategy refuses every point (${lastError})`);
    walkForward = { spec, space, search };
  }
  return { request: req, params, pairs, files, timeframe, barMs, risk, walkForward, warnings };
}

/**
 * The risk rules the run trades under: none (risk off), DEFAULT_RISK, or --risk-config over it.
 * @throws BacktestInputError naming the rule and value, or both flags when risk is off.
 */
function resolveRisk(req: BacktestRequest): RiskConfig | null {
  if (req.riskConfig === undefined) return req.risk ? DEFAULT_RISK : null;
  // Off means no manager at all (all-in sizing), which no rule set can describe: refuse rather than guess.
  if (!req.risk) throw new BacktestInputError("--risk-config: cannot be combined with --risk off; drop one (to switch single rules off, set them to null in --risk-config)");
  try {
    return parseRiskConfig(req.riskConfig, "risk");
  } catch (err) {
    if ((err as Error).name !== "ValidationError") throw err;
    throw new BacktestInputError(`--risk-config: ${(err as Error).message}`);
  }
}

/** What a run produced, ready to be written. */
export interface BacktestOutcome {
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly regime: Uint8Array | null;
  readonly trades: readonly BacktestTrade[];
  readonly riskEvents: readonly RiskEvent[];
  readonly finalEquity: number;
  readonly metrics: Metrics;
  readonly bars: number;
  readonly walkForward?: WalkForwardReport;
}

/** Runs a prepared backtest: over all the data, or walk-forward (searches on worker threads). */
export async function executeBacktest(plan: PreparedBacktest, create: StrategyFactory): Promise<BacktestOutcome> {
  const req = plan.request;
  const fill = { commission: req.commission, slippage: req.slippage };
  if (plan.walkForward === null) {
    const r = runBacktest({
      pairs: plan.pairs, strategies: plan.pairs.map(() => create(req.strategy, plan.params)), fill, cash: req.cash,
      risk: plan.risk === null ? null : new RiskManager(plan.risk),
    });
    const metrics = computeMetrics({ curve: { t: r.time, equity: r.equity }, trades: r.trades, exposure: r.exposure });
    return { time: r.time, equity: r.equity, regime: r.regime, trades: r.trades, riskEvents: r.riskEvents, finalEquity: r.finalEquity, metrics, bars: r.bars };
  }
  const wf = plan.walkForward;
  const { report, run } = await runWalkForward({
    strategy: req.strategy, baseParams: plan.params, pairs: plan.pairs, spec: wf.spec, barMs: plan.barMs, space: wf.space, search: wf.search,
    fill, cash: req.cash, risk: plan.risk, workers: req.workers ?? 2, create, pboBlocks: req.pboBlocks,
  });
  return { ...run, walkForward: report };
}

/**
 * Writes summary.json, trades.arrow, equity.arrow and report.html into `out` (created if
 * missing). The CLI gives a staging folder and swaps it in whole (cli/output.ts), so a
 * failure never leaves a mix of old and new files. Returns the paths written.
 */
export async function writeBacktest(out: string, plan: PreparedBacktest, o: BacktestOutcome): Promise<string[]> {
  const req = plan.request;
  await mkdir(out, { recursive: true });
  const summary = summaryJson({
    generator: GENERATOR, strategy: req.strategy, params: plan.params, data: plan.files, timeframe: plan.timeframe, bars: o.bars,
    commission: req.commission, slippage: req.slippage, cash: req.cash, risk: plan.risk, riskOverrides: req.riskConfig, metrics: o.metrics, finalEquity: o.finalEquity,
    trades: o.trades, riskEvents: o.riskEvents, walkForward: o.walkForward,
  });
  const html = renderBacktestHtml({
    title: `btc-arena backtest: ${req.strategy} on ${plan.files.map((f) => f.pair).join(", ")}${o.walkForward === undefined ? "" : " (walk-forward, out of sample)"}`,
    generator: GENERATOR,
    meta: [
      ["strategy", `${req.strategy} ${JSON.stringify(plan.params)}`],
      ["data", plan.files.map((f) => `${f.file} (${f.fileBars} bars, ${f.from} → ${f.to}; ${f.gaps})`).join("; ")],
      ["timeframe", plan.timeframe],
      ["costs", `commission ${req.commission}, slippage ${req.slippage}; fills at the next bar's open`],
      ["cash", String(req.cash)],
      ["risk", plan.risk === null ? "off (all-in sizing)" : `on ${JSON.stringify(plan.risk)}${req.riskConfig === undefined ? "" : ` (--risk-config ${JSON.stringify(req.riskConfig)})`}`],
    ],
    metrics: o.metrics, finalEquity: o.finalEquity,
    prices: plan.pairs.map((p) => {
      const from = o.time[0];
      const to = o.time[o.time.length - 1];
      const keep = Array.from(p.bars.timestamps.keys()).filter((i) => p.bars.timestamps[i] >= from && p.bars.timestamps[i] <= to);
      return { pair: p.pair, time: Float64Array.from(keep, (i) => p.bars.timestamps[i]), close: Float64Array.from(keep, (i) => p.bars.close[i]) };
    }),
    time: o.time, equity: o.equity, regime: o.regime, trades: o.trades, riskEvents: o.riskEvents, walkForward: o.walkForward,
  });
  const files: [string, string | Uint8Array][] = [
    ["summary.json", JSON.stringify(summary, null, 2) + "\n"],
    ["trades.arrow", tradesArrow(o.trades)],
    ["equity.arrow", equityArrow(o.time, o.equity, o.regime)],
    ["report.html", html],
  ];
  for (const [name, bytes] of files) await writeFile(join(out, name), bytes);
  return files.map(([name]) => join(out, name));
}
