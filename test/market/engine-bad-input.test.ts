// Bad input: every refused request is a typed rejection that changes nothing; API misuse throws.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { OrderType, RejectReason, RequestOp, TimeInForce, rejectReasonName, type Side } from "../../market/types.ts";
import { BUY, P, SELL, assertMoneyConserved, eventsSince, makeWorld, snapshot, type World } from "./helpers.ts";

const R = RejectReason;
const BAD_NUMBERS: [string, number][] = [
  ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["negative", -1], ["zero", 0],
  ["2**53 (unsafe)", 2 ** 53], ["non-integer 1.5", 1.5],
];

/**
 * Accounts 0-3 funded, account 4 open with nothing. Resting: a bid of account 0 (client id 5)
 * and an ask of account 2. Order `filled` traded away and `canceled` was canceled.
 */
interface Fixture {
  readonly w: World;
  readonly bid: number;
  readonly ask: number;
  readonly filled: number;
  readonly canceled: number;
}

function fixture(): Fixture {
  const w = makeWorld();
  w.ledger.open(); // account 4: no funds
  const bid = w.engine.limit(1, 0, BUY, P - 1, 2, 5);
  const ask = w.engine.limit(1, 2, SELL, P + 1, 2);
  const filled = w.engine.limit(1, 3, SELL, P - 1, 1); // crosses the bid and fills completely
  const canceled = w.engine.limit(1, 1, SELL, P + 9, 1);
  w.engine.cancel(1, 1, canceled);
  assert.ok(bid > 0 && ask > 0 && filled > 0 && canceled > 0);
  assert.equal(w.engine.order(filled), undefined);
  return { w, bid, ask, filled, canceled };
}

interface Case {
  readonly name: string;
  readonly op: RequestOp;
  readonly reason: RejectReason;
  readonly account: number;
  /** Performs the request; returns what the engine returned. */
  readonly run: (f: Fixture) => number | boolean;
  /** orderId expected in the rejected event. */
  readonly target?: (f: Fixture) => number;
}

const limit = (account: number, side: Side, price: number, size: number, cid = 0) =>
  (f: Fixture) => f.w.engine.limit(9, account, side, price, size, cid);
const submit = (account: number, side: Side, type: OrderType, tif: TimeInForce, post: boolean, price: number, size: number, cid = 0) =>
  (f: Fixture) => f.w.engine.submit(9, account, side, type, tif, post, price, size, cid);

