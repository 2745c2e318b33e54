// The collector's market data source: a ccxt client (rate limiter on) built from `exchange: {id, sandbox, urls}`, and paginated OHLCV and trades with retries.
import ccxt from "ccxt";
import { z } from "zod";
import { retryAfterMs, toPortError, withRetries, type RetryPolicy } from "../ccxt-exchange-errors.ts";

type Loose = Record<string, any>;
const Url = z.string().url();

/** The `exchange` block of a config file: the same shape `arena trade --config` reads. */
export const ExchangeConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9]{2,40}$/, "must be a ccxt exchange id (lower-case letters and digits)"),
  sandbox: z.boolean().default(false),
  /** Another venue of the exchange's API (e.g. `arena serve`): set as ccxt's `urls.test`, sandbox mode on. */
  urls: z.strictObject({ public: Url, private: Url.optional(), ws: Url.optional() }).optional(),
  /** ccxt `options`; for binance at `arena serve`: fetchMargins false, fetchCurrencies false, fetchMarkets {types: ["spot"]}. */
  options: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retry: z.strictObject({ retries: z.number().int().min(0).max(20), baseDelayMs: z.number().int().min(0).max(60_000), maxDelayMs: z.number().int().min(0).max(600_000) })
    .default({ retries: 6, baseDelayMs: 500, maxDelayMs: 10_000 }),
  /** Candles (or trades) asked for per request; default 1000, Binance's maximum. */
  pageLimit: z.number().int().min(1).max(5000).default(1000),
  /** Spacing of ccxt's rate limiter, ms (default: the exchange's). */
  rateLimitMs: z.number().int().min(1).max(60_000).optional(),
});
export type ExchangeConfig = z.output<typeof ExchangeConfig>;

/** One candle: [open time Unix ms, open, high, low, close, volume]. */
export type Candle = [number, number, number, number, number, number];
/** One public trade. */
export interface PublicTrade { readonly id: string; readonly timestamp: number; readonly side: string; readonly price: number; readonly amount: number }

/** A source of public market data for one symbol. */
export interface MarketSource {
  /** Candles or trades per request. */
  readonly pageLimit: number;
  /** The timeframe's length, ms. @throws Error naming the timeframe when the exchange does not offer it. */
  timeframeMs(timeframe: string): number;
  /** Venue time, Unix ms. */
  now(): Promise<number>;
  /** Up to `limit` candles opening at or after `since`, oldest first. */
  ohlcv(timeframe: string, since: number, limit: number): Promise<Candle[]>;
  /** Public trades at or after `since` (the most recent when undefined), oldest first (a page). */
  trades(since: number | undefined, limit: number): Promise<PublicTrade[]>;
  close(): Promise<void>;
}

/**
 * Builds the ccxt client (rate limiter on), loads markets and checks the symbol.
 * @throws Error naming the exchange id or the symbol when either is unknown.
 */
export async function openSource(cfg: ExchangeConfig, symbol: string): Promise<MarketSource> {
  const Cls = (ccxt as unknown as Record<string, unknown>)[cfg.id];
  if (typeof Cls !== "function" || !(ccxt.exchanges as string[]).includes(cfg.id)) throw new Error(`--exchange: ${JSON.stringify(cfg.id)} is not a ccxt exchange id (e.g. binance, kraken, coinbase)`);
  const ex = new (Cls as new (c: Loose) => Loose)({ enableRateLimit: true, timeout: cfg.timeoutMs, options: cfg.options, ...(cfg.rateLimitMs !== undefined ? { rateLimit: cfg.rateLimitMs } : {}) });
  if (cfg.urls !== undefined) {
    ex.urls.test = { public: cfg.urls.public, private: cfg.urls.private ?? cfg.urls.public, ...(cfg.urls.ws !== undefined ? { ws: cfg.urls.ws } : {}) };
  }
  if (cfg.sandbox || cfg.urls !== undefined) ex.setSandboxMode(true);
  const policy: RetryPolicy = cfg.retry;
  const hint = (e: unknown) => retryAfterMs(e, ex.last_response_headers as Record<string, unknown> | undefined);
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await withRetries(policy, f, (ms) => new Promise((r) => setTimeout(r, ms)), hint);
    } catch (e) {
      throw toPortError(e, `${cfg.id} ${what}`, []);
    }
  };
  await call("loadMarkets", () => ex.loadMarkets());
  if (ex.markets[symbol] === undefined) {
    const some = Object.keys(ex.markets as object).slice(0, 5).join(", ");
    throw new Error(`--symbol: ${JSON.stringify(symbol)} is not listed on ${cfg.id} (listed: ${some}${Object.keys(ex.markets as object).length > 5 ? ", ..." : ""})`);
  }
  if (ex.has.fetchOHLCV !== true && ex.has.fetchOHLCV !== "emulated") throw new Error(`--exchange: ${cfg.id} does not offer OHLCV (has.fetchOHLCV is false)`);
  return {
    pageLimit: cfg.pageLimit,
    timeframeMs(timeframe: string): number {
      const offered = ex.timeframes as Record<string, unknown> | undefined;
      if (offered !== undefined && !(timeframe in offered)) throw new Error(`--timeframe: ${JSON.stringify(timeframe)} is not offered by ${cfg.id} (offered: ${Object.keys(offered).join(", ")})`);
      return ex.parseTimeframe(timeframe) * 1000;
    },
    now: () => call("fetchTime", async () => (ex.has.fetchTime === true ? Number(await ex.fetchTime()) : ex.milliseconds())),
    ohlcv: (timeframe, since, limit) => call(`fetchOHLCV ${symbol} ${timeframe} since ${since}`, () => ex.fetchOHLCV(symbol, timeframe, since, limit)) as Promise<Candle[]>,
    trades: async (since, limit) => {
      const list = await call(`fetchTrades ${symbol} since ${since ?? "(latest)"}`, () => ex.fetchTrades(symbol, since, limit)) as Loose[];
      return list.map((t) => ({ id: String(t.id), timestamp: Number(t.timestamp), side: String(t.side), price: Number(t.price), amount: Number(t.amount) }));
    },
    close: async () => undefined,
  };
}

