// OrderCache: a client's orders and fills from its event rows, with closed history bounded by its limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { RawTrade } from "../../market/ccxt-shapes.ts";
import { EVENT_STRIDE, EventLog } from "../../market/event-log.ts";
import { OrderCache } from "../../market/sim-order-cache.ts";
import { EndReason, OrderType, Side, TimeInForce, type TradeEvent } from "../../market/types.ts";

const ACCOUNT = 7;

/** Writes one row with `write` and hands its array and offset to `read`. */
function row<T>(write: (log: EventLog) => void, read: (rows: Float64Array, o: number) => T): T {
  const log = new EventLog(16);
  write(log);
  return read(log.buffer, (log.size - 1) * EVENT_STRIDE);
}

function accept(cache: OrderCache, id: number, price = 100, size = 5, localTs = 0): void {
  row(
    (log) => log.accepted(1, id, ACCOUNT, 0, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, price, size),
    (rows, o) => cache.accepted(rows, o, undefined, 1, localTs),
  );
  cache.endOfMessage();
}

function cancel(cache: OrderCache, id: number, applied = true): void {
  row((log) => log.canceled(2, id, ACCOUNT, 5, EndReason.USER), (rows, o) => cache.ended(rows, o, "canceled"));
  if (applied) cache.endOfMessage();
}

test("an order closed by a message stays answerable until the message is applied, whatever the limit", () => {
  const cache = new OrderCache(1);
  cache.limits.ordersLimit = 0;
  accept(cache, 1);
  cancel(cache, 1, false);
  assert.equal(cache.order(1)?.status, "canceled");
  assert.equal(cache.openCount, 0);
  cache.endOfMessage();
  assert.equal(cache.order(1), undefined);
});

test("closed history keeps the newest ordersLimit orders; open ones are always kept", () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 5 }),
    fc.array(fc.boolean(), { maxLength: 60 }),
    (limit, closeFirst) => {
      const cache = new OrderCache(1);
      cache.limits.ordersLimit = limit;
      const open: number[] = [];
      const closed: number[] = [];
      let next = 1;
      for (const close of closeFirst) {
        if (close && open.length > 0) {
          const id = open.shift()!;
          cancel(cache, id);
          closed.push(id);
        } else {
          accept(cache, next);
          open.push(next++);
        }
      }
      const kept = closed.slice(closed.length - Math.min(limit, closed.length));
      for (let id = 1; id < next; id++) {
        const want = open.includes(id) ? "open" : kept.includes(id) ? "canceled" : undefined;
        assert.equal(cache.order(id)?.status, want, `order ${id}, limit ${limit}`);
      }
      assert.deepEqual([...cache.openOrders()].map((r) => r.id), open);
    },
  ), { numRuns: 300 });
});

test("with no closed history kept, the next order reuses a closed order's record with every field reset", () => {
  const cache = new OrderCache(10);
  cache.limits.ordersLimit = 0;
  accept(cache, 1, 100, 5, 3);
  const first = cache.order(1)!;
  cache.filled(1, 100, 2, 7, 9);
  cancel(cache, 1);
  accept(cache, 2, 200, 4, 11);
  const second = cache.order(2)!;
  assert.equal(second, first);
  assert.deepEqual({ ...second }, {
    id: 2, clientOrderId: undefined, side: Side.BUY, type: "limit", tif: "GTC", postOnly: false, price: 200, amount: 4,
    filled: 0, cost: 0, fee: 0, status: "open", reason: undefined, venueTs: 1, localTs: 11, lastTradeTs: undefined,
  });
});

test("fills add size, cost (price × size × quote units per tick-lot) and fee; the last one closes the order", () => {
  const cache = new OrderCache(10);
  accept(cache, 1, 100, 5);
  cache.filled(1, 100, 2, 3, 50);
  const rec = cache.filled(1, 101, 3, 4, 60)!;
  assert.deepEqual([rec.filled, rec.cost, rec.fee, rec.lastTradeTs, rec.status], [5, 100 * 2 * 10 + 101 * 3 * 10, 7, 60, "closed"]);
  assert.equal(cache.openCount, 0);
  assert.equal(cache.filled(99, 100, 1, 0, 70), undefined, "a fill of an order never seen is ignored");
});

test("own fills kept for fetchMyTrades are the newest tradesLimit; none with a limit of 0", () => {
  const fill = (n: number): RawTrade => ({ ev: { tradeId: n } as TradeEvent, stamps: { venueTs: n, localTs: n }, asTaker: true, mine: true });
  const cache = new OrderCache(1);
  cache.limits.tradesLimit = 3;
  for (let n = 1; n <= 10; n++) cache.addFill(fill(n));
  assert.deepEqual(cache.recentFills().map((t) => t.ev.tradeId), [8, 9, 10]);
  assert.equal(cache.keepsFills, true);
  const none = new OrderCache(1);
  none.limits.tradesLimit = 0;
  none.addFill(fill(1));
  assert.deepEqual(none.recentFills(), []);
  assert.equal(none.keepsFills, false);
});
