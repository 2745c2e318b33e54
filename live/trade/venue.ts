// Opens the venue of `arena trade`: the ccxt adapter with the account's keys (live), or the paper broker over keyless ccxt market data (paper).
import ccxt from "ccxt";
import { ExchangeError, type Exchange } from "../../market/exchange.ts";
import { createCcxtExchange, type CcxtExchange } from "../ccxt-exchange.ts";
import { createPaperBroker } from "../paper/broker.ts";
import { TradeInputError, type TradeConfig } from "./config.ts";

/** True for an exchange id ccxt knows (checked before any request). */
export function isCcxtExchangeId(id: string): boolean {
  return (ccxt.exchanges as readonly string[]).includes(id);
}

/** ccxt's exchange ids, for messages. */
export function ccxtExchangeIds(): readonly string[] {
  return ccxt.exchanges as readonly string[];
}

/** The venue could not be used: unreachable, answering garbage, refusing the keys. The CLI exits 1. */
export class VenueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VenueError";
  }
}

export interface VenueRequest {
  readonly mode: "paper" | "live";
  readonly id: string;
  readonly symbol: string;
  /** Live only: from the environment. */
  readonly keys?: { readonly apiKey: string; readonly secret: string };
  readonly exchange: NonNullable<TradeConfig["exchange"]>;
  readonly paper: TradeConfig["paper"];
  /** The paper journal's folder when the config names none. */
  readonly defaultJournal: string;
  /** The venue's clock, Unix ms (default ccxt's, the wall clock). */
  readonly clock?: () => number;
  /** Wraps the ccxt adapter before anything trades or reads through it (the monitor's counting). */
  readonly wrap?: (data: Exchange) => Exchange;
}

export interface OpenVenue {
  /** What the bot trades through: the ccxt adapter (live) or the paper broker (paper). */
  readonly exchange: Exchange;
  /** Where market data comes from (the same adapter when live). */
  readonly data: CcxtExchange;
  /** One line: the venue and where it is. */
  readonly describe: string;
  close(): Promise<void>;
}

/** binance pointed at another address (`arena serve`): spot only, no margin or currency endpoints, which such a venue lacks. */
const SERVED_BINANCE_OPTIONS = { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } };

/**
 * Creates the ccxt adapter (markets loaded), checks the symbol, and for paper puts the paper
 * broker in front of it. Nothing is ordered here.
 * @throws TradeInputError for a symbol the venue does not list; VenueError naming the venue
 * (and its URL) when it cannot be reached or answers what ccxt cannot read.
 */
export async function openVenue(r: VenueRequest): Promise<OpenVenue> {
  const x = r.exchange;
  const where = `${r.id}${x.urls !== undefined ? ` at ${x.urls.public}` : x.sandbox ? " (sandbox)" : ""}`;
  let data: CcxtExchange;
  try {
    data = await createCcxtExchange({
      id: r.id,
      symbol: r.symbol,
      ...(r.mode === "live" && r.keys !== undefined ? { apiKey: r.keys.apiKey, secret: r.keys.secret } : {}),
      sandbox: x.sandbox,
      ...(x.urls !== undefined ? { urls: x.urls } : {}),
      options: x.options ?? (x.urls !== undefined && r.id === "binance" ? SERVED_BINANCE_OPTIONS : {}),
      streams: x.streams,
      ...(x.rateLimitMs !== undefined ? { rateLimitMs: x.rateLimitMs } : {}),
      timeoutMs: x.timeoutMs,
      retry: { retries: x.retries, baseDelayMs: 200, maxDelayMs: 5_000 },
      ...(r.clock !== undefined ? { clock: r.clock } : {}),
    });
  } catch (e) {
    if (e instanceof ExchangeError) throw new VenueError(`${where}: ${describeFailure(e)}`);
    throw new TradeInputError(`--exchange: ${(e as Error).message}`);
  }
  try {
    const market = data.markets[r.symbol];
    if (market === undefined) {
      const listed = Object.keys(data.markets);
      // An answer ccxt reads as no market at all is not an exchange: a wrong URL or a broken venue.
      if (listed.length === 0) throw new VenueError(`${where}: answered, but ccxt read no spot market from it (not this exchange's API, or a broken venue)`);
      throw new TradeInputError(`--symbol: ${JSON.stringify(r.symbol)} is not listed on ${where} (${listed.length} spot markets, e.g. ${listed.slice(0, 5).join(", ") || "none"})`);
    }
    const wrapped = r.wrap?.(data) ?? data;
    if (r.mode === "live") return { exchange: wrapped, data, describe: `${where}, live`, close: () => data.close() };
    const p = r.paper;
    const journalDir = p?.journal ?? r.defaultJournal;
    const broker = await createPaperBroker({
      data: wrapped,
      symbol: r.symbol,
      balances: p?.balances ?? { [market.quote]: 10_000 },
      costs: { makerFee: p?.makerFee ?? market.maker, takerFee: p?.takerFee ?? market.taker, latencyMs: p?.latencyMs ?? 100, slippageBps: p?.slippageBps ?? 0 },
      journalDir,
    });
    return {
      exchange: broker,
      data,
      describe: `paper broker (journal ${journalDir}) on market data from ${where}`,
      close: async () => {
        await broker.close();
        await data.close();
      },
    };
  } catch (e) {
    await data.close();
    throw e;
  }
}

/** A venue failure as a user reads it: what kind, then ccxt's words. */
function describeFailure(e: ExchangeError): string {
  switch (e.reason) {
    case "network":
      return `no usable answer (network: unreachable, timed out or unreadable): ${e.message}`;
    case "authentication":
      return `the keys were refused: ${e.message}`;
    default:
      return `answered what ccxt cannot use (${e.reason}): ${e.message}`;
  }
}
