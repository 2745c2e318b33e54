// The session's book as the monitor shows it: realised PnL and win rate from the fills, equity, unrealised PnL, exposure and position from the venue.
import type { Exchange, Trade } from "../../market/exchange.ts";
import type { TradingMonitor } from "../monitoring/monitor.ts";

/** The venue is marked to market at most this often, ms (each mark is a balance and a book request). */
const MARK_EVERY_MS = 1000;

/**
 * Tracks the base position at its average cost (what the session held at the start counts at
 * the first mark's price): a sell realises (price - average) × amount less its fee in quote, a
 * buy adds at its price plus fee. Marks equity = quote + base × mid.
 */
export class SessionMeter {
  private held = 0;
  private avg = NaN;
  private lastMark = -Infinity;

  constructor(private readonly m: TradingMonitor, private readonly ex: Exchange, private readonly symbol: string, startBase: number) {
    this.held = startBase;
  }

  onFill(t: Trade): void {
    const quote = this.ex.markets[this.symbol]?.quote;
    const fee = t.fee === undefined ? 0 : t.fee.currency === quote ? t.fee.cost : t.fee.cost * t.price;
    if (t.side === "buy") {
      const cost = (Number.isNaN(this.avg) ? 0 : this.avg * this.held) + t.price * t.amount + fee;
      this.held += t.amount;
      this.avg = this.held > 0 ? cost / this.held : NaN;
      this.m.onFill({ side: "buy" });
      return;
    }
    const realisedPnl = Number.isNaN(this.avg) ? undefined : (t.price - this.avg) * t.amount - fee;
    this.held = Math.max(0, this.held - t.amount);
    this.m.onFill({ side: "sell", realisedPnl });
  }

  /** Reads the balance and the book (at most once a second unless `force`) and sets equity, unrealised PnL, exposure and open positions. */
  async mark(force = false): Promise<void> {
    const now = performance.now();
    if (!force && now - this.lastMark < MARK_EVERY_MS) return;
    this.lastMark = now;
    const market = this.ex.markets[this.symbol];
    if (market === undefined) return;
    try {
      const [bal, book] = await Promise.all([this.ex.fetchBalance(), this.ex.fetchOrderBook(this.symbol, 5)]);
      const bid = book.bids[0]?.[0];
      const ask = book.asks[0]?.[0];
      if (bid === undefined || ask === undefined) return;
      const mid = (bid + ask) / 2;
      const base = bal.total[market.base] ?? 0;
      if (Number.isNaN(this.avg) && this.held > 0) this.avg = mid;
      const exposure = base * mid;
      this.m.onEquity({
        equity: (bal.total[market.quote] ?? 0) + exposure,
        exposure,
        unrealisedPnl: Number.isNaN(this.avg) ? 0 : (mid - this.avg) * Math.min(base, this.held),
        openPositions: base >= market.precision.amount ? 1 : 0,
      });
    } catch {
      // The monitor's api() has counted the failure and, for a network one, marked the venue unreachable.
    }
  }
}
