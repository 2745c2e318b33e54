// `arena backtest --bot`: any registered bot on recorded bars through the replay exchange; checks, run, and the same output files as a strategy backtest.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bot, LogRecord } from "../../agents/bot.ts";
import { StrategyBot } from "../../agents/bots/strategy-bot.ts";
import { BOT_TYPES } from "../../agents/registry.ts";
import { parseAt, ValidationError } from "../../market/validate.ts";
import { Rng } from "../../sim/rng.ts";
import { computeMetrics, metricsToJson } from "../metrics/performance.ts";
import { barSpacing, describeGaps, ohlcvGaps, type Ohlcv } from "../ohlcv.ts";
import { equityArrow, tradesArrow } from "./arrow-out.ts";
import { runBotOnBars } from "./bot-driver.ts";
import { checkFillModel } from "../../market/fills/costs.ts";
import { BacktestInputError, GENERATOR, load, MIN_TRADED_BARS, pairName, type BacktestOutcome } from "./job.ts";
import { renderBacktestHtml } from "./report.ts";
import { resample, timeframeMs } from "./resample.ts";
import { NO_REGIME, REGIME_LABELS } from "./runner.ts";
import { isoUtc, type DataFileInfo } from "./summary.ts";

/** What the user asked for with --bot. */
export interface BotBacktestRequest {
  readonly bot: string;
  /** The --params object (parsed JSON): the bot's params, as a scenario's `bots[i].params`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly data: readonly string[];
  readonly commission: number;
  readonly slippage: number;
  readonly cash: number;
  /** --timeframe: the bars are resampled to it before the replay. */
  readonly timeframe?: string;
  /** Root of the bot's random stream (`agents/bot/NAME` under it). */
  readonly seed: number;
}

export interface PreparedBotBacktest {
  readonly request: BotBacktestRequest;
  /** The params after the bot's schema (defaults filled in). */
  readonly params: Record<string, unknown>;
  readonly pair: string;
  readonly bars: Ohlcv;
  readonly file: DataFileInfo;
  readonly timeframe: string;
  readonly warnings: readonly string[];
}

const TF_NAMES: Readonly<Record<number, string>> = { 60_000: "1m", 300_000: "5m", 900_000: "15m", 3_600_000: "1h", 14_400_000: "4h", 86_400_000: "1d" };

/** Builds the bot, turning a refusal of its params into a message naming --params. */
function createBot(name: string, params: Record<string, unknown>): Bot {
  try {
    return BOT_TYPES[name].create(params);
  } catch (err) {
    if ((err as Error).name !== "ValidationError") throw err;
    const field = (err as ValidationError).field;
    throw new BacktestInputError(`--params: ${field.startsWith("params") ? "" : "params."}${(err as Error).message}`);
  }
}

/**
 * Checks and loads everything: costs and cash, the bot name and its params (its schema, then
 * building it once), one data file, the timeframe against the data.
 * @throws BacktestInputError with one message naming the flag and the value.
 */
export async function prepareBotBacktest(req: BotBacktestRequest): Promise<PreparedBotBacktest> {
  try {
    checkFillModel({ commission: req.commission, slippage: req.slippage });
  } catch (err) {
    throw new BacktestInputError(`--${(err as Error).message}`);
  }
  if (!(Number.isFinite(req.cash) && req.cash > 0)) throw new BacktestInputError(`--cash: ${req.cash} must be a positive amount of quote currency`);
  if (!Object.hasOwn(BOT_TYPES, req.bot)) throw new BacktestInputError(`--bot: ${JSON.stringify(req.bot)} is not a registered bot (known: ${Object.keys(BOT_TYPES).join(", ")})`);
  let params: Record<string, unknown>;
  try {
    params = parseAt(BOT_TYPES[req.bot].params, req.params, "params") as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ValidationError) throw new BacktestInputError(`--params: ${err.message}`);
    throw err;
  }
  createBot(req.bot, params);
  if (req.data.length !== 1) throw new BacktestInputError(`--data: a bot trades one symbol; give one file (got ${req.data.length})`);
  const path = req.data[0];
  const raw = await load(path);
  const spacing = barSpacing(raw.timestamps);
  let bars = raw;
  let timeframe = TF_NAMES[spacing] ?? `${spacing / 60_000}m`;
  if (req.timeframe !== undefined) {
    const ms = timeframeMs(req.timeframe);
    if (spacing > ms) throw new BacktestInputError(`--timeframe: ${JSON.stringify(req.timeframe)} is finer than the data's bars (${timeframe}) in ${JSON.stringify(path)}`);
    if (spacing < ms) bars = resample(raw, req.timeframe);
    timeframe = req.timeframe;
  }
  const gaps = ohlcvGaps(raw);
  const n = raw.timestamps.length;
  const file: DataFileInfo = {
    file: path, pair: pairName(path), fileBars: n, bars: bars.timestamps.length,
    from: isoUtc(raw.timestamps[0]), to: isoUtc(raw.timestamps[n - 1]), gaps: describeGaps(gaps),
  };
  const warnings = gaps.length > 0 ? [`data gaps in ${path}: ${describeGaps(gaps)}`] : [];
  // A bot declares no warm-up, so only the trading part is asked for.
  const m = bars.timestamps.length;
  if (m < MIN_TRADED_BARS) warnings.push(`${path} gives ${m} ${timeframe} ${m === 1 ? "bar" : "bars"}, fewer than the ${MIN_TRADED_BARS} a backtest needs: the figures are meaningless`);
  return { request: req, params, pair: file.pair, bars, file, timeframe, warnings };
}

