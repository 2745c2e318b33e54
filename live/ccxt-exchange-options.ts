// The options of createCcxtExchange, checked with zod; refusals name the field and rule but never echo a key or secret.
import { randomBytes } from "node:crypto";
import { z } from "zod";

const Url = z.string().url();
const WsUrl = z.string().regex(/^wss?:\/\/\S+$/, "must be a ws:// or wss:// URL");

export const CcxtExchangeOptions = z.strictObject({
  /** A ccxt exchange id, e.g. "binance". */
  id: z.string().regex(/^[a-z0-9]{2,40}$/, "must be a ccxt exchange id (lower-case letters and digits)"),
  /** The symbol fetchOpenOrders / fetchMyTrades / watchOrders use when given none (default: the only market, if one). */
  symbol: z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "must be BASE/QUOTE").optional(),
  /** Without keys only public market data is available (the paper broker's data source). */
  apiKey: z.string().min(1, "must not be empty").optional(),
  secret: z.string().min(1, "must not be empty").optional(),
  /** Trade on the exchange's test network (ccxt's setSandboxMode). */
  sandbox: z.boolean().default(false),
  /**
   * A venue of the exchange's API at other addresses (e.g. `arena serve`): set as ccxt's `urls.test`, with sandbox mode on.
   * `ws`: the market streams; `wsApi`: binance's WS-API, which its watchOrders/watchMyTrades use (default: `ws`).
   */
  urls: z.strictObject({ public: Url, private: Url, ws: WsUrl.optional(), wsApi: WsUrl.optional() }).optional(),
  /** ccxt `options` (e.g. binance's fetchMarkets types). */
  options: z.record(z.string(), z.unknown()).default({}),
  /** "poll": watch* poll fetch* every pollMs; "ws": ccxt pro's watch* (the venue must serve WebSocket streams). */
  streams: z.enum(["poll", "ws"]).default("poll"),
  pollMs: z.number().int().min(1).max(60_000).default(250),
  /** ccxt's rate limiter is always on; this sets its spacing between requests, ms (default: the exchange's). */
  rateLimitMs: z.number().int().min(1).max(60_000).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retry: z.strictObject({
    retries: z.number().int().min(0).max(10),
    baseDelayMs: z.number().int().min(0).max(60_000),
    maxDelayMs: z.number().int().min(0).max(600_000),
  }).default({ retries: 3, baseDelayMs: 200, maxDelayMs: 5_000 }),
  /** Prefix of generated client order ids (default: 8 random hex characters per session). */
  clientOrderIdPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, "must be 1-20 letters, digits, _ or -").optional(),
  /** The venue's clock, Unix ms (default: ccxt's milliseconds()). */
  clock: z.custom<() => number>((v) => typeof v === "function", "must be a function returning Unix ms").optional(),
}).refine((o) => o.streams !== "ws" || o.urls === undefined || o.urls.ws !== undefined, {
  // Without it ccxt pro would open the exchange's own sandbox streams while REST goes to `urls`.
  path: ["urls", "ws"], message: "is required with streams \"ws\" when urls are given",
});
export type CcxtExchangeInput = z.input<typeof CcxtExchangeOptions>;
export type CcxtExchangeConfig = z.output<typeof CcxtExchangeOptions> & { readonly clientOrderIdPrefix: string };

const SECRET_FIELDS = new Set(["apiKey", "secret"]);

/**
 * Checks the options. @throws Error naming the field, the value (never for apiKey or secret)
 * and the rule.
 */
export function parseOptions(input: unknown): CcxtExchangeConfig {
  const r = CcxtExchangeOptions.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    const path = i.path.join(".");
    const value = SECRET_FIELDS.has(String(i.path[0])) ? "(hidden)" : JSON.stringify(valueAt(input, i.path));
    throw new Error(`createCcxtExchange: ${path || "options"}: ${value} ${i.message}`);
  }
  return { ...r.data, clientOrderIdPrefix: r.data.clientOrderIdPrefix ?? randomBytes(4).toString("hex") };
}

function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let x = v;
  for (const k of path) x = x !== null && typeof x === "object" ? (x as Record<PropertyKey, unknown>)[k] : undefined;
  return typeof x === "function" ? "function" : x;
}
