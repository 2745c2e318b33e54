// `arena trade --config FILE`: the session's JSON config, checked with zod at the boundary; refusals name the field, the value and the rule.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { parseAt } from "../../market/validate.ts";

/** The user's input is wrong (a flag, the config, a symbol the venue does not list): the CLI exits 2. */
export class TradeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TradeInputError";
  }
}

const Url = z.string().url("must be a URL such as http://127.0.0.1:8090/api/v3");

export const TradeConfig = z.strictObject({
  /** The bot and its params (the `--bot`/`--params` flags override them). */
  bot: z.strictObject({
    name: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
  }).optional(),
  /** Risk-manager overrides (a rule set to null is off), for bots that use the manager (`strategy`): merged over the bot's params.risk. */
  risk: z.record(z.string(), z.unknown()).optional(),
  /** The paper broker: starting balances by currency, costs, and the folder its journal lives in. */
  paper: z.strictObject({
    balances: z.record(z.string().regex(/^[A-Z0-9]{1,20}$/, "must be a currency code such as BTC or USDT"), z.number().finite().min(0)).optional(),
    makerFee: z.number().min(0).max(0.1, "must be at most 0.1 (10%)").optional(),
    takerFee: z.number().min(0).max(0.1, "must be at most 0.1 (10%)").optional(),
    latencyMs: z.number().int().min(0).max(60_000).default(100),
    slippageBps: z.number().min(0).max(1_000).default(0),
    journal: z.string().min(1).optional(),
  }).optional(),
  /** The venue: ccxt id (`--exchange` overrides it), its test network, and URLs overriding ccxt's (how a bot is pointed at `arena serve`). */
  exchange: z.strictObject({
    id: z.string().optional(),
    sandbox: z.boolean().default(false),
    /** `ws`: market streams; `wsApi`: the WS-API (user data), defaulting to `ws` (arena serve answers it at /ws-api/v3). */
    urls: z.strictObject({ public: Url, private: Url, ws: Url.optional(), wsApi: Url.optional() }).optional(),
    /** ccxt `options`; with `urls` on binance the default is spot only, without margin or currency calls. */
    options: z.record(z.string(), z.unknown()).optional(),
    streams: z.enum(["poll", "ws"]).default("poll"),
    rateLimitMs: z.number().int().min(1).max(60_000).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    retries: z.number().int().min(0).max(10).default(3),
  }).optional(),
  /** The kill switch (`arena kill`, the circuit breaker): whether the breaker pulls it, and whether a breaker's kill flattens back to the base held at the start. */
  killSwitch: z.strictObject({
    onCircuitBreaker: z.enum(["stop", "pause"]).default("stop"),
    flatten: z.boolean().default(false),
  }).default({ onCircuitBreaker: "stop", flatten: false }),
  /** At stop: cancel the symbol's open orders (default) or leave them on the venue. */
  onStop: z.enum(["cancel", "leave"]).default("cancel"),
});
export type TradeConfig = z.infer<typeof TradeConfig>;

/** The config of a session started without --config. */
export const DEFAULT_TRADE_CONFIG: TradeConfig = TradeConfig.parse({});
/** The exchange block of a config that has none. */
export const DEFAULT_EXCHANGE_CONFIG: NonNullable<TradeConfig["exchange"]> = TradeConfig.shape.exchange.unwrap().parse({});

/**
 * Reads and checks a config file.
 * @throws TradeInputError naming the file and, for a bad field, its path, value and rule (e.g.
 * `--config: file "t.json": config.paper.takerFee: -1 is invalid: ...`).
 */
export async function loadTradeConfig(path: string): Promise<TradeConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT") throw new TradeInputError(`--config: ${JSON.stringify(path)} does not exist`);
    throw new TradeInputError(`--config: ${JSON.stringify(path)} cannot be read (${typeof code === "string" ? code : (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TradeInputError(`--config: file ${JSON.stringify(path)} is not JSON (${(e as Error).message})`);
  }
  try {
    return parseAt(TradeConfig, raw, "config");
  } catch (e) {
    throw new TradeInputError(`--config: file ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}
