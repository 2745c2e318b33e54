// The engine against a slow, obviously-correct reference matcher: same trades, same book.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { OrderType, Side, TimeInForce } from "../../market/types.ts";
import { P, eventsOf, makeWorld } from "./helpers.ts";

type Trade = [price: number, size: number, makerOrderId: number, takerOrderId: number];

interface ROrder {
  readonly id: number;
  readonly account: number;
  readonly side: Side;
  price: number;
  rem: number;
  seq: number;
}

/**
 * Price-time priority in its plainest form: the book is one array; to match, sort the
 * crossing opposite orders by (price, arrival) and take them one by one.
 */
class Reference {
  book: ROrder[] = [];
  trades: Trade[] = [];
  private nextId = 1;
  private seq = 0;

  submit(account: number, side: Side, market: boolean, tif: TimeInForce, price: number, size: number): number {
    const o: ROrder = { id: this.nextId++, account, side, price: market ? 0 : price, rem: size, seq: this.seq++ };
    if (tif === TimeInForce.FOK) {
      const available = this.crossing(o, market).reduce((s, m) => s + m.rem, 0);
      if (available < size) return o.id;
    }
    this.match(o, market);
    if (o.rem > 0 && !market && tif === TimeInForce.GTC) this.book.push(o);
    return o.id;
  }

  cancel(account: number, id: number): boolean {
    const i = this.book.findIndex((o) => o.id === id && o.account === account);
    if (i < 0) return false;
    this.book.splice(i, 1);
    return true;
  }

  amend(account: number, id: number, price: number, size: number): boolean {
    const o = this.book.find((x) => x.id === id && x.account === account);
    if (!o) return false;
    if (price === o.price && size <= o.rem) {
      o.rem = size;
      return true;
    }
    this.book = this.book.filter((x) => x !== o);
    o.price = price;
    o.rem = size;
    o.seq = this.seq++;
    this.match(o, false);
    if (o.rem > 0) this.book.push(o);
    return true;
  }

  /** Opposite orders the taker may trade with, best first. */
  private crossing(t: ROrder, market: boolean): ROrder[] {
    return this.book
      .filter((m) => m.side !== t.side && (market || (t.side === Side.BUY ? m.price <= t.price : m.price >= t.price)))
      .sort((a, b) => (a.price === b.price ? a.seq - b.seq : t.side === Side.BUY ? a.price - b.price : b.price - a.price));
  }

  private match(t: ROrder, market: boolean): void {
    for (const m of this.crossing(t, market)) {
      if (t.rem === 0) break;
      const size = Math.min(t.rem, m.rem);
      this.trades.push([m.price, size, m.id, t.id]);
      t.rem -= size;
      m.rem -= size;
    }
    this.book = this.book.filter((m) => m.rem > 0);
  }

  /** The book as l3 shows it: best first, then arrival. */
  l3(side: Side): [number, number, number][] {
    return this.book
      .filter((o) => o.side === side)
      .sort((a, b) => (a.price === b.price ? a.seq - b.seq : side === Side.BUY ? b.price - a.price : a.price - b.price))
      .map((o) => [o.id, o.price, o.rem]);
  }
}

type Op =
  | { k: "limit"; who: number; side: Side; tif: TimeInForce; off: number; size: number }
  | { k: "market"; who: number; side: Side; size: number }
  | { k: "cancel"; pick: number }
  | { k: "amend"; pick: number; off: number; size: number };

const side = fc.constantFrom<Side>(Side.BUY, Side.SELL);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({
    k: fc.constant("limit" as const), who: fc.integer({ min: 0, max: 1 }), side,
    tif: fc.constantFrom<TimeInForce>(TimeInForce.GTC, TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK),
    off: fc.integer({ min: -10, max: 10 }), size: fc.integer({ min: 1, max: 20 }),
  }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("market" as const), who: fc.integer({ min: 0, max: 1 }), side, size: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("amend" as const), pick: fc.nat(), off: fc.integer({ min: -10, max: 10 }), size: fc.integer({ min: 1, max: 20 }) }) },
);

/** Buyers are accounts 0-1 and sellers 2-3, so no order can meet its own account. */
const accountOf = (side: Side, who: number) => (side === Side.BUY ? who : 2 + who);

describe("engine vs reference matcher", () => {
  test("same trades (price, size, maker, taker) in the same order, and the same book, after every request", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 100, maxLength: 300 }), (ops) => {
        // Funds far beyond what any sequence can lock, so balances never decide anything.
        const w = makeWorld({ accounts: 4, quote: 10_000_000 * 1_000_000, base: 1_000 * 100_000_000 });
        const ref = new Reference();
        const owner = new Map<number, number>();
        const ids: number[] = [];
        ops.forEach((op, ts) => {
          const mark = w.log.size;
          const refMark = ref.trades.length;
          let got: number | boolean;
          let want: number | boolean;
          switch (op.k) {
            case "limit": {
              const a = accountOf(op.side, op.who);
              const price = P + op.off;
              got = w.engine.submit(ts, a, op.side, OrderType.LIMIT, op.tif, false, price, op.size);
              want = ref.submit(a, op.side, false, op.tif, price, op.size);
              owner.set(want, a);
              ids.push(want);
              break;
            }
            case "market": {
              const a = accountOf(op.side, op.who);
              got = w.engine.market(ts, a, op.side, op.size);
              want = ref.submit(a, op.side, true, TimeInForce.IOC, 0, op.size);
              owner.set(want, a);
              ids.push(want);
              break;
            }
            case "cancel": {
              const id = ids.length === 0 ? 1 : ids[op.pick % ids.length];
              got = w.engine.cancel(ts, owner.get(id) ?? 0, id);
              want = ref.cancel(owner.get(id) ?? 0, id);
              break;
            }
            case "amend": {
              const id = ids.length === 0 ? 1 : ids[op.pick % ids.length];
              got = w.engine.amend(ts, owner.get(id) ?? 0, id, P + op.off, op.size);
              want = ref.amend(owner.get(id) ?? 0, id, P + op.off, op.size);
              break;
            }
          }
          const where = `op ${ts} ${JSON.stringify(op)}`;
          assert.equal(got, want, where);
          const trades: Trade[] = eventsOf(w.log, mark, "trade").map((e) => [e.price, e.size, e.makerOrderId, e.takerOrderId]);
          assert.deepEqual(trades, ref.trades.slice(refMark), where);
          for (const s of [Side.BUY, Side.SELL] as const) {
            assert.deepEqual(w.engine.l3(s).map((o) => [o.orderId, o.price, o.remaining]), ref.l3(s), `${where}: side ${s}`);
          }
        });
        assert.ok(ref.trades.length > 0 || ops.length < 20);
      }),
      { numRuns: 200 },
    );
  });
});
