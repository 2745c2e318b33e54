// `arena trade`: one registered bot, unchanged, on a real venue (or the paper broker) on the wall clock; every input checked before any request.
import type { Command } from "commander";
import { BOT_TYPES } from "../agents/registry.ts";
import { parseAt, ValidationError } from "../market/validate.ts";
import { DEFAULT_EXCHANGE_CONFIG, DEFAULT_TRADE_CONFIG, loadTradeConfig, TradeInputError, type TradeConfig } from "../live/trade/config.ts";
import { scrub } from "../live/ccxt-exchange-errors.ts";
import { JsonlLog } from "../live/trade/log.ts";
import { startOps } from "../live/trade/ops.ts";
import { runSession } from "../live/trade/session.ts";
import { isCcxtExchangeId, openVenue } from "../live/trade/venue.ts";
import { Rng } from "../sim/rng.ts";
import { parseDuration, parsePath, parseSeed, UsageError } from "./args.ts";
import { jsonObject } from "./backtest.ts";
import { parseControlPort } from "./kill.ts";
import { parseMetricsPort } from "./serve.ts";
import { checkLivePromotion } from "./promotion-check.ts";
import { REGISTRY_HELP } from "./promote.ts";

/** The environment variables live keys come from, and nowhere else. */
export const KEY_ENV = "EXCHANGE_API_KEY";
export const SECRET_ENV = "EXCHANGE_API_SECRET";

interface Flags {
  bot?: string;
  params?: Record<string, unknown>;
  exchange?: string;
  symbol: string;
  paper?: boolean;
  live?: boolean;
  confirmLive?: boolean;
  config?: string;
  seed: number;
  duration?: number;
  log?: string;
  metricsPort?: number;
  controlPort?: number;
  registry?: string;
}

/** Adds the `trade` command to `program`. */
export function addTradeCommand(program: Command): void {
  program
    .command("trade")
    .description("run one registered bot, unchanged, on a venue through ccxt on the wall clock: paper (default: the paper broker on the venue's market data) or --live; reconciles with the venue first, logs every decision, order and fill as JSON lines, stops cleanly on Ctrl-C")
    .option("--bot <name>", `a registered bot (${Object.keys(BOT_TYPES).join(", ")}); or the config's bot.name`)
    .option("--params <json>", "the bot's params as a JSON object (as a scenario's bots[i].params); or the config's bot.params", (v) => jsonObject("--params", v))
    .option("--exchange <id>", "a ccxt exchange id, e.g. binance; or the config's exchange.id")
    .requiredOption("--symbol <sym>", "the market, BASE/QUOTE, e.g. BTC/USDT")
    .option("--paper", "paper trading (the default): fills simulated by the paper broker against the venue's live book, no keys")
    .option("--live", "real orders with the keys in EXCHANGE_API_KEY / EXCHANGE_API_SECRET (needs --confirm-live)")
    .option("--confirm-live", "confirms --live: orders with real money")
    .option("--config <file>", "JSON: {bot, risk, paper, exchange: {id, sandbox, urls: {public, private, ws}}, onStop: cancel|leave}", (v) => parsePath("--config", v))
    .option("--seed <n>", "root of the bot's random stream", (v) => parseSeed("--seed", v), 1)
    .option("--duration <d>", "stop after this wall-clock time, e.g. 90s, 30m, 8h (default: until Ctrl-C)", (v) => parseDuration("--duration", v))
    .option("--log <file>", "the JSON-lines log, appended to (default runs/trade/BOT-EXCHANGE-SYMBOL.jsonl)", (v) => parsePath("--log", v))
    .option("--metrics-port <p>", "serve Prometheus /metrics and /health (503 with the reason when data is stale or the venue unreachable) on 127.0.0.1 at this port (0 = any free port); off when not given", parseMetricsPort)
    .option("--control-port <p>", "serve the kill switch on 127.0.0.1 at this port (0 = any free port) for `arena kill --control-port P`; off when not given", parseControlPort)
    .option("--registry <dir>", `with --live: the agent registry the bot must be promoted to live in (${REGISTRY_HELP}); not asked of arena serve on loopback`, (v) => parsePath("--registry", v))
    .action(async (o: Flags) => scrubbed(() => trade(o, process.env), [process.env[KEY_ENV] ?? "", process.env[SECRET_ENV] ?? ""]));
}

/** A bot's params after its schema, the config's risk merged in for bots that use the risk manager. */
function botParams(bot: string, raw: Record<string, unknown>, risk: TradeConfig["risk"], from: string): Record<string, unknown> {
  let input = raw;
  if (risk !== undefined) {
    if (bot !== "strategy") throw new UsageError(`--config: risk: given, but the bot ${bot} does not use the risk manager (only strategy does)`);
    const own = raw.risk;
    input = { ...raw, risk: { ...(own !== null && typeof own === "object" ? own : {}), ...risk } };
  }
  try {
    const params = parseAt(BOT_TYPES[bot].params, input, "params") as Record<string, unknown>;
    BOT_TYPES[bot].create(params);
    return params;
  } catch (e) {
    if (e instanceof ValidationError) throw new UsageError(`${from}: ${e.message}`);
    throw e;
  }
}

