// EventLog: every event kind round-trips through its fixed-size row, and equal runs give equal bytes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { AcceptedCol, AmendedCol, Col, EndedCol, EVENT_STRIDE, EventLog, OrderCol, RejectedCol, TradeCol } from "../../market/event-log.ts";
import { EndReason, EventKind, OrderType, RejectReason, RequestOp, Side, TimeInForce, type EngineEvent } from "../../market/types.ts";
import { BUY, P, SELL, eventsSince, makeWorld, type World } from "./helpers.ts";

/** One of every kind, every field a distinct non-zero value where the type allows. */
const SAMPLES: EngineEvent[] = [
  {
    type: "accepted", ts: 11, orderId: 12, account: 13, clientOrderId: 14, side: Side.SELL,
    orderType: OrderType.MARKET, tif: TimeInForce.FOK, postOnly: true, price: 15, size: 16,
  },
  { type: "rejected", ts: 21, orderId: 22, account: 23, clientOrderId: 24, op: RequestOp.AMEND, reason: RejectReason.UNKNOWN_ACCOUNT },
  {
    type: "trade", ts: 31, tradeId: 32, price: 33, size: 34, makerOrderId: 35, takerOrderId: 36,
    makerAccount: 37, takerAccount: 38, makerFee: 39, takerFee: 40, aggressor: Side.SELL,
  },
  { type: "canceled", ts: 41, orderId: 42, account: 43, remaining: 44, reason: EndReason.SELF_TRADE },
  { type: "amended", ts: 51, orderId: 52, account: 53, price: 54, size: 55, priorityKept: true },
  { type: "expired", ts: 61, orderId: 62, account: 63, remaining: 64, reason: EndReason.FOK_UNFILLABLE },
];

function write(log: EventLog, e: EngineEvent): void {
  switch (e.type) {
    case "accepted": return log.accepted(e.ts, e.orderId, e.account, e.clientOrderId, e.side, e.orderType, e.tif, e.postOnly, e.price, e.size);
    case "rejected": return log.rejected(e.ts, e.orderId, e.account, e.clientOrderId, e.op, e.reason);
    case "trade": return log.trade(e.ts, e.tradeId, e.price, e.size, e.makerOrderId, e.takerOrderId, e.makerAccount, e.takerAccount, e.makerFee, e.takerFee, e.aggressor);
    case "canceled": return log.canceled(e.ts, e.orderId, e.account, e.remaining, e.reason);
    case "amended": return log.amended(e.ts, e.orderId, e.account, e.price, e.size, e.priorityKept);
    case "expired": return log.expired(e.ts, e.orderId, e.account, e.remaining, e.reason);
  }
}

const KIND = { accepted: 1, rejected: 2, trade: 3, canceled: 4, amended: 5, expired: 6 } as const;

