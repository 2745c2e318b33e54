// What a simulated client knows of its own orders and fills, bounded as ccxt pro bounds its caches.
import type { RawTrade } from "./ccxt-shapes.ts";
import { AcceptedCol, AmendedCol, EndedCol } from "./event-log.ts";
import type { OrderStatus, OrderTypeName, TimeInForceName } from "./exchange.ts";
import { OpenOrders } from "./open-orders.ts";
import { endReasonName, OrderType, Side, TimeInForce, type EndReason } from "./types.ts";

/** What a simulated client knows of one of its orders, in integer units. */
export interface OrderRec {
  id: number;
  clientOrderId: string | undefined;
  side: Side;
  type: OrderTypeName;
  tif: TimeInForceName;
  postOnly: boolean;
  /** Limit price in ticks, 0 for market orders. */
  price: number;
  /** Lots: ordered (after amends: filled + open), filled. */
  amount: number;
  filled: number;
  /** Filled notional and fees paid, in quote units. */
  cost: number;
  fee: number;
  status: OrderStatus;
  reason: string | undefined;
  venueTs: number;
  localTs: number;
  lastTradeTs: number | undefined;
}

/**
 * How much closed history a client keeps, as ccxt pro's `options.ordersLimit` and
 * `options.tradesLimit` bound its caches: closed orders for fetchOrder (older ones are
 * forgotten first) and own fills for fetchMyTrades. Open orders are always kept.
 */
export interface HistoryLimits {
  ordersLimit: number;
  tradesLimit: number;
}

/**
 * One client's orders, open and recently closed, and its own fills, kept from its private
 * event stream as a ccxt client caches them from its websocket. The records are updated in
 * place; a closed one stays answerable until the message that closed it is applied
 * (`endOfMessage`), whatever the limit.
 */
export class OrderCache {
  /**
   * Closed history kept. Populations that act on callbacks and never ask for their past set
   * both to 0: a day of their orders would otherwise fill memory and the collector's time.
   */
  readonly limits: HistoryLimits = { ordersLimit: 10_000, tradesLimit: 10_000 };
  /** Open orders by id, in acceptance order: what fetchOpenOrders lists. */
  private readonly open = new OpenOrders<OrderRec>();
  /** Closed orders still kept (see `limits.ordersLimit`); open ones are in `open`. */
  private readonly orders = new Map<number, OrderRec>();
  /** Ids of closed orders still kept, oldest first from `closedHead`. */
  private closedIds: number[] = [];
  private closedHead = 0;
  /**
   * Orders closed by the message being applied, oldest first: still answerable by it whatever
   * the limit, and moved to `orders` (or dropped) once it is applied. A short list instead of
   * map traffic, since with a limit of 0 every close would otherwise be a set and a delete.
   */
  private readonly closing: (OrderRec | undefined)[] = [];
  private closingN = 0;
  /**
   * Records of closed orders kept for reuse when `limits.ordersLimit` is 0. A population
   * places hundreds of thousands of orders a day that rest for minutes: new records would
   * outlive young-generation collections and be copied and promoted, then die old. Reused ones
   * stay put in the old generation.
   */
  private readonly spare: OrderRec[] = [];
  private readonly fills: RawTrade[] = [];

  /** @param quoteUnitsPerTickLot quote units of one lot at one tick: a fill's cost is price × size × this. */
  constructor(private readonly quoteUnitsPerTickLot: number) {}

  /** An order this client knows: open, or closed and still kept. */
  order(id: number): OrderRec | undefined {
    const rec = this.open.get(id);
    if (rec !== undefined) return rec;
    for (let i = 0; i < this.closingN; i++) if (this.closing[i]!.id === id) return this.closing[i];
    return this.orders.get(id);
  }

  /** The `accepted` row at float offset `o` of `rows`: a new open order, returned. */
  accepted(rows: Float64Array, o: number, clientOrderId: string | undefined, venueTs: number, localTs: number): OrderRec {
    const postOnly = rows[o + AcceptedCol.POST_ONLY] === 1;
    const tif = rows[o + AcceptedCol.TIF] as TimeInForce;
    const rec = this.spare.pop() ?? blankOrder();
    rec.id = rows[o + AcceptedCol.ORDER_ID];
    rec.clientOrderId = clientOrderId;
    rec.side = rows[o + AcceptedCol.SIDE] as Side;
    rec.type = rows[o + AcceptedCol.ORDER_TYPE] === OrderType.MARKET ? "market" : "limit";
    rec.tif = postOnly ? "PO" : tif === TimeInForce.IOC ? "IOC" : tif === TimeInForce.FOK ? "FOK" : "GTC";
    rec.postOnly = postOnly;
    rec.price = rows[o + AcceptedCol.PRICE];
    rec.amount = rows[o + AcceptedCol.SIZE];
    rec.filled = 0;
    rec.cost = 0;
    rec.fee = 0;
    rec.status = "open";
    rec.reason = undefined;
    rec.venueTs = venueTs;
    rec.localTs = localTs;
    rec.lastTradeTs = undefined;
    this.open.set(rec);
    return rec;
  }

