// The kill switch's action on a venue: cancel every open order of the symbol until none is left, then optionally flatten to a target base holding.
import { ExchangeError, type Exchange, type Order } from "../../market/exchange.ts";

export interface KillOptions {
  /** Market order back to this total base holding (e.g. the session's starting base; 0 = no position); no flattening when undefined. */
  readonly flattenTo?: number;
  /** Rounds of read-cancel-read before giving up (an order can be placed, or a request fail, meanwhile). Default 8. */
  readonly rounds?: number;
  /** Pause between rounds after a failure, ms. Default 250. */
  readonly pauseMs?: number;
  /** Each step, for the log. */
  readonly onStep?: (what: string, fields: Readonly<Record<string, unknown>>) => void;
}

export interface KillResult {
  /** Orders seen open that are gone at the end: canceled (acknowledged or not, e.g. an answer lost), or filled meanwhile. */
  readonly canceled: number;
  /** Open orders the venue still shows at the end (0 unless it kept failing). */
  readonly open: number;
  /** The flattening order, when one was sent. */
  readonly flatten: { readonly side: "buy" | "sell"; readonly amount: number; readonly order?: string } | undefined;
  /** Base held at the end (total), when read. */
  readonly base: number | undefined;
  /** Failures met on the way, as messages (the kill carries on past them). */
  readonly errors: readonly string[];
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/**
 * Cancels every open order of `symbol` on `ex`, re-reading the open orders after each round until
 * the venue shows none (a cancel refused because the order is already gone counts as done), then,
 * when `flattenTo` is given, sends one market order for the difference between the base held and
 * it (rounded down to the lot; nothing when under one lot or under the minimum notional).
 * Never throws for a venue failure: it retries within `rounds` and reports what is left.
 */
export async function killOrders(ex: Exchange, symbol: string, o: KillOptions = {}): Promise<KillResult> {
  const rounds = o.rounds ?? 8;
  const pauseMs = o.pauseMs ?? 250;
  const errors: string[] = [];
  const step = o.onStep ?? (() => {});
  const seen = new Set<string>();
  let open: Order[] | undefined;
  for (let r = 0; r < rounds; r++) {
    try {
      open = await ex.fetchOpenOrders(symbol);
    } catch (e) {
      errors.push(`fetchOpenOrders: ${(e as Error).message}`);
      open = undefined;
      await sleep(pauseMs);
      continue;
    }
    if (open.length === 0) break;
    for (const ord of open) seen.add(ord.id);
    let failed = false;
    for (const ord of open) {
      try {
        await ex.cancelOrder(ord.id, symbol);
        step("canceled", { id: ord.id, clientOrderId: ord.clientOrderId, side: ord.side, price: ord.price, amount: ord.amount });
      } catch (e) {
        // Gone meanwhile (filled or canceled): the next read says so.
        failed = true;
        errors.push(`cancel ${ord.id}: ${(e as Error).message}`);
      }
    }
    if (failed) await sleep(pauseMs);
  }
  let flatten: KillResult["flatten"];
  let base: number | undefined;
  if (o.flattenTo !== undefined) {
    const market = ex.markets[symbol];
    for (let r = 0; r < rounds && flatten === undefined; r++) {
      try {
        const [bal, book] = await Promise.all([ex.fetchBalance(), ex.fetchOrderBook(symbol, 5)]);
        base = bal.total[market.base] ?? 0;
        const lot = market.precision.amount;
        const diff = base - o.flattenTo;
        const amount = Math.floor(Math.abs(diff) / lot + 1e-9) * lot;
        const price = diff > 0 ? book.bids[0]?.[0] : book.asks[0]?.[0];
        if (amount < lot || price === undefined || amount * price < market.limits.cost.min) {
          step("flat", { base, target: o.flattenTo, difference: diff });
          break;
        }
        const side = diff > 0 ? "sell" : "buy";
        const sent = Number(amount.toFixed(12));
        const ord = await ex.createOrder(symbol, "market", side, sent);
        flatten = { side, amount: sent, order: ord.id };
        step("flattened", { side, amount: sent, order: ord.id, status: ord.status, filled: ord.filled, average: ord.average });
        base = (await ex.fetchBalance()).total[market.base] ?? 0;
      } catch (e) {
        errors.push(`flatten: ${(e as Error).message}`);
        // A refusal (not enough to buy back) will not change on a retry; a network failure may.
        if (e instanceof ExchangeError && e.reason !== "network") break;
        await sleep(pauseMs);
      }
    }
  }
  try {
    open = await ex.fetchOpenOrders(symbol);
  } catch (e) {
    errors.push(`fetchOpenOrders (final): ${(e as Error).message}`);
  }
  const still = new Set(open?.map((x) => x.id));
  const canceled = [...seen].filter((id) => !still.has(id)).length;
  return { canceled, open: open?.length ?? -1, flatten, base, errors };
}

/** One line saying what the kill did. */
export function describeKill(r: KillResult, symbol: string): string {
  const open = r.open < 0 ? "open orders unknown (the venue did not answer)" : `${r.open} open orders left`;
  const flat = r.flatten === undefined ? "" : `; flattened: ${r.flatten.side} ${r.flatten.amount} ${symbol.split("/")[0]} at market`;
  const base = r.base === undefined ? "" : `; ${symbol.split("/")[0]} held ${Number(r.base.toPrecision(12))}`;
  const errs = r.errors.length === 0 ? "" : `; ${r.errors.length} failures on the way (last: ${r.errors.at(-1)})`;
  return `canceled ${r.canceled} orders on ${symbol}, ${open}${flat}${base}${errs}`;
}
