// The paper broker's state as a fold over its journal events: balances in integer units, orders, fills. No I/O, no clock.
//
// Every change the broker makes is one of these events: written to the journal first, then
// applied here. A restart applies the same events in the same order, so it rebuilds exactly the
// state the broker had (balances, open orders and their queue positions).
import type { OrderStatus, OrderTypeName, SideName, TimeInForceName } from "../../market/exchange.ts";

/** A new order: its reservation (quote units for a buy, base units for a sell) moves from free to used. */
export interface OrderEvent {
  readonly e: "order";
  readonly id: string;
  readonly clientOrderId: string;
  readonly type: OrderTypeName;
  readonly side: SideName;
  readonly tif: TimeInForceName;
  readonly postOnly: boolean;
  /** Limit price in price units; null for a market order. */
  readonly price: number | null;
  /** Base units. */
  readonly amount: number;
  /** Base units of public queue ahead at its price. */
  readonly ahead: number;
  readonly reserve: number;
  /** Unix ms (the data source's clock) when it reached the paper venue. */
  readonly ts: number;
}

/** A fill: `value` and `fee` in quote units, paid from the reservation (buy) or received (sell). */
export interface FillEvent {
  readonly e: "fill";
  readonly id: string;
  /** This broker's trade id. */
  readonly trade: string;
  readonly role: "maker" | "taker";
  /** Base units. */
  readonly qty: number;
  /** The fill's price, quote per base (after slippage on taker fills). */
  readonly price: number;
  readonly value: number;
  readonly fee: number;
  readonly ts: number;
  /** The public trade that filled a resting order: its id and Unix ms (none for taker fills). */
  readonly src?: { readonly id: string; readonly ts: number };
}

/** Public trades ate into an order's queue. */
export interface QueueEvent {
  readonly e: "queue";
  readonly id: string;
  readonly ahead: number;
  /** The public trade that moved it; none when an own order ahead of it at its price ended. */
  readonly src?: { readonly id: string; readonly ts: number };
}

/** An order's price or amount changed; its reservation becomes `reserve`. */
export interface EditEvent {
  readonly e: "edit";
  readonly id: string;
  readonly price: number;
  readonly amount: number;
  readonly ahead: number;
  readonly reserve: number;
  readonly ts: number;
}

/** An order ended (closed, canceled, expired): what is left of its reservation goes back to free. */
export interface EndEvent {
  readonly e: "end";
  readonly id: string;
  readonly status: Exclude<OrderStatus, "open">;
  readonly reason: string | null;
  readonly ts: number;
}

export type PaperEvent = OrderEvent | FillEvent | QueueEvent | EditEvent | EndEvent;

/** One order's record, in integer units. */
export interface PaperOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly type: OrderTypeName;
  readonly side: SideName;
  readonly tif: TimeInForceName;
  readonly postOnly: boolean;
  price: number | null;
  amount: number;
  filled: number;
  /** Quote units: the value traded and the fees paid. */
  cost: number;
  fee: number;
  ahead: number;
  reserved: number;
  /**
   * Maker fills at the current price since it was set: base units, and the value and fee they
   * were charged, quote units. A resting buy is charged cumulatively (the value of all of them,
   * rounded once, less what was charged before), so its fills never cost more than it reserved.
   */
  makerQty: number;
  makerValue: number;
  makerFee: number;
  status: OrderStatus;
  reason: string | undefined;
  readonly timestamp: number;
  lastTradeTimestamp: number | undefined;
}

/** A fill as kept for fetchMyTrades. */
export type PaperFill = FillEvent & { readonly side: SideName };

/** Balances in units: [free, used] of base and of quote. */
export interface Purse {
  baseFree: number;
  baseUsed: number;
  quoteFree: number;
  quoteUsed: number;
}

export class PaperLedger {
  readonly purse: Purse;
  readonly orders = new Map<string, PaperOrder>();
  /** Open orders in the order they were placed. */
  readonly open: PaperOrder[] = [];
  readonly fills: PaperFill[] = [];
  /** Fees paid so far, quote units. */
  feesPaid = 0;
  /** The latest public trade that moved an order: trades at or before it were already applied. */
  lastSrc: { id: string; ts: number } | undefined;
  private maxOrder = 0;
  private maxTrade = 0;

