// The venue's public tape for REST answers: recent trades (aggTrades) and per-minute statistics (klines, 24 h ticker).
import { EVENT_STRIDE, type EventLog } from "../../market/event-log.ts";
import { EventKind, Side, type TradeEvent } from "../../market/types.ts";
import type { TopOfBook } from "../../market/engine.ts";
import type { VenueObserver } from "../../market/sim-venue.ts";

const MINUTE_NS = 60_000_000_000;

/** One minute of trading in integer units: prices in ticks, sizes in lots, notional in tick·lots. */
export interface MinuteStats {
  open: number;
  high: number;
  low: number;
  close: number;
  count: number;
  lots: number;
  tickLots: number;
  takerBuyLots: number;
  takerBuyTickLots: number;
  firstId: number;
  lastId: number;
}

/**
 * Watches every venue event and keeps the last `keepTrades` public trades and a statistics
 * row for every minute since the start (a few dozen bytes a minute). A minute without trades
 * has no row; readers carry the previous close through it, as Binance's klines do.
 */
export class Tape implements VenueObserver {
  /** Recent trades, oldest first (a ring would save copying; the cap keeps shifts rare and cheap). */
  readonly trades: TradeEvent[] = [];
  readonly minutes: (MinuteStats | undefined)[] = [];
  constructor(private readonly keepTrades = 5000) {}

  onEvents(log: EventLog, from: number, to: number): void {
    const rows = log.buffer;
    for (let i = from; i < to; i++) {
      if (rows[i * EVENT_STRIDE] !== EventKind.TRADE) continue;
      const t = log.get(i) as TradeEvent;
      this.trades.push(t);
      this.add(t);
    }
    if (this.trades.length > 2 * this.keepTrades) this.trades.splice(0, this.trades.length - this.keepTrades);
  }

  onTop(_ts: number, _top: TopOfBook): void {}

  private add(t: TradeEvent): void {
    const k = Math.floor(t.ts / MINUTE_NS);
    let m = this.minutes[k];
    if (m === undefined) {
      m = { open: t.price, high: t.price, low: t.price, close: t.price, count: 0, lots: 0, tickLots: 0, takerBuyLots: 0, takerBuyTickLots: 0, firstId: t.tradeId, lastId: t.tradeId };
      this.minutes[k] = m;
    }
    m.high = Math.max(m.high, t.price);
    m.low = Math.min(m.low, t.price);
    m.close = t.price;
    m.count++;
    m.lots += t.size;
    m.tickLots += t.price * t.size;
    m.lastId = t.tradeId;
    if (t.aggressor === Side.BUY) {
      m.takerBuyLots += t.size;
      m.takerBuyTickLots += t.price * t.size;
    }
  }

  /** The last trade's price in ticks, or 0 before the first trade. */
  lastPrice(): number {
    return this.trades.length === 0 ? 0 : this.trades[this.trades.length - 1].price;
  }

  /**
   * Rows for minutes [fromK, toK] (minute indices since the start), those before the first
   * trade left out, flat minutes carrying the previous close.
   */
  range(fromK: number, toK: number): { k: number; m: MinuteStats }[] {
    const out: { k: number; m: MinuteStats }[] = [];
    let prev: MinuteStats | undefined;
    // A month back at most: the close a run of flat minutes carries.
    for (let k = fromK - 1; k >= 0 && k >= fromK - 43_200 && prev === undefined; k--) prev = this.minutes[k];
    for (let k = Math.max(0, fromK); k <= toK; k++) {
      const m = this.minutes[k];
      if (m !== undefined) {
        out.push({ k, m });
        prev = m;
      } else if (prev !== undefined) {
        const c = prev.close;
        out.push({ k, m: { open: c, high: c, low: c, close: c, count: 0, lots: 0, tickLots: 0, takerBuyLots: 0, takerBuyTickLots: 0, firstId: -1, lastId: -1 } });
      }
    }
    return out;
  }
}
