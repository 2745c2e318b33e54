// The latest real book in integer units, less what paper orders took from it since it arrived.
import type { OrderBook, SideName } from "../../market/exchange.ts";
import type { BarMoney } from "../../market/fills/money.ts";

/** A price level: price units and base units. */
export interface Level {
  readonly price: number;
  readonly size: number;
}

/**
 * The book the paper broker fills against. A paper order never reaches the real venue, so the
 * real book will not show what it took; until the next book arrives the taken size is kept
 * here, so two paper orders in a row do not take the same liquidity twice.
 */
export class PaperBook {
  bids: Level[] = [];
  asks: Level[] = [];
  /** Unix ms of the book, 0 before the first. */
  timestamp = 0;
  private readonly taken = new Map<string, number>();

  constructor(private readonly money: BarMoney) {}

  /** Replaces the book with a newer one; what paper orders took from the old one is forgotten. */
  update(b: OrderBook): void {
    const conv = (rows: OrderBook["bids"]): Level[] => {
      const out: Level[] = [];
      for (const [p, a] of rows) {
        const price = this.money.price.floor(p);
        const size = this.money.base.floor(a);
        if (price > 0 && size > 0) out.push({ price, size });
      }
      return out;
    };
    this.bids = conv(b.bids);
    this.asks = conv(b.asks);
    this.timestamp = b.timestamp;
    this.taken.clear();
  }

  /** The side a taker of `side` takes from. */
  private opposite(side: SideName): Level[] {
    return side === "buy" ? this.asks : this.bids;
  }

  /** Size resting on `side` at `price`, base units (0 at a new level). */
  sizeAt(side: SideName, price: number): number {
    const l = (side === "buy" ? this.bids : this.asks).find((x) => x.price === price);
    return l === undefined ? 0 : l.size;
  }

  /** True when an order of `side` at `price` would take liquidity (a buy at or above the best ask). */
  crosses(side: SideName, price: number): boolean {
    const best = this.opposite(side)[0];
    return best !== undefined && (side === "buy" ? best.price <= price : best.price >= price);
  }

  /** The best opposite price for a taker of `side`, price units; NaN when that side is empty. */
  bestFor(side: SideName): number {
    const best = this.opposite(side)[0];
    return best === undefined ? NaN : best.price;
  }

  /** The levels a taker of `side` can still take, best first, up to `limit` (price units; undefined: all). */
  takeable(side: SideName, limit: number | undefined): Level[] {
    const out: Level[] = [];
    for (const l of this.opposite(side)) {
      if (limit !== undefined && (side === "buy" ? l.price > limit : l.price < limit)) break;
      const left = l.size - (this.taken.get(`${side}:${l.price}`) ?? 0);
      if (left > 0) out.push({ price: l.price, size: left });
    }
    return out;
  }

  /** Records that a paper taker of `side` took `size` at `price`. */
  take(side: SideName, price: number, size: number): void {
    const k = `${side}:${price}`;
    this.taken.set(k, (this.taken.get(k) ?? 0) + size);
  }
}
