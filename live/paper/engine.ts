// The paper venue's matching rules: market and crossing orders walk the real book, resting orders queue and fill by real trades.
//
// Synchronous and clock-free: the broker (broker.ts) calls it once a request has arrived (after
// the configured latency) and whenever the data source delivers a book or trades. Every change is
// an event, journaled before it is applied (ledger.ts), so what a restart rebuilds is what ran.
//
// Money goes through the shared fill model (market/fills/): a taker fill's price is the level's
// price with slippage against the trader (costs.ts buyPrice/sellPrice, never beyond the limit);
// its value rounds against the trader and its commission rounds down (money.ts BarMoney), at
// the taker rate; a resting order fills at its own price with no slippage, at the maker rate.
import { InsufficientFunds, InvalidOrder, OrderNotFound, type SideName, type TimeInForceName, type Trade } from "../../market/exchange.ts";
import { buyPrice, sellPrice } from "../../market/fills/costs.ts";
import type { BarMoney } from "../../market/fills/money.ts";
import type { PaperBook } from "./book.ts";
import type { PaperEvent, PaperFill, PaperLedger, PaperOrder } from "./ledger.ts";
import { applyPrint, type QueueSlot } from "./queue.ts";

/** An order as it reaches the paper venue, checked and in integer units. */
export interface PaperRequest {
  readonly type: "limit" | "market";
  readonly side: SideName;
  /** Base units. */
  readonly amount: number;
  /** Price units; undefined for a market order. */
  readonly price: number | undefined;
  readonly tif: TimeInForceName;
  readonly postOnly: boolean;
  /** Undefined: `paper-<order id>`, unique because order ids are. */
  readonly clientOrderId: string | undefined;
}

/** One taker fill of a walk: base units at a level, the fill's price (quote per base), value and fee in quote units. */
interface TakerFill {
  readonly level: number;
  readonly qty: number;
  readonly px: number;
  readonly value: number;
  readonly fee: number;
}

export interface EngineParts {
  readonly ledger: PaperLedger;
  readonly book: PaperBook;
  /** Unit systems and rates: `maker` for resting fills, `taker` for fills that take the book. */
  readonly maker: BarMoney;
  readonly taker: BarMoney;
  /** Minimum order value, quote units. */
  readonly minCost: number;
  readonly base: string;
  readonly quote: string;
  /** Journals one event (fsync'd) before it is applied. */
  readonly write: (ev: PaperEvent) => void;
  /** Told of every order change and fill, after it is applied. */
  readonly changed: (o: PaperOrder, fill: PaperFill | undefined) => void;
}

/** How many public trade ids are remembered to drop a trade the data source delivers twice. */
const SEEN_IDS = 10_000;

export class PaperEngine {
  private readonly seen = new Set<string>();

  constructor(private readonly p: EngineParts) {
    const last = p.ledger.lastSrc;
    if (last !== undefined) this.seen.add(last.id);
  }