const cases: Case[] = [];
for (const [label, x] of BAD_NUMBERS) {
  cases.push({ name: `limit price ${label}`, op: RequestOp.SUBMIT, reason: R.INVALID_PRICE, account: 1, run: limit(1, BUY, x, 1) });
  cases.push({ name: `limit size ${label}`, op: RequestOp.SUBMIT, reason: R.INVALID_SIZE, account: 1, run: limit(1, SELL, P + 5, x) });
  cases.push({ name: `market size ${label}`, op: RequestOp.SUBMIT, reason: R.INVALID_SIZE, account: 1, run: (f) => f.w.engine.market(9, 1, BUY, x) });
  cases.push({
    name: `amend price ${label}`, op: RequestOp.AMEND, reason: R.INVALID_PRICE, account: 0,
    run: (f) => f.w.engine.amend(9, 0, f.bid, x, 2), target: (f) => f.bid,
  });
  cases.push({
    name: `amend size ${label}`, op: RequestOp.AMEND, reason: R.INVALID_SIZE, account: 2,
    run: (f) => f.w.engine.amend(9, 2, f.ask, P + 1, x), target: (f) => f.ask,
  });
  if (x !== 0 && !(x === 2 ** 53)) {
    // Ids the venue never issued; 0 and 2**53 are covered below as well, via "unknown id".
    cases.push({
      name: `cancel id ${label}`, op: RequestOp.CANCEL, reason: R.UNKNOWN_ORDER, account: 0,
      run: (f) => f.w.engine.cancel(9, 0, x), target: () => (Number.isFinite(x) ? x : 0),
    });
    cases.push({
      name: `amend id ${label}`, op: RequestOp.AMEND, reason: R.UNKNOWN_ORDER, account: 0,
      run: (f) => f.w.engine.amend(9, 0, x, P, 1), target: () => (Number.isFinite(x) ? x : 0),
    });
  }
}
for (const [label, acct] of [["5 (never opened)", 5], ["-1", -1], ["NaN", NaN], ["1.5", 1.5], ["2**53", 2 ** 53]] as const) {
  cases.push({ name: `limit from unknown account ${label}`, op: RequestOp.SUBMIT, reason: R.UNKNOWN_ACCOUNT, account: acct, run: limit(acct, BUY, P, 1) });
  cases.push({ name: `market from unknown account ${label}`, op: RequestOp.SUBMIT, reason: R.UNKNOWN_ACCOUNT, account: acct, run: (f) => f.w.engine.market(9, acct, SELL, 1) });
  cases.push({
    name: `cancel from unknown account ${label}`, op: RequestOp.CANCEL, reason: R.UNKNOWN_ORDER, account: acct,
    run: (f) => f.w.engine.cancel(9, acct, f.bid), target: (f) => f.bid,
  });
}
cases.push(
  { name: "cancel of an id never issued", op: RequestOp.CANCEL, reason: R.UNKNOWN_ORDER, account: 0, run: (f) => f.w.engine.cancel(9, 0, 999), target: () => 999 },
  { name: "cancel of id 0", op: RequestOp.CANCEL, reason: R.UNKNOWN_ORDER, account: 0, run: (f) => f.w.engine.cancel(9, 0, 0), target: () => 0 },
  { name: "cancel of id 2**53", op: RequestOp.CANCEL, reason: R.UNKNOWN_ORDER, account: 0, run: (f) => f.w.engine.cancel(9, 0, 2 ** 53), target: () => 2 ** 53 },
  { name: "cancel of a filled order", op: RequestOp.CANCEL, reason: R.ORDER_CLOSED, account: 3, run: (f) => f.w.engine.cancel(9, 3, f.filled), target: (f) => f.filled },
  { name: "cancel of a canceled order", op: RequestOp.CANCEL, reason: R.ORDER_CLOSED, account: 1, run: (f) => f.w.engine.cancel(9, 1, f.canceled), target: (f) => f.canceled },
  { name: "cancel of another account's open order", op: RequestOp.CANCEL, reason: R.UNKNOWN_ORDER, account: 1, run: (f) => f.w.engine.cancel(9, 1, f.bid), target: (f) => f.bid },
  { name: "amend of a filled order", op: RequestOp.AMEND, reason: R.ORDER_CLOSED, account: 3, run: (f) => f.w.engine.amend(9, 3, f.filled, P, 1), target: (f) => f.filled },
  { name: "amend of another account's open order", op: RequestOp.AMEND, reason: R.UNKNOWN_ORDER, account: 2, run: (f) => f.w.engine.amend(9, 2, f.bid, P - 1, 1), target: (f) => f.bid },
  { name: "duplicate client order id of an open order", op: RequestOp.SUBMIT, reason: R.DUPLICATE_CLIENT_ORDER_ID, account: 0, run: limit(0, SELL, P + 3, 1, 5) },
  { name: "negative client order id", op: RequestOp.SUBMIT, reason: R.INVALID_ORDER, account: 0, run: limit(0, SELL, P + 3, 1, -2) },
  { name: "non-integer client order id", op: RequestOp.SUBMIT, reason: R.INVALID_ORDER, account: 0, run: limit(0, SELL, P + 3, 1, 1.5) },
  { name: "post-only market order", op: RequestOp.SUBMIT, reason: R.INVALID_ORDER, account: 1, run: submit(1, BUY, OrderType.MARKET, TimeInForce.IOC, true, 0, 1) },
  { name: "limit buy with no quote", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 4, run: limit(4, BUY, P - 5, 1) },
  { name: "limit sell with no base", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 4, run: limit(4, SELL, P + 5, 1) },
  { name: "market buy with no quote", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 4, run: (f) => f.w.engine.market(9, 4, BUY, 1) },
  { name: "market sell with no base", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 4, run: (f) => f.w.engine.market(9, 4, SELL, 1) },
  // 1,000,000 USDT buys 166 lots at P, not 200,000 lots (1.2M USDT).
  { name: "limit buy beyond the quote balance", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 1, run: limit(1, BUY, P - 5, 200_000) },
  // 100 BTC is 1,000,000 lots.
  { name: "limit sell beyond the base balance", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 1, run: limit(1, SELL, P + 5, 1_000_001) },
  { name: "FOK beyond the balance", op: RequestOp.SUBMIT, reason: R.INSUFFICIENT_BALANCE, account: 1, run: submit(1, SELL, OrderType.LIMIT, TimeInForce.FOK, false, P - 1, 1_000_001) },
  { name: "amend beyond the balance", op: RequestOp.AMEND, reason: R.INSUFFICIENT_BALANCE, account: 2, run: (f) => f.w.engine.amend(9, 2, f.ask, P + 1, 1_000_001), target: (f) => f.ask },
  { name: "notional past 2**53", op: RequestOp.SUBMIT, reason: R.NOTIONAL_TOO_LARGE, account: 1, run: limit(1, BUY, 2 ** 40, 2 ** 20) },
  { name: "below min notional", op: RequestOp.SUBMIT, reason: R.MIN_NOTIONAL, account: 1, run: limit(1, BUY, 100, 1) },
  { name: "post-only that would cross", op: RequestOp.SUBMIT, reason: R.POST_ONLY_WOULD_CROSS, account: 1, run: submit(1, BUY, OrderType.LIMIT, TimeInForce.GTC, true, P + 1, 1) },
);