/** Runs `f` with the keys cut out of whatever it prints or throws (a last guard; the log and the adapter's errors scrub already). */
export async function scrubbed(f: () => Promise<void>, secrets: readonly string[]): Promise<void> {
  const keys = secrets.map((k) => k.trim()).filter((k) => k !== "");
  try {
    await f();
  } catch (e) {
    if (e instanceof Error && keys.length > 0) e.message = scrub(e.message, keys);
    throw e;
  }
}

async function trade(o: Flags, env: NodeJS.ProcessEnv): Promise<void> {
  if (o.paper === true && o.live === true) throw new UsageError("--paper and --live: give one of them (paper is the default)");
  if (o.confirmLive === true && o.live !== true) throw new UsageError("--confirm-live: confirms --live, which was not given");
  let cfg: TradeConfig = DEFAULT_TRADE_CONFIG;
  if (o.config !== undefined) {
    try {
      cfg = await loadTradeConfig(o.config);
    } catch (e) {
      if (e instanceof TradeInputError) throw new UsageError(e.message);
      throw e;
    }
  }
  const botName = o.bot ?? cfg.bot?.name;
  if (botName === undefined) throw new UsageError(`--bot: no bot given (give --bot NAME or the config's bot.name; known: ${Object.keys(BOT_TYPES).join(", ")})`);
  const botFrom = o.bot !== undefined ? "--bot" : "--config: bot.name";
  if (!Object.hasOwn(BOT_TYPES, botName)) throw new UsageError(`${botFrom}: ${JSON.stringify(botName)} is not a registered bot (known: ${Object.keys(BOT_TYPES).join(", ")})`);
  const params = botParams(botName, o.params ?? cfg.bot?.params ?? {}, cfg.risk, o.params !== undefined ? "--params" : "--config: bot.params");

  const id = o.exchange ?? cfg.exchange?.id;
  if (id === undefined) throw new UsageError("--exchange: no exchange given (give --exchange ID, e.g. binance, or the config's exchange.id)");
  const idFrom = o.exchange !== undefined ? "--exchange" : "--config: exchange.id";
  if (!isCcxtExchangeId(id)) throw new UsageError(`${idFrom}: ${JSON.stringify(id)} is not a ccxt exchange id (e.g. binance, kraken, coinbase, okx, bybit)`);
  const symbol = o.symbol.trim();
  if (!/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(symbol)) throw new UsageError(`--symbol: ${JSON.stringify(o.symbol)} is not BASE/QUOTE in capitals, e.g. BTC/USDT`);

  const mode = o.live === true ? "live" : "paper";
  let keys: { apiKey: string; secret: string } | undefined;
  if (mode === "live") {
    const missing = [KEY_ENV, SECRET_ENV].filter((k) => (env[k] ?? "").trim() === "");
    if (missing.length > 0) throw new UsageError(`--live: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set in the environment (live keys come from the environment only)`);
    if (o.confirmLive !== true) throw new UsageError("--live: sends real orders with real money; add --confirm-live to confirm");
    keys = { apiKey: env[KEY_ENV]!.trim(), secret: env[SECRET_ENV]!.trim() };
    await checkLivePromotion(botName, params, cfg.exchange?.urls, o.registry);
  }
  const pair = symbol.replace("/", "");
  const logPath = o.log ?? `runs/trade/${botName}-${id}-${pair}.jsonl`;
  const exchangeCfg = cfg.exchange ?? DEFAULT_EXCHANGE_CONFIG;

  const ops = await startOps({ metricsPort: o.metricsPort, controlPort: o.controlPort, status: () => ({ bot: botName, exchange: id, symbol, mode, log: logPath }) });
  let venue;
  try {
    venue = await openVenue({ mode, id, symbol, keys, exchange: exchangeCfg, paper: cfg.paper, defaultJournal: `runs/paper/${id}-${pair}`, wrap: ops.wrap });
  } catch (e) {
    await ops.close();
    if (e instanceof TradeInputError) throw new UsageError(e.message);
    throw e;
  }
  const log = new JsonlLog(logPath, keys === undefined ? [] : [keys.apiKey, keys.secret]);
  const out = (s: string) => void process.stdout.write(keys === undefined ? s : scrub(s, [keys.apiKey, keys.secret]));
  out(`arena trade: ${botName} ${JSON.stringify(params)} on ${symbol}, ${venue.describe}; on stop: ${cfg.onStop} open orders; log ${logPath}\n${ops.lines.map((l) => `${l}\n`).join("")}`);
  let result;
  try {
    result = await runSession({
      botName, bot: BOT_TYPES[botName].create(params), exchange: venue.exchange, symbol, rng: Rng.root(o.seed).fork(`agents/bot/${botName}`),
      log, onStop: cfg.onStop, durationMs: o.duration === undefined ? undefined : o.duration / 1e6, out,
      describe: { mode, exchange: id, urls: exchangeCfg.urls, params, seed: o.seed },
      monitor: ops.monitor, killSwitch: ops.killSwitch, onCircuitBreaker: cfg.killSwitch.onCircuitBreaker, flattenOnBreaker: cfg.killSwitch.flatten,
    });
  } catch (e) {
    ops.killSwitch.done(`arena trade: stopped on an error: ${(e as Error).message}\n`);
    throw e;
  } finally {
    log.close();
    await venue.close();
    await ops.close();
  }
  if (result.error !== undefined) throw new Error(`trade: ${botName} stopped on an error: ${result.error.message}`);
}