  /**
   * Executes an order at time `now` (Unix ms): refusals throw before anything changes.
   * @throws InvalidOrder (post_only_would_cross, duplicate_client_order_id, min_notional),
   *   InsufficientFunds (insufficient_balance).
   */
  place(q: PaperRequest, now: number): PaperOrder {
    const { ledger, book, maker, taker } = this.p;
    const id = ledger.nextOrderId();
    const clientOrderId = q.clientOrderId ?? `paper-${id}`;
    if (ledger.open.some((r) => r.clientOrderId === clientOrderId)) {
      throw new InvalidOrder("duplicate_client_order_id", `clientOrderId: ${JSON.stringify(clientOrderId)} is already used by an open order`);
    }
    const px = (u: number) => maker.price.toNumber(u);
    if (q.postOnly && q.price !== undefined && book.crosses(q.side, q.price)) {
      throw new InvalidOrder("post_only_would_cross", `post-only ${q.side} at price ${px(q.price)} would cross the best ${q.side === "buy" ? "ask" : "bid"} ${px(book.bestFor(q.side))}`);
    }
    const purse = ledger.purse;
    const ref = q.price ?? book.bestFor(q.side);
    if (this.p.minCost > 0 && ref === ref && taker.value(q.amount, px(ref), true) < this.p.minCost) {
      throw new InvalidOrder("min_notional", `order value ${taker.quote.toNumber(taker.value(q.amount, px(ref), true))} ${this.p.quote} is below the minimum ${taker.quote.toNumber(this.p.minCost)}`);
    }
    const budget = q.type === "market" && q.side === "buy" ? purse.quoteFree : undefined;
    const walk = q.postOnly ? { fills: [] as TakerFill[], qty: 0, pay: 0, byBudget: false } : this.walk(q, budget);
    let reserve: number;
    let rest = 0;
    if (q.type === "limit" && q.tif !== "IOC" && q.tif !== "FOK") rest = q.amount - walk.qty;
    if (q.side === "sell") {
      reserve = q.amount;
      if (reserve > purse.baseFree) {
        throw new InsufficientFunds("insufficient_balance", `sell of amount ${taker.base.toNumber(q.amount)} ${this.p.base} needs ${taker.base.toNumber(reserve)}, ${taker.base.toNumber(purse.baseFree)} free`);
      }
    } else {
      reserve = walk.pay + (rest > 0 ? this.restingBuyReserve(q.price!, rest, 0, 0, 0) : 0);
      if (reserve > purse.quoteFree || (budget !== undefined && walk.qty === 0 && walk.byBudget)) {
        const need = budget !== undefined ? taker.buyTotal(taker.lotUnits, px(book.bestFor("buy"))) : reserve;
        throw new InsufficientFunds("insufficient_balance", `buy of amount ${taker.base.toNumber(q.amount)} ${this.p.base} needs ${taker.quote.toNumber(need)} ${this.p.quote}, ${taker.quote.toNumber(purse.quoteFree)} free`);
      }
    }
    if (q.tif === "FOK" && walk.qty < q.amount) walk.fills.length = 0;
    const ahead = rest > 0 ? this.aheadAt(q.side, q.price!, id) : 0;
    this.emit({
      e: "order", id, clientOrderId, type: q.type, side: q.side, tif: q.tif, postOnly: q.postOnly,
      price: q.price ?? null, amount: q.amount, ahead, reserve, ts: now,
    });
    for (const f of walk.fills) {
      book.take(q.side, f.level, f.qty);
      this.emit({ e: "fill", id, trade: ledger.nextTradeId(), role: "taker", qty: f.qty, price: f.px, value: f.value, fee: f.fee, ts: now });
    }
    const r = ledger.orders.get(id)!;
    if (r.filled === r.amount) this.emit({ e: "end", id, status: "closed", reason: null, ts: now });
    else if (rest === 0) {
      const why = q.tif === "FOK" ? "fok_unfillable" : q.type === "limit" ? "ioc_remainder" : walk.byBudget ? "insufficient_balance" : "no_liquidity";
      this.emit({ e: "end", id, status: "expired", reason: why, ts: now });
    }
    return r;
  }

  /** @throws OrderNotFound (unknown_order, order_closed). */
  cancel(id: string, now: number): PaperOrder {
    const r = this.find(id);
    this.emit({ e: "end", id, status: "canceled", reason: null, ts: now });
    this.freeQueue(r);
    return r;
  }

  /**
   * Changes a resting limit order's price and open amount (base units). The same price with no
   * more open amount keeps its place in the queue; anything else goes to the back of the queue
   * at the new price.
   * @throws OrderNotFound, InvalidOrder (not_supported, edit_would_cross), InsufficientFunds.
   */
  edit(id: string, side: SideName, open: number, price: number, now: number): PaperOrder {
    const { ledger, book, maker } = this.p;
    const r = this.find(id);
    if (r.type !== "limit" || r.side !== side) throw new InvalidOrder("not_supported", `editOrder: order ${id} is a ${r.type} ${r.side}: only a limit order's price and amount can be edited`);
    if (book.crosses(side, price)) throw new InvalidOrder("edit_would_cross", `editOrder: price ${maker.price.toNumber(price)} would cross the book; cancel and place a new order to take liquidity`);
    const keeps = price === r.price && open <= r.amount - r.filled;
    const reserve = side === "sell" ? open : price === r.price ? this.restingBuyReserve(price, open, r.makerQty, r.makerValue, r.makerFee) : this.restingBuyReserve(price, open, 0, 0, 0);
    const free = (side === "buy" ? ledger.purse.quoteFree : ledger.purse.baseFree) + r.reserved;
    if (reserve > free) {
      const u = side === "buy" ? maker.quote : maker.base;
      throw new InsufficientFunds("insufficient_balance", `editOrder: order ${id} needs ${u.toNumber(reserve)} ${side === "buy" ? this.p.quote : this.p.base}, ${u.toNumber(free)} available`);
    }
    const ahead = keeps ? r.ahead : this.aheadAt(side, price, id);
    if (!keeps) this.freeQueue(r);
    this.emit({ e: "edit", id, price, amount: r.filled + open, ahead, reserve, ts: now });
    return r;
  }

  /** A newer real book. */
  onBook(b: Parameters<PaperBook["update"]>[0]): void {
    this.p.book.update(b);
  }

