// The served accounts' user data: executionReport and outboundAccountPosition events (Binance's user data stream) from the venue's event log.
import { EVENT_STRIDE, type EventLog } from "../../market/event-log.ts";
import type { TopOfBook } from "../../market/engine.ts";
import { lotsToAmount, ticksToPrice, type Instrument } from "../../market/instrument.ts";
import type { VenueObserver } from "../../market/sim-venue.ts";
import { EndReason, EventKind, OrderType, Side, TimeInForce } from "../../market/types.ts";
import type { Kernel } from "../../sim/kernel.ts";
import { binanceSymbol, dec } from "./binance-shapes.ts";
import type { ServedAccount } from "./venue.ts";

/** What the feed remembers of an order of a served account (ticks, lots, quote units). */
interface OrderState {
  readonly id: number;
  readonly side: Side;
  readonly type: string;
  readonly tif: string;
  readonly price: number;
  size: number;
  filled: number;
  /** Σ price × lots of the fills, tick·lots. */
  tickLots: number;
  readonly createdNs: number;
}

/** One report waiting to be sent: the order's state just after the event. */
interface Pending {
  readonly ts: number;
  readonly x: string;
  readonly X: string;
  readonly o: OrderState;
  readonly filled: number;
  readonly tickLots: number;
  readonly fill?: { readonly tradeId: number; readonly price: number; readonly lots: number; readonly fee: number; readonly maker: boolean };
}

/**
 * Collects, as the venue produces them, the events of the served accounts' orders, and turns
 * them into Binance's user data events when `drain` is called (between kernel steps, when the
 * client order id the REST answer recorded is known).
 */
export class UserFeed implements VenueObserver {
  private readonly byAccount = new Map<number, ServedAccount>();
  private readonly orders = new Map<number, OrderState>();
  private readonly pending = new Map<ServedAccount, Pending[]>();

  constructor(private readonly kernel: Kernel, accounts: Iterable<ServedAccount>) {
    for (const a of accounts) this.byAccount.set(kernel.accountOf(a.agent), a);
    kernel.observe(this);
  }

  onTop(_ts: number, _top: TopOfBook): void {}

  onEvents(log: EventLog, from: number, to: number): void {
    const r = log.buffer;
    for (let i = from; i < to; i++) {
      const o = i * EVENT_STRIDE;
      const kind = r[o];
      if (kind === EventKind.TRADE) {
        const maker = this.byAccount.get(r[o + 8]);
        const taker = this.byAccount.get(r[o + 3]);
        if (maker !== undefined) this.fill(maker, r, o, true);
        if (taker !== undefined) this.fill(taker, r, o, false);
        continue;
      }
      const acct = this.byAccount.get(r[o + 3]);
      if (acct === undefined) continue;
      const ts = r[o + 1];
      const id = r[o + 2];
      if (kind === EventKind.ACCEPTED) {
        const postOnly = r[o + 10] === 1;
        const tif = r[o + 9];
        const market = r[o + 8] === OrderType.MARKET;
        const st: OrderState = {
          id, side: r[o + 7] as Side, type: market ? "MARKET" : postOnly ? "LIMIT_MAKER" : "LIMIT",
          tif: tif === TimeInForce.IOC && !market ? "IOC" : tif === TimeInForce.FOK ? "FOK" : "GTC",
          price: r[o + 4], size: r[o + 5], filled: 0, tickLots: 0, createdNs: ts,
        };
        this.orders.set(id, st);
        this.push(acct, { ts, x: "NEW", X: "NEW", o: st, filled: 0, tickLots: 0 });
      } else if (kind === EventKind.CANCELED || kind === EventKind.EXPIRED) {
        const st = this.orders.get(id);
        if (st === undefined) continue;
        const reason = r[o + 8];
        const X = reason === EndReason.SELF_TRADE ? "EXPIRED_IN_MATCH" : kind === EventKind.CANCELED && reason === EndReason.USER ? "CANCELED" : "EXPIRED";
        this.push(acct, { ts, x: X === "CANCELED" ? "CANCELED" : "EXPIRED", X, o: st, filled: st.filled, tickLots: st.tickLots });
        this.orders.delete(id);
      } else if (kind === EventKind.AMENDED) {
        const st = this.orders.get(id);
        if (st !== undefined) st.size = st.filled + r[o + 5];
      }
    }
  }