describe("EventLog", () => {
  test("get(i) returns exactly what was written, for every kind", () => {
    const log = new EventLog();
    for (const e of SAMPLES) write(log, e);
    assert.equal(log.size, SAMPLES.length);
    assert.deepEqual(eventsSince(log, 0), SAMPLES);
    SAMPLES.forEach((e, i) => {
      assert.equal(log.kind(i), KIND[e.type]);
      assert.equal(log.field(i, Col.TS), e.ts);
    });
  });

  test("each kind's named columns hold exactly its fields, and no two share a column", () => {
    const COLUMNS = { accepted: AcceptedCol, rejected: RejectedCol, trade: TradeCol, canceled: EndedCol, amended: AmendedCol, expired: EndedCol };
    const camel = (name: string) => name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const log = new EventLog();
    for (const e of SAMPLES) write(log, e);
    SAMPLES.forEach((e, i) => {
      const cols: Record<string, number> = COLUMNS[e.type];
      const { type, ts, ...fields } = e;
      const named = Object.fromEntries(Object.entries(cols).map(([name, c]) => [camel(name), log.field(i, c)]));
      const expected = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : v]));
      assert.deepEqual(named, expected, type);
      assert.equal(new Set([Col.KIND, Col.TS, ...Object.values(cols)]).size, Object.keys(cols).length + 2, `${type}: distinct columns`);
      assert.ok(Object.values(cols).every((c) => c > Col.TS && c < EVENT_STRIDE), `${type}: columns inside the row`);
      assert.equal(log.field(i, Col.KIND), KIND[type]);
      assert.equal(log.field(i, Col.TS), ts);
      if (e.type !== "trade") assert.deepEqual([log.field(i, OrderCol.ORDER_ID), log.field(i, OrderCol.ACCOUNT)], [e.orderId, e.account]);
    });
  });

  test("booleans and zero values round-trip too", () => {
    const log = new EventLog();
    const a: EngineEvent = {
      type: "accepted", ts: 0, orderId: 1, account: 0, clientOrderId: 0, side: Side.BUY,
      orderType: OrderType.LIMIT, tif: TimeInForce.GTC, postOnly: false, price: 7, size: 1,
    };
    const m: EngineEvent = { type: "amended", ts: 0, orderId: 1, account: 0, price: 7, size: 1, priorityKept: false };
    write(log, a);
    write(log, m);
    assert.deepEqual(eventsSince(log, 0), [a, m]);
  });

  test("the kind codes are the stable ones written into digests", () => {
    assert.deepEqual(EventKind, { ACCEPTED: 1, REJECTED: 2, TRADE: 3, CANCELED: 4, AMENDED: 5, EXPIRED: 6 });
  });

  test("the column numbers are the stable ones written into digests", () => {
    assert.deepEqual(Col, { KIND: 0, TS: 1 });
    assert.deepEqual(OrderCol, { ORDER_ID: 2, ACCOUNT: 3 });
    assert.deepEqual(AcceptedCol, { ORDER_ID: 2, ACCOUNT: 3, PRICE: 4, SIZE: 5, CLIENT_ORDER_ID: 6, SIDE: 7, ORDER_TYPE: 8, TIF: 9, POST_ONLY: 10 });
    assert.deepEqual(RejectedCol, { ORDER_ID: 2, ACCOUNT: 3, CLIENT_ORDER_ID: 6, OP: 7, REASON: 8 });
    assert.deepEqual(TradeCol, {
      TRADE_ID: 2, TAKER_ACCOUNT: 3, PRICE: 4, SIZE: 5, MAKER_ORDER_ID: 6, TAKER_ORDER_ID: 7, MAKER_ACCOUNT: 8, MAKER_FEE: 9, TAKER_FEE: 10, AGGRESSOR: 11,
    });
    assert.deepEqual(EndedCol, { ORDER_ID: 2, ACCOUNT: 3, REMAINING: 5, REASON: 8 });
    assert.deepEqual(AmendedCol, { ORDER_ID: 2, ACCOUNT: 3, PRICE: 4, SIZE: 5, PRIORITY_KEPT: 8 });
    assert.equal(EVENT_STRIDE, 12);
  });

  test("get outside [0, size) throws a RangeError", () => {
    const log = new EventLog();
    write(log, SAMPLES[0]);
    assert.throws(() => log.get(1), RangeError);
    assert.throws(() => log.get(-1), RangeError);
    assert.throws(() => log.get(NaN), RangeError);
  });

  test("growing past the initial capacity keeps every event", () => {
    const log = new EventLog(16);
    const all: EngineEvent[] = [];
    for (let i = 0; i < 100; i++) {
      const e = { ...SAMPLES[i % SAMPLES.length], ts: i } as EngineEvent;
      all.push(e);
      write(log, e);
    }
    assert.deepEqual(eventsSince(log, 0), all);
    assert.equal(log.bytes().byteLength, 100 * EVENT_STRIDE * 8);
  });

  test("a row reused after clear() has the same bytes as in a fresh log (unused columns are zeroed)", () => {
    const reused = new EventLog(16);
    write(reused, SAMPLES[2]); // a trade fills every column
    reused.clear();
    assert.equal(reused.size, 0);
    write(reused, SAMPLES[3]);
    const fresh = new EventLog(16);
    write(fresh, SAMPLES[3]);
    assert.deepEqual(Buffer.from(reused.bytes()), Buffer.from(fresh.bytes()));
    assert.deepEqual(reused.get(0), SAMPLES[3]);
  });

  test("bytes(from, to) is the slice of rows [from, to)", () => {
    const log = new EventLog();
    for (const e of SAMPLES) write(log, e);
    const one = new EventLog();
    write(one, SAMPLES[2]);
    assert.deepEqual(Buffer.from(log.bytes(2, 3)), Buffer.from(one.bytes()));
  });
});

/** A fixed script touching every kind: accepted, rejected, trade, canceled, amended, expired. */
function script(w: World, tsShift = 0): void {
  const e = w.engine;
  const a = e.limit(1 + tsShift, 0, SELL, P + 2, 3);
  e.limit(2, 1, SELL, P + 1, 2);
  e.limit(3, 2, BUY, P - 1, 0); // rejected
  const b = e.limit(4, 2, BUY, P - 3, 4);
  e.amend(5, 2, b, P - 2, 2);
  e.market(6, 3, BUY, 4);
  e.cancel(7, 0, a);
  e.market(8, 3, BUY, 1); // expired: no liquidity
}

describe("event log determinism", () => {
  test("the engine's events round-trip: every kind appears and reads back as written", () => {
    const w = makeWorld();
    script(w);
    const kinds = new Set(eventsSince(w.log, 0).map((e) => e.type));
    assert.deepEqual([...kinds].sort(), ["accepted", "amended", "canceled", "expired", "rejected", "trade"]);
    const copy = new EventLog();
    for (const ev of eventsSince(w.log, 0)) write(copy, ev);
    assert.deepEqual(Buffer.from(copy.bytes()), Buffer.from(w.log.bytes()));
  });

  test("identical request sequences produce byte-identical logs; a changed time changes them", () => {
    const w1 = makeWorld();
    const w2 = makeWorld();
    const w3 = makeWorld();
    script(w1);
    script(w2);
    script(w3, 1);
    assert.ok(w1.log.size > 10);
    assert.deepEqual(Buffer.from(w1.log.bytes()), Buffer.from(w2.log.bytes()));
    assert.notDeepEqual(Buffer.from(w1.log.bytes()), Buffer.from(w3.log.bytes()));
  });

  test("for any random request sequence, two fresh engines write identical bytes", () => {
    const op = fc.record({
      k: fc.constantFrom("limit", "market", "cancel"),
      acct: fc.integer({ min: 0, max: 3 }),
      side: fc.constantFrom(BUY, SELL),
      off: fc.integer({ min: -5, max: 5 }),
      size: fc.integer({ min: 1, max: 10 }),
      id: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const run = (): Buffer => {
          const w = makeWorld();
          ops.forEach((o, t) => {
            if (o.k === "limit") w.engine.limit(t, o.acct, o.side, P + o.off, o.size);
            else if (o.k === "market") w.engine.market(t, o.acct, o.side, o.size);
            else w.engine.cancel(t, o.acct, o.id);
          });
          return Buffer.from(w.log.bytes());
        };
        assert.deepEqual(run(), run());
      }),
      { numRuns: 50 },
    );
  });
});
