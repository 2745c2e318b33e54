// ccxt's unified shapes (orders, books, balances) built from the simulator's integer records.
import type { Balances, MarketInfo, Order, OrderBook, Stamps, Trade } from "./exchange.ts";
import { lotsToAmount, ticksToPrice, type Instrument } from "./instrument.ts";
import type { OrderRec } from "./sim-order-cache.ts";
import type { BookSnapshot } from "./sim-venue.ts";
import { Side, type TradeEvent } from "./types.ts";

/** The order cache's record (market/sim-order-cache.ts), also named here, where it becomes ccxt's order. */
export type { OrderRec };

/** A trade as received, kept until someone reads it. `mine`: one of this client's fills. */
export interface RawTrade {
  readonly ev: TradeEvent;
  readonly stamps: Stamps;
  readonly asTaker: boolean;
  readonly mine: boolean;
}

/** The market rules of an instrument as ccxt's `markets` (one symbol), frozen. */
export function marketsOf(inst: Instrument): Readonly<Record<string, MarketInfo>> {
  const s = inst.spec;
  return Object.freeze({
    [s.symbol]: Object.freeze({
      symbol: s.symbol, base: inst.base, quote: inst.quote,
      precision: { price: s.tickSize, amount: s.lotSize },
      limits: { cost: { min: s.minNotional } },
      maker: s.makerFeePpm / 1e6, taker: s.takerFeePpm / 1e6,
    }),
  });
}

/** Converts integer records to ccxt shapes for one instrument; times are Unix ms from `epochMs`. */
export class CcxtShapes {
  constructor(private readonly inst: Instrument, private readonly epochMs: number) {}

  /** Unix ms of a simulated time in ns. */
  ms(ns: number): number {
    return this.epochMs + Math.floor(ns / 1e6);
  }

  /** A public trade (taker's side) or one of this client's fills (own side, role and fee). */
  trade(t: RawTrade): Trade {
    const inst = this.inst;
    const ev = t.ev;
    const ts = this.ms(t.stamps.venueTs);
    const common = {
      id: String(ev.tradeId), timestamp: ts, datetime: iso(ts), symbol: inst.symbol,
      price: ticksToPrice(inst, ev.price), amount: lotsToAmount(inst, ev.size),
      cost: (ev.price * ev.size * inst.quoteUnitsPerTickLot) / inst.spec.quoteScale, info: t.stamps,
    };
    if (!t.mine) return { ...common, order: undefined, side: ev.aggressor === Side.BUY ? "buy" : "sell", takerOrMaker: undefined, fee: undefined };
    const side = t.asTaker ? ev.aggressor : 1 - ev.aggressor;
    return {
      ...common,
      order: String(t.asTaker ? ev.takerOrderId : ev.makerOrderId),
      side: side === Side.BUY ? "buy" : "sell",
      takerOrMaker: t.asTaker ? "taker" : "maker",
      fee: { cost: (t.asTaker ? ev.takerFee : ev.makerFee) / inst.spec.quoteScale, currency: inst.quote },
    };
  }

  /** A client-side order record as ccxt's unified order. */
  order(r: OrderRec): Order {
    const inst = this.inst;
    const q = inst.spec.quoteScale;
    const ts = this.ms(r.venueTs);
    const filledAmt = lotsToAmount(inst, r.filled);
    return {
      id: String(r.id), clientOrderId: r.clientOrderId, timestamp: ts, datetime: iso(ts),
      lastTradeTimestamp: r.lastTradeTs === undefined ? undefined : this.ms(r.lastTradeTs),
      symbol: inst.symbol, type: r.type, timeInForce: r.tif, postOnly: r.postOnly,
      side: r.side === Side.BUY ? "buy" : "sell",
      price: r.type === "market" ? undefined : ticksToPrice(inst, r.price),
      average: r.filled > 0 ? Number((r.cost / q / filledAmt).toPrecision(12)) : undefined,
      amount: lotsToAmount(inst, r.amount), filled: filledAmt,
      remaining: lotsToAmount(inst, r.amount - r.filled),
      cost: r.cost / q, status: r.status, fee: { cost: r.fee / q, currency: inst.quote },
      reason: r.reason, info: { venueTs: r.venueTs, localTs: r.localTs },
    };
  }

  /** A venue book snapshot as ccxt's order book, `limit` levels a side. */
  book(b: BookSnapshot, stamps: Stamps, limit: number): OrderBook {
    const inst = this.inst;
    const side = (levels: BookSnapshot["bids"]) =>
      levels.slice(0, limit).map((l) => [ticksToPrice(inst, l.price), lotsToAmount(inst, l.size)] as const);
    const ts = this.ms(b.venueTs);
    return { symbol: inst.symbol, bids: side(b.bids), asks: side(b.asks), timestamp: ts, datetime: iso(ts), nonce: b.venueTs, info: stamps };
  }

  /** [base free, base locked, quote free, quote locked] in units as ccxt's balances. */
  balances(r: readonly number[], stamps: Stamps): Balances {
    const inst = this.inst;
    const b = inst.spec.baseScale;
    const q = inst.spec.quoteScale;
    const base = { free: r[0] / b, used: r[1] / b, total: (r[0] + r[1]) / b };
    const quote = { free: r[2] / q, used: r[3] / q, total: (r[2] + r[3]) / q };
    return {
      [inst.base]: base, [inst.quote]: quote,
      free: { [inst.base]: base.free, [inst.quote]: quote.free },
      used: { [inst.base]: base.used, [inst.quote]: quote.used },
      total: { [inst.base]: base.total, [inst.quote]: quote.total },
      info: stamps,
    };
  }
}

/** ISO 8601 UTC of a Unix ms time (a pure function of its argument). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