  private fill(acct: ServedAccount, r: Float64Array, o: number, maker: boolean): void {
    const id = r[o + (maker ? 6 : 7)];
    const st = this.orders.get(id);
    if (st === undefined) return;
    const price = r[o + 4];
    const lots = r[o + 5];
    st.filled += lots;
    st.tickLots += price * lots;
    const done = st.filled >= st.size;
    this.push(acct, {
      ts: r[o + 1], x: "TRADE", X: done ? "FILLED" : "PARTIALLY_FILLED", o: st, filled: st.filled, tickLots: st.tickLots,
      fill: { tradeId: r[o + 2], price, lots, fee: r[o + (maker ? 9 : 10)], maker },
    });
    if (done) this.orders.delete(id);
  }

  private push(acct: ServedAccount, p: Pending): void {
    let list = this.pending.get(acct);
    if (list === undefined) this.pending.set(acct, (list = []));
    list.push(p);
  }

  /**
   * The events waiting for `acct`, as Binance's JSON: executionReports in venue order, then an
   * outboundAccountPosition when there were any. Forgets them.
   */
  drain(acct: ServedAccount, inst: Instrument): unknown[] {
    const list = this.pending.get(acct);
    if (list === undefined || list.length === 0) return [];
    this.pending.set(acct, []);
    const clientOf = new Map<string, string>();
    for (const [cid, oid] of acct.clientIds) clientOf.set(oid, cid);
    const ms = (ns: number) => this.kernel.epochMs + Math.floor(ns / 1e6);
    const px = (t: number) => dec(ticksToPrice(inst, t));
    const qty = (l: number) => dec(lotsToAmount(inst, l));
    const quote = (tickLots: number) => dec(Number(((tickLots * inst.quoteUnitsPerTickLot) / inst.spec.quoteScale).toFixed(8)));
    const nowMs = ms(this.kernel.now);
    const out: unknown[] = list.map((p) => ({
      e: "executionReport", E: nowMs, s: binanceSymbol(inst), c: clientOf.get(String(p.o.id)) ?? "", S: p.o.side === Side.BUY ? "BUY" : "SELL",
      o: p.o.type, f: p.o.tif, q: qty(p.o.size), p: px(p.o.type === "MARKET" ? 0 : p.o.price), P: "0.00000000", F: "0.00000000", g: -1,
      C: p.x === "CANCELED" ? clientOf.get(String(p.o.id)) ?? "" : "", x: p.x, X: p.X, r: "NONE", i: p.o.id,
      l: qty(p.fill?.lots ?? 0), z: qty(p.filled), L: px(p.fill?.price ?? 0),
      n: p.fill === undefined ? "0" : dec(p.fill.fee / inst.spec.quoteScale), N: p.fill === undefined ? null : inst.quote,
      T: ms(p.ts), t: p.fill?.tradeId ?? -1, v: 0, I: 0, w: p.X === "NEW" || p.X === "PARTIALLY_FILLED", m: p.fill?.maker ?? false, M: false,
      O: ms(p.o.createdNs), Z: quote(p.tickLots), Y: quote(p.fill === undefined ? 0 : p.fill.price * p.fill.lots), Q: "0.00000000",
      W: ms(p.o.createdNs), V: "EXPIRE_MAKER",
    }));
    const account = this.kernel.accountOf(acct.agent);
    const L = this.kernel.venue.ledger;
    const b = inst.spec.baseScale;
    const q = inst.spec.quoteScale;
    out.push({
      e: "outboundAccountPosition", E: nowMs, u: ms(list[list.length - 1].ts),
      B: [
        { a: inst.base, f: dec(L.freeOf(account, 0) / b), l: dec(L.lockedOf(account, 0) / b) },
        { a: inst.quote, f: dec(L.freeOf(account, 1) / q), l: dec(L.lockedOf(account, 1) / q) },
      ],
    });
    return out;
  }
}