  constructor(readonly start: { readonly base: number; readonly quote: number }) {
    this.purse = { baseFree: start.base, baseUsed: 0, quoteFree: start.quote, quoteUsed: 0 };
  }

  /** The next order and trade ids (counters survive a restart: they are read back from the events). */
  nextOrderId(): string {
    return String(this.maxOrder + 1);
  }

  nextTradeId(): string {
    return String(this.maxTrade + 1);
  }

  /** Applies one event. @throws Error when it contradicts the state (a journal that is not this broker's). */
  apply(ev: PaperEvent): void {
    const p = this.purse;
    if (ev.e === "order") {
      if (this.orders.has(ev.id)) throw new Error(`journal: order ${ev.id} placed twice`);
      const r: PaperOrder = {
        id: ev.id, clientOrderId: ev.clientOrderId, type: ev.type, side: ev.side, tif: ev.tif, postOnly: ev.postOnly,
        price: ev.price, amount: ev.amount, filled: 0, cost: 0, fee: 0, ahead: ev.ahead, reserved: 0,
        makerQty: 0, makerValue: 0, makerFee: 0, status: "open", reason: undefined, timestamp: ev.ts, lastTradeTimestamp: undefined,
      };
      this.orders.set(r.id, r);
      this.open.push(r);
      this.reserve(r, ev.reserve);
      this.maxOrder = Math.max(this.maxOrder, Number(ev.id));
      return;
    }
    const r = this.orders.get(ev.id);
    if (r === undefined || r.status !== "open") throw new Error(`journal: ${ev.e} for order ${ev.id}, which is not open`);
    switch (ev.e) {
      case "fill": {
        if (r.side === "buy") {
          r.reserved -= ev.value + ev.fee;
          p.quoteUsed -= ev.value + ev.fee;
          p.baseFree += ev.qty;
        } else {
          r.reserved -= ev.qty;
          p.baseUsed -= ev.qty;
          p.quoteFree += ev.value - ev.fee;
        }
        if (r.reserved < 0) throw new Error(`journal: fill ${ev.trade} overdraws order ${r.id}'s reservation by ${-r.reserved} units`);
        r.filled += ev.qty;
        r.cost += ev.value;
        r.fee += ev.fee;
        if (ev.role === "maker") {
          r.makerQty += ev.qty;
          r.makerValue += ev.value;
          r.makerFee += ev.fee;
        }
        r.lastTradeTimestamp = ev.ts;
        this.feesPaid += ev.fee;
        this.fills.push({ ...ev, side: r.side });
        this.maxTrade = Math.max(this.maxTrade, Number(ev.trade));
        if (ev.src !== undefined) this.lastSrc = ev.src;
        return;
      }
      case "queue":
        r.ahead = ev.ahead;
        if (ev.src !== undefined) this.lastSrc = ev.src;
        return;
      case "edit":
        this.reserve(r, ev.reserve - r.reserved);
        if (ev.price !== r.price) {
          r.makerQty = 0;
          r.makerValue = 0;
          r.makerFee = 0;
        }
        r.price = ev.price;
        r.amount = ev.amount;
        r.ahead = ev.ahead;
        return;
      case "end":
        this.reserve(r, -r.reserved);
        r.status = ev.status;
        r.reason = ev.reason ?? undefined;
        this.open.splice(this.open.indexOf(r), 1);
        return;
    }
  }

  /** Moves `x` units from free to used in the order's currency (negative: back). */
  private reserve(r: PaperOrder, x: number): void {
    const p = this.purse;
    r.reserved += x;
    if (r.side === "buy") {
      p.quoteFree -= x;
      p.quoteUsed += x;
    } else {
      p.baseFree -= x;
      p.baseUsed += x;
    }
    if (p.quoteFree < 0 || p.baseFree < 0) throw new Error(`journal: order ${r.id} reserves more than is free`);
  }
}