  /** Real public trades, oldest first: each moves and fills the resting orders it reaches. */
  onTrades(trades: readonly Trade[]): void {
    const { ledger, maker } = this.p;
    for (const t of trades) {
      const last = ledger.lastSrc;
      if (this.seen.has(t.id) || (last !== undefined && t.timestamp < last.ts)) continue;
      this.remember(t.id);
      // Only orders resting before the trade printed (same millisecond: not known to be before).
      const eligible = ledger.open.filter((r) => r.type === "limit" && r.timestamp < t.timestamp);
      if (eligible.length === 0) continue;
      const slots: QueueSlot[] = eligible.map((r) => ({ side: r.side, price: r.price!, ahead: r.ahead, remaining: r.amount - r.filled }));
      const print = { price: maker.price.floor(t.price), size: maker.base.floor(t.amount), taker: t.side };
      const out = applyPrint(slots, print);
      const src = { id: t.id, ts: t.timestamp };
      for (let i = 0; i < eligible.length; i++) {
        const r = eligible[i];
        const o = out[i];
        if (o.ahead !== r.ahead) this.emit({ e: "queue", id: r.id, ahead: o.ahead, src });
        if (o.fill > 0) this.makerFill(r, o.fill, t.timestamp, src);
      }
    }
  }

  // ---------------------------------------------------------------- inside

  private emit(ev: PaperEvent): void {
    this.p.write(ev);
    this.p.ledger.apply(ev);
    const r = this.p.ledger.orders.get(ev.id)!;
    this.p.changed(r, ev.e === "fill" ? this.p.ledger.fills[this.p.ledger.fills.length - 1] : undefined);
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value!);
  }

  private find(id: string): PaperOrder {
    const r = this.p.ledger.orders.get(id);
    if (r === undefined) throw new OrderNotFound("unknown_order", `order ${JSON.stringify(id)} is unknown`);
    if (r.status !== "open") throw new OrderNotFound("order_closed", `order ${id} is already ${r.status}`);
    return r;
  }

  /** A resting order's fill of `qty` at its own price, maker rate; a buy is charged cumulatively (ledger.ts). */
  private makerFill(r: PaperOrder, qty: number, ts: number, src: { id: string; ts: number }): void {
    const m = this.p.maker;
    const price = m.price.toNumber(r.price!);
    let value: number;
    let fee: number;
    if (r.side === "buy") {
      const total = m.value(r.makerQty + qty, price, true);
      value = total - r.makerValue;
      fee = m.fee(total) - r.makerFee;
    } else {
      value = m.value(qty, price, false);
      fee = m.fee(value);
    }
    this.emit({ e: "fill", id: r.id, trade: this.p.ledger.nextTradeId(), role: "maker", qty, price, value, fee, ts, src });
    if (r.filled === r.amount) this.emit({ e: "end", id: r.id, status: "closed", reason: null, ts });
  }

  /** What a resting buy of `open` base units at `price` still needs, given the maker fills at that price so far. */
  private restingBuyReserve(price: number, open: number, mQty: number, mValue: number, mFee: number): number {
    const m = this.p.maker;
    const v = m.value(mQty + open, m.price.toNumber(price), true);
    return v - mValue + m.fee(v) - mFee;
  }

  /** The queue ahead of a new order at `price`: the real book's size there, and this broker's own orders already there. */
  private aheadAt(side: SideName, price: number, except: string): number {
    let ahead = this.p.book.sizeAt(side, price);
    for (const o of this.p.ledger.open) if (o.id !== except && o.side === side && o.price === price && o.type === "limit") ahead += o.amount - o.filled;
    return ahead;
  }

  /** An own order left its level: the orders placed after it there move up by what it still held. */
  private freeQueue(r: PaperOrder): void {
    const left = r.amount - r.filled;
    for (const o of this.p.ledger.open) {
      if (o === r || o.side !== r.side || o.price !== r.price || Number(o.id) < Number(r.id) || o.ahead === 0) continue;
      this.emit({ e: "queue", id: o.id, ahead: Math.max(0, o.ahead - left) });
    }
  }

  /** The taker part of an order: the levels it takes, up to its price and amount (and, for a market buy, `budget` quote units). */
  private walk(q: PaperRequest, budget: number | undefined): { fills: TakerFill[]; qty: number; pay: number; byBudget: boolean } {
    const t = this.p.taker;
    const fills: TakerFill[] = [];
    let qty = 0;
    let pay = 0;
    let byBudget = false;
    const limit = q.price === undefined ? Infinity : t.price.toNumber(q.price);
    for (const l of this.p.book.takeable(q.side, q.price)) {
      const want = Math.min(l.size, q.amount - qty);
      if (want <= 0) break;
      const raw = t.price.toNumber(l.price);
      // Slippage against the trader, never beyond the order's own limit.
      const px = q.side === "buy" ? Math.min(buyPrice(t.fill, raw), limit) : Math.max(sellPrice(t.fill, raw), q.price === undefined ? 0 : limit);
      let n = want;
      if (budget !== undefined && t.buyTotal(n, px) > budget - pay) {
        n = Math.min(want, t.affordable(budget - pay, px));
        byBudget = true;
      }
      if (n <= 0) break;
      const value = t.value(n, px, q.side === "buy");
      const fee = t.fee(value);
      fills.push({ level: l.price, qty: n, px, value, fee });
      qty += n;
      pay += q.side === "buy" ? value + fee : 0;
      if (byBudget) break;
    }
    return { fills, qty, pay, byBudget };
  }
}