describe("refused requests change nothing", () => {
  for (const c of cases) {
    test(`${c.name} → ${rejectReasonName[c.reason]}`, () => {
      const f = fixture();
      const before = snapshot(f.w);
      const mark = f.w.log.size;
      const ret = c.run(f);
      assert.equal(ret, c.op === RequestOp.SUBMIT ? 0 : false);
      assert.equal(f.w.engine.lastReject, c.reason, `lastReject ${rejectReasonName[f.w.engine.lastReject as RejectReason]}`);
      const evs = eventsSince(f.w.log, mark);
      assert.equal(evs.length, 1);
      const e = evs[0];
      assert.equal(e.type, "rejected");
      if (e.type !== "rejected") return;
      assert.equal(e.reason, c.reason);
      assert.equal(e.op, c.op);
      assert.equal(e.ts, 9);
      assert.ok(Object.is(e.account, c.account), `account ${e.account}`);
      assert.equal(e.orderId, c.target ? c.target(f) : 0);
      assert.deepEqual(snapshot(f.w), before);
      f.w.engine.assertConsistent();
      assertMoneyConserved(f.w);
    });
  }

  test("lastReject is cleared by the next accepted request", () => {
    const f = fixture();
    f.w.engine.limit(9, 1, BUY, NaN, 1);
    assert.equal(f.w.engine.lastReject, R.INVALID_PRICE);
    assert.ok(f.w.engine.limit(10, 1, BUY, P - 5, 1) > 0);
    assert.equal(f.w.engine.lastReject, 0);
    f.w.engine.cancel(11, 1, 999);
    assert.ok(f.w.engine.cancel(12, 0, f.bid));
    assert.equal(f.w.engine.lastReject, 0);
  });
});

describe("client order ids", () => {
  test("a client order id is reusable once its order is canceled", () => {
    const f = fixture();
    assert.equal(f.w.engine.limit(2, 0, BUY, P - 3, 1, 5), 0);
    f.w.engine.cancel(3, 0, f.bid);
    const id = f.w.engine.limit(4, 0, BUY, P - 3, 1, 5);
    assert.ok(id > 0);
    assert.equal(f.w.engine.order(id)?.clientOrderId, 5);
  });

  test("a client order id is reusable once its order is filled, or expired", () => {
    const w = makeWorld();
    w.engine.limit(1, 0, SELL, P, 1, 8);
    w.engine.market(2, 1, BUY, 1);
    assert.ok(w.engine.limit(3, 0, SELL, P, 1, 8) > 0, "after fill");
    w.engine.market(4, 2, SELL, 1, 9); // no bids: expires
    assert.ok(w.engine.market(5, 2, SELL, 1, 9) > 0, "after expiry");
  });

  test("the same client order id may be open on two accounts at once", () => {
    const f = fixture();
    assert.ok(f.w.engine.limit(2, 1, BUY, P - 3, 1, 5) > 0);
  });
});

describe("programming errors throw, naming the field and value, and change nothing", () => {
  const throwing: [string, (w: World) => unknown, RegExp][] = [
    ["side 7", (w) => w.engine.submit(1, 0, 7 as Side, OrderType.LIMIT, TimeInForce.GTC, false, P, 1), /submit\.side: 7/],
    ["tif 9", (w) => w.engine.submit(1, 0, BUY, OrderType.LIMIT, 9 as TimeInForce, false, P, 1), /submit\.tif: 9/],
    ["orderType 4", (w) => w.engine.submit(1, 0, BUY, 4 as OrderType, TimeInForce.GTC, false, P, 1), /submit\.orderType: 4/],
    ["submit ts NaN", (w) => w.engine.limit(NaN, 0, BUY, P, 1), /submit\.ts: NaN/],
    ["submit ts -1", (w) => w.engine.market(-1, 0, BUY, 1), /submit\.ts: -1/],
    ["cancel ts NaN", (w) => w.engine.cancel(NaN, 0, 1), /cancel\.ts: NaN/],
    ["amend ts NaN", (w) => w.engine.amend(NaN, 0, 1, P, 1), /amend\.ts: NaN/],
  ];
  for (const [name, run, re] of throwing) {
    test(name, () => {
      const w = makeWorld();
      w.engine.limit(0, 0, BUY, P, 2);
      const before = snapshot(w);
      const size = w.log.size;
      assert.throws(() => run(w), (e: unknown) => e instanceof Error && re.test(e.message));
      assert.equal(w.log.size, size);
      assert.deepEqual(snapshot(w), before);
    });
  }
});