  /** The `amended` row at offset `o`: the order's new price and open size; undefined for an order not known. */
  amended(rows: Float64Array, o: number): OrderRec | undefined {
    const rec = this.order(rows[o + AmendedCol.ORDER_ID]);
    if (rec === undefined) return undefined;
    rec.price = rows[o + AmendedCol.PRICE];
    rec.amount = rec.filled + rows[o + AmendedCol.SIZE];
    return rec;
  }

  /** The `canceled` or `expired` row at offset `o`: the order closes; undefined for an order not known. */
  ended(rows: Float64Array, o: number, status: "canceled" | "expired"): OrderRec | undefined {
    const rec = this.order(rows[o + EndedCol.ORDER_ID]);
    if (rec === undefined) return undefined;
    rec.status = status;
    rec.reason = endReasonName[rows[o + EndedCol.REASON] as EndReason];
    this.closed(rec);
    return rec;
  }

  /**
   * A fill of order `orderId`: price in ticks, size in lots, fee in quote units, at venue time
   * `venueTs`. The order closes when filled. Undefined for an order not known.
   */
  filled(orderId: number, price: number, size: number, fee: number, venueTs: number): OrderRec | undefined {
    const rec = this.order(orderId);
    if (rec === undefined) return undefined;
    rec.filled += size;
    rec.cost += price * size * this.quoteUnitsPerTickLot;
    rec.fee += fee;
    rec.lastTradeTs = venueTs;
    if (rec.filled >= rec.amount && rec.status === "open") {
      rec.status = "closed";
      this.closed(rec);
    }
    return rec;
  }

  /** Whether own fills are kept for fetchMyTrades (`limits.tradesLimit` > 0). */
  get keepsFills(): boolean {
    return this.limits.tradesLimit > 0;
  }

  /** Keeps an own fill for fetchMyTrades, when fills are kept. */
  addFill(t: RawTrade): void {
    const limit = this.limits.tradesLimit;
    if (limit <= 0) return;
    this.fills.push(t);
    // Trim in blocks: shifting one element off a long array on every fill is O(n).
    if (this.fills.length > 2 * limit) this.fills.splice(0, this.fills.length - limit);
  }

  /** The own fills kept, oldest first (at most `limits.tradesLimit`): a copy. */
  recentFills(): RawTrade[] {
    return this.fills.slice(-this.limits.tradesLimit);
  }

  /** Open orders held. */
  get openCount(): number {
    return this.open.size;
  }

  /** The `i`-th oldest open order, for 0 <= i < openCount. */
  openAt(i: number): OrderRec {
    return this.open.at(i);
  }

  /** The open orders as they stand now, oldest first (a copy: see OpenOrders.values). */
  openOrders(): IterableIterator<OrderRec> {
    return this.open.values();
  }

  /**
   * Called once a venue message is applied: the orders it closed join the history, and the
   * oldest past `limits.ordersLimit` are forgotten (with a limit of 0, kept for reuse).
   */
  endOfMessage(): void {
    if (this.closingN > 0) this.keepClosed();
  }

  /** Takes a closed order out of the open set; it joins the history once the message is applied. */
  private closed(rec: OrderRec): void {
    if (!this.open.delete(rec.id)) return;
    this.closing[this.closingN++] = rec;
  }

  private keepClosed(): void {
    const limit = Math.max(0, this.limits.ordersLimit);
    for (let i = 0; i < this.closingN; i++) {
      const rec = this.closing[i]!;
      this.closing[i] = undefined;
      if (limit === 0) {
        this.spare.push(rec);
        continue;
      }
      this.orders.set(rec.id, rec);
      this.closedIds.push(rec.id);
    }
    this.closingN = 0;
    if (this.closedIds.length - this.closedHead <= limit) return;
    while (this.closedIds.length - this.closedHead > limit) this.orders.delete(this.closedIds[this.closedHead++]);
    // Drop the forgotten prefix now and then, so the queue stays about the size of the cap.
    if (this.closedHead >= limit) {
      this.closedIds = this.closedIds.slice(this.closedHead);
      this.closedHead = 0;
    }
  }
}

/** A record to be filled in by its first use (all fields set there). */
function blankOrder(): OrderRec {
  return {
    id: 0, clientOrderId: undefined, side: Side.BUY, type: "limit", tif: "GTC", postOnly: false, price: 0, amount: 0,
    filled: 0, cost: 0, fee: 0, status: "open", reason: undefined, venueTs: 0, localTs: 0, lastTradeTs: undefined,
  };
}
