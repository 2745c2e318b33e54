// The paper ledger's integer records as ccxt's unified shapes (orders, trades, balances).
import type { Balances, Order, Trade } from "../../market/exchange.ts";
import type { BarMoney } from "../../market/fills/money.ts";
import type { PaperFill, PaperOrder, Purse } from "./ledger.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** Unix ms to the port's stamps (ns); the paper venue is local, so both ends are the same time. */
function stamps(ms: number): { venueTs: number; localTs: number } {
  return { venueTs: ms * 1e6, localTs: ms * 1e6 };
}

export class PaperViews {
  constructor(private readonly money: BarMoney, private readonly symbol: string, private readonly base: string, private readonly quote: string) {}

  order(r: PaperOrder): Order {
    const b = this.money.base;
    const q = this.money.quote;
    const filled = b.toNumber(r.filled);
    const changed = Math.max(r.timestamp, r.lastTradeTimestamp ?? 0);
    return {
      id: r.id, clientOrderId: r.clientOrderId, timestamp: r.timestamp, datetime: iso(r.timestamp), lastTradeTimestamp: r.lastTradeTimestamp,
      symbol: this.symbol, type: r.type, timeInForce: r.tif, postOnly: r.postOnly, side: r.side,
      price: r.price === null ? undefined : this.money.price.toNumber(r.price),
      average: r.filled > 0 ? Number((q.toNumber(r.cost) / filled).toPrecision(12)) : undefined,
      amount: b.toNumber(r.amount), filled, remaining: b.toNumber(r.amount - r.filled), cost: q.toNumber(r.cost),
      status: r.status, fee: { cost: q.toNumber(r.fee), currency: this.quote }, reason: r.reason, info: stamps(changed),
    };
  }

  trade(f: PaperFill): Trade {
    const q = this.money.quote;
    return {
      id: f.trade, order: f.id, timestamp: f.ts, datetime: iso(f.ts), symbol: this.symbol, side: f.side, takerOrMaker: f.role,
      price: f.price, amount: this.money.base.toNumber(f.qty), cost: q.toNumber(f.value), fee: { cost: q.toNumber(f.fee), currency: this.quote },
      info: stamps(f.ts),
    };
  }

  balances(p: Purse, nowMs: number): Balances {
    const b = this.money.base;
    const q = this.money.quote;
    const base = { free: b.toNumber(p.baseFree), used: b.toNumber(p.baseUsed), total: b.toNumber(p.baseFree + p.baseUsed) };
    const quote = { free: q.toNumber(p.quoteFree), used: q.toNumber(p.quoteUsed), total: q.toNumber(p.quoteFree + p.quoteUsed) };
    return {
      [this.base]: base, [this.quote]: quote,
      free: { [this.base]: base.free, [this.quote]: quote.free },
      used: { [this.base]: base.used, [this.quote]: quote.used },
      total: { [this.base]: base.total, [this.quote]: quote.total },
      info: stamps(nowMs),
    };
  }
}