export interface BotBacktestOutcome extends Omit<BacktestOutcome, "walkForward"> {
  readonly wakes: number;
  /** The bot's `refused` count, for bots that keep one. */
  readonly refused: number | undefined;
  readonly log: { readonly records: readonly LogRecord[]; readonly dropped: number };
}

/** Runs a fresh bot of the plan on its bars (the rule of bot-driver.ts). */
export async function executeBotBacktest(plan: PreparedBotBacktest): Promise<BotBacktestOutcome> {
  const req = plan.request;
  const bot = createBot(req.bot, plan.params);
  const r = await runBotOnBars(bot, {
    bars: plan.bars, pair: plan.pair, fill: { commission: req.commission, slippage: req.slippage }, cash: req.cash,
    rng: Rng.root(req.seed).fork(`agents/bot/${req.bot}`),
  });
  const metrics = computeMetrics({ curve: { t: r.time, equity: r.equity }, trades: r.trades, exposure: r.exposure });
  const strategyBot = bot instanceof StrategyBot ? bot : undefined;
  const refused = (bot as { refused?: unknown }).refused;
  return {
    time: r.time, equity: r.equity, regime: strategyBot?.strategy.regime === undefined ? null : regimeCodes(r.time, strategyBot.regimes),
    trades: r.trades, riskEvents: strategyBot?.risk.events ?? [], finalEquity: r.finalEquity, metrics, bars: r.bars, wakes: r.wakes,
    refused: typeof refused === "number" ? refused : undefined, log: { records: r.log.records, dropped: r.log.dropped },
  };
}

/** Per step, the code of the last regime label whose bar opened at or before it (NO_REGIME before the first). */
function regimeCodes(time: Float64Array, changes: readonly { time: number; regime: string }[]): Uint8Array {
  const out = new Uint8Array(time.length).fill(NO_REGIME);
  let k = -1;
  for (let i = 0; i < time.length; i++) {
    while (k + 1 < changes.length && changes[k + 1].time <= time[i]) k++;
    if (k >= 0) out[i] = (REGIME_LABELS as readonly string[]).indexOf(changes[k].regime);
  }
  return out;
}

/**
 * summary.json of a bot backtest, keys in a fixed order: generator, bot, params, data,
 * timeframe, bars, commission, slippage, cash, seed, metrics, finalEquity, wakes, refused
 * (bots that count them), trades, riskEvents (strategy bots), log (the bot's records, at most
 * 1,000, and how many were dropped).
 */
export function botSummaryJson(plan: PreparedBotBacktest, o: BotBacktestOutcome): Record<string, unknown> {
  const req = plan.request;
  return {
    generator: GENERATOR, bot: req.bot, params: plan.params, data: [plan.file], timeframe: plan.timeframe, bars: o.bars,
    commission: req.commission, slippage: req.slippage, cash: req.cash, seed: req.seed, metrics: metricsToJson(o.metrics), finalEquity: o.finalEquity,
    wakes: o.wakes, ...(o.refused === undefined ? {} : { refused: o.refused }),
    trades: o.trades.map((t) => ({
      entryTime: isoUtc(t.entryTime), exitTime: isoUtc(t.exitTime), side: t.side, entryPrice: t.entryPrice, exitPrice: t.exitPrice,
      size: t.size, fees: t.fees, pnl: t.pnl, exitReason: t.exitReason, pair: t.pair,
    })),
    riskEvents: o.riskEvents.map((e) => ({ time: isoUtc(e.time), action: e.action, rule: e.rule, pair: e.pair, detail: e.detail })),
    log: { records: o.log.records.map((r) => ({ ...r, t: isoUtc(r.t) })), dropped: o.log.dropped },
  };
}

/**
 * Writes summary.json, trades.arrow, equity.arrow and report.html into `out` (created if
 * missing; the CLI gives a staging folder it swaps in whole, as for writeBacktest). Returns the paths written.
 */
export async function writeBotBacktest(out: string, plan: PreparedBotBacktest, o: BotBacktestOutcome): Promise<string[]> {
  const req = plan.request;
  await mkdir(out, { recursive: true });
  const f = plan.file;
  const html = renderBacktestHtml({
    title: `btc-arena backtest: bot ${req.bot} on ${plan.pair}`,
    generator: GENERATOR,
    meta: [
      ["bot", `${req.bot} ${JSON.stringify(plan.params)}`],
      ["data", `${f.file} (${f.fileBars} bars, ${f.from} → ${f.to}; ${f.gaps})`],
      ["timeframe", `${plan.timeframe}; the bot's wake-ups are served at bar closes`],
      ["costs", `commission ${req.commission}, slippage ${req.slippage}; fills at the next bar's open`],
      ["cash", String(req.cash)],
      ["seed", String(req.seed)],
    ],
    metrics: o.metrics, finalEquity: o.finalEquity,
    prices: [{ pair: plan.pair, time: o.time, close: Float64Array.from(plan.bars.close) }],
    time: o.time, equity: o.equity, regime: o.regime, trades: o.trades, riskEvents: o.riskEvents,
  });
  const files: [string, string | Uint8Array][] = [
    ["summary.json", JSON.stringify(botSummaryJson(plan, o), null, 2) + "\n"],
    ["trades.arrow", tradesArrow(o.trades)],
    ["equity.arrow", equityArrow(o.time, o.equity, o.regime)],
    ["report.html", html],
  ];
  for (const [name, bytes] of files) await writeFile(join(out, name), bytes);
  return files.map(([name]) => join(out, name));
}
