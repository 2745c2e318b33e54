// Invariants of the engine over long random request sequences, checked after every request.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { feeOf } from "../../market/instrument.ts";
import { Asset } from "../../market/ledger.ts";
import {
  EndReason, OrderType, RequestOp, SelfTradePrevention, Side, TimeInForce, type EngineEvent,
} from "../../market/types.ts";
import { P, assertMoneyConserved, balanceOf, eventsSince, makeWorld, snapshot, type World } from "./helpers.ts";

const ACCOUNTS = 4;
interface Funds { readonly quote: number; readonly base: number }
/** 150 USDT (about 25 lots) and 0.0025 BTC (25 lots) each: enough to trade, little enough to run out. */
const TIGHT: Funds = { quote: 150_000_000, base: 250_000 };

// ------------------------------------------------------------------ requests

type Op =
  | { k: "limit"; acct: number; side: Side; tif: TimeInForce; post: boolean; off: number; size: number; cid: number }
  | { k: "market"; acct: number; side: Side; fok: boolean; size: number }
  | { k: "cancel"; acct: number; pick: number; own: boolean }
  | { k: "cancelId"; acct: number; id: number }
  | { k: "amend"; acct: number; pick: number; own: boolean; off: number; size: number }
  | { k: "bad"; which: number; acct: number; pick: number };

const acct = fc.integer({ min: 0, max: ACCOUNTS - 1 });
const side = fc.constantFrom<Side>(Side.BUY, Side.SELL);
const size = fc.integer({ min: 1, max: 12 });
const pick = fc.nat();

/** Requests with limit prices within `spread` ticks either side of the middle. */
const makeOpArb = (spread: number, cancelWeight = 4): fc.Arbitrary<Op> => {
  const off = fc.integer({ min: -spread, max: spread });
  return fc.oneof(
    { weight: 10, arbitrary: fc.record({
      k: fc.constant("limit" as const), acct, side,
      tif: fc.constantFrom<TimeInForce>(TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK),
      post: fc.integer({ min: 0, max: 4 }).map((x) => x === 0), off, size,
      cid: fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 3),
    }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant("market" as const), acct, side, fok: fc.boolean(), size }) },
    { weight: cancelWeight, arbitrary: fc.record({ k: fc.constant("cancel" as const), acct, pick, own: fc.integer({ min: 0, max: 4 }).map((x) => x !== 0) }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant("amend" as const), acct, pick, own: fc.integer({ min: 0, max: 4 }).map((x) => x !== 0), off, size }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("bad" as const), which: fc.integer({ min: 0, max: 7 }), acct, pick }) },
  );
};
const opArb = makeOpArb(8);

// ------------------------------------------------------------------ event-sourced model

interface MOrder {
  readonly id: number;
  readonly account: number;
  readonly side: Side;
  readonly market: boolean;
  readonly tif: TimeInForce;
  price: number;
  rem: number;
  /** Time of the last event that (re)placed it in a queue: acceptance or a priority-losing amend. */
  prio: number;
  resting: boolean;
}

/**
 * Replays the engine's events into its own picture of the book and of every account's total
 * holdings, checking each event against the rules as it goes (maker at the head of the best
 * level, trade at the maker's price within the taker's limit, no self-trade, exact fees).
 */
class Model {
  readonly orders = new Map<number, MOrder>();
  readonly owner = new Map<number, number>();
  readonly issued: number[] = [];
  private seq = 0;
  readonly quote: number[];
  readonly base: number[];

  constructor(
    private readonly w: World,
    private readonly stp: SelfTradePrevention,
    private readonly checkMatchPriority: boolean,
    funds: Funds,
  ) {
    this.quote = Array.from({ length: ACCOUNTS }, () => funds.quote);
    this.base = Array.from({ length: ACCOUNTS }, () => funds.base);
  }

  apply(op: RequestOp | -1, evs: EngineEvent[]): void {
    const inst = this.w.inst;
    let incoming: MOrder | undefined;
    let selfCanceled = false;
    for (const e of evs) {
      switch (e.type) {
        case "accepted": {
          assert.equal(op, RequestOp.SUBMIT);
          assert.equal(incoming, undefined, "one acceptance per request");
          assert.ok(!this.orders.has(e.orderId));
          incoming = {
            id: e.orderId, account: e.account, side: e.side, market: e.orderType === OrderType.MARKET, tif: e.tif,
            price: e.price, rem: e.size, prio: this.seq++, resting: false,
          };
          this.orders.set(e.orderId, incoming);
          this.owner.set(e.orderId, e.account);
          this.issued.push(e.orderId);
          break;
        }
        case "amended": {
          assert.equal(op, RequestOp.AMEND);
          const o = this.orders.get(e.orderId);
          assert.ok(o && o.resting, `amended order ${e.orderId} is not resting`);
          assert.equal(e.priorityKept, e.price === o.price && e.size <= o.rem, "priorityKept iff same price and not larger");
          if (e.priorityKept) {
            o.rem = e.size;
          } else {
            o.price = e.price;
            o.rem = e.size;
            o.prio = this.seq++;
            o.resting = false;
            incoming = o;
          }
          break;
        }
        case "trade": {
          const m = this.orders.get(e.makerOrderId);
          const t = this.orders.get(e.takerOrderId);
          assert.ok(m && m.resting, `maker ${e.makerOrderId} not resting`);
          assert.ok(t && t === incoming && !t.resting, `taker ${e.takerOrderId} is not the incoming order`);
          assert.equal(e.aggressor, t.side);
          assert.notEqual(m.side, t.side);
          assert.equal(e.makerAccount, m.account);
          assert.equal(e.takerAccount, t.account);
          assert.notEqual(m.account, t.account, "self-trade");
          assert.equal(e.price, m.price, "trades at the maker's price");
          if (!t.market) assert.ok(t.side === Side.BUY ? e.price <= t.price : e.price >= t.price, "within the taker's limit");
          // The book side being taken never holds a better price than the one traded.
          const head = this.head(m.side);
          assert.ok(head !== undefined && head.price === m.price, `trade at ${m.price} but best is ${head?.price}`);
          if (this.checkMatchPriority) {
            assert.equal(head.id, m.id, `maker ${m.id} traded before ${head.id}, ahead of it at ${m.price}`);
          }
          assert.ok(e.size > 0 && e.size <= m.rem && e.size <= t.rem);
          const notional = e.price * e.size * inst.quoteUnitsPerTickLot;
          assert.equal(e.makerFee, feeOf(notional, inst.makerFeePpm));
          assert.equal(e.takerFee, feeOf(notional, inst.takerFeePpm));
          const b = e.size * inst.baseUnitsPerLot;
          const [buyer, seller, buyerFee, sellerFee] = t.side === Side.BUY
            ? [t.account, m.account, e.takerFee, e.makerFee]
            : [m.account, t.account, e.makerFee, e.takerFee];
          this.base[buyer] += b;
          this.base[seller] -= b;
          this.quote[buyer] -= notional + buyerFee;
          this.quote[seller] += notional - sellerFee;
          m.rem -= e.size;
          t.rem -= e.size;
          if (m.rem === 0) this.orders.delete(m.id);
          if (t.rem === 0) this.orders.delete(t.id);
          break;
        }
        case "canceled": {
          const o = this.orders.get(e.orderId);
          assert.ok(o && o.resting, `canceled order ${e.orderId} is not resting`);
          assert.equal(e.remaining, o.rem);
          assert.equal(e.account, o.account);
          if (e.reason === EndReason.USER) {
            assert.equal(op, RequestOp.CANCEL);
          } else {
            assert.equal(e.reason, EndReason.SELF_TRADE);
            assert.ok(incoming && incoming.account === o.account && incoming.side !== o.side, "self_trade cancel of a non-self order");
            assert.notEqual(this.stp, SelfTradePrevention.CANCEL_TAKER, "CANCEL_TAKER canceled a resting order");
            selfCanceled = true;
          }
          this.orders.delete(o.id);
          break;
        }
        case "expired": {
          assert.ok(incoming && incoming.id === e.orderId, "only the incoming order expires");
          assert.equal(e.remaining, incoming.rem);
          assert.ok(this.orders.has(e.orderId));
          if (e.reason === EndReason.SELF_TRADE) {
            assert.notEqual(this.stp, SelfTradePrevention.CANCEL_RESTING, "CANCEL_RESTING expired the taker");
            if (this.stp === SelfTradePrevention.CANCEL_BOTH) assert.ok(selfCanceled, "CANCEL_BOTH kept the resting order");
          }
          this.orders.delete(e.orderId);
          break;
        }
        case "rejected":
          assert.fail("a rejection inside an accepted request");
      }
    }
    if (incoming && this.orders.has(incoming.id)) {
      assert.ok(!incoming.market, "a market order rested");
      assert.equal(incoming.tif, TimeInForce.GTC, "an IOC/FOK order rested");
      incoming.resting = true;
    }
  }

  /** Best-priority resting order of a side: best price, then earliest priority time. */
  head(side: Side): MOrder | undefined {
    let best: MOrder | undefined;
    for (const o of this.orders.values()) {
      if (!o.resting || o.side !== side) continue;
      if (!best || (side === Side.BUY ? o.price > best.price : o.price < best.price) || (o.price === best.price && o.prio < best.prio)) best = o;
    }
    return best;
  }

  /** The book as the model expects l3 to show it: best price first, priority order within. */
  l3(side: Side): [number, number, number, number][] {
    return [...this.orders.values()]
      .filter((o) => o.resting && o.side === side)
      .sort((a, b) => (a.price === b.price ? a.prio - b.prio : side === Side.BUY ? b.price - a.price : a.price - b.price))
      .map((o) => [o.id, o.account, o.price, o.rem]);
  }

  /** What each account should have locked: its resting orders' reservations, from scratch. */
  locked(account: number): { quote: number; base: number } {
    const inst = this.w.inst;
    const ppm = Math.max(inst.makerFeePpm, inst.takerFeePpm);
    let quote = 0;
    let base = 0;
    for (const o of this.orders.values()) {
      if (!o.resting || o.account !== account) continue;
      if (o.side === Side.BUY) {
        const n = o.price * o.rem * inst.quoteUnitsPerTickLot;
        quote += n + feeOf(n, ppm);
      } else base += o.rem * inst.baseUnitsPerLot;
    }
    return { quote, base };
  }
}

// ------------------------------------------------------------------ running

/** Mostly an open order; sometimes any id ever issued (closed ones too), or one never issued. */
function targetOf(model: Model, pick: number): number {
  const open = [...model.orders.keys()];
  if (pick % 8 !== 0 && open.length > 0) return open[(pick >> 3) % open.length];
  const ids = model.issued;
  return ids.length === 0 || pick % 16 === 0 ? 1 + (pick % 5) + ids.length : ids[(pick >> 4) % ids.length];
}

function perform(w: World, model: Model, op: Op, ts: number): { ret: number | boolean; kind: RequestOp } {
  const e = w.engine;
  const mid = P + 7; // most prices are not multiples of 1000 ticks, so fees round down
  switch (op.k) {
    case "limit":
      return { ret: e.submit(ts, op.acct, op.side, OrderType.LIMIT, op.tif, op.post, mid + op.off, op.size, op.cid), kind: RequestOp.SUBMIT };
    case "market":
      return { ret: e.submit(ts, op.acct, op.side, OrderType.MARKET, op.fok ? TimeInForce.FOK : TimeInForce.IOC, false, 0, op.size), kind: RequestOp.SUBMIT };
    case "cancel": {
      const id = targetOf(model, op.pick);
      return { ret: e.cancel(ts, op.own ? (model.owner.get(id) ?? op.acct) : op.acct, id), kind: RequestOp.CANCEL };
    }
    case "cancelId":
      return { ret: e.cancel(ts, op.acct, op.id), kind: RequestOp.CANCEL };
    case "amend": {
      const id = targetOf(model, op.pick);
      const o = model.orders.get(id);
      // Mostly amend around the current price, so size-only amends (kept priority) happen.
      const price = o && op.off % 3 === 0 ? o.price : mid + op.off;
      return { ret: e.amend(ts, op.own ? (model.owner.get(id) ?? op.acct) : op.acct, id, price, op.size), kind: RequestOp.AMEND };
    }
    case "bad": {
      const id = targetOf(model, op.pick);
      switch (op.which) {
        case 0: return { ret: e.limit(ts, op.acct, Side.BUY, NaN, 1), kind: RequestOp.SUBMIT };
        case 1: return { ret: e.limit(ts, op.acct, Side.SELL, mid, 1.5), kind: RequestOp.SUBMIT };
        case 2: return { ret: e.market(ts, op.acct, Side.BUY, 0), kind: RequestOp.SUBMIT };
        case 3: return { ret: e.limit(ts, ACCOUNTS + 3, Side.BUY, mid, 1), kind: RequestOp.SUBMIT };
        case 4: return { ret: e.cancel(ts, op.acct, 1e9), kind: RequestOp.CANCEL };
        case 5: return { ret: e.amend(ts, op.acct, id, mid, -1), kind: RequestOp.AMEND };
        case 6: return { ret: e.amend(ts, op.acct, id, 2 ** 53, 1), kind: RequestOp.AMEND };
        default: return { ret: e.limit(ts, op.acct, Side.BUY, 100, 1), kind: RequestOp.SUBMIT };
      }
    }
  }
}

interface Tally { ops: number; rejected: number; trades: number; selfTrade: number; amendsKept: number; priorityLost: number; balanceLimited: number }

function runSequence(stp: SelfTradePrevention, ops: Op[], checkMatchPriority: boolean, tally: Tally, funds = TIGHT): void {
  const w = makeWorld({ accounts: ACCOUNTS, quote: funds.quote, base: funds.base, stp, initialOrders: 16 });
  const model = new Model(w, stp, checkMatchPriority, funds);
  ops.forEach((op, ts) => {
    const before = snapshot(w);
    const mark = w.log.size;
    const { ret, kind } = perform(w, model, op, ts);
    const evs = eventsSince(w.log, mark);
    const where = `op ${ts} ${JSON.stringify(op)} → ${JSON.stringify(evs)}`;
    tally.ops++;
    if (ret === 0 || ret === false) {
      tally.rejected++;
      assert.notEqual(w.engine.lastReject, 0, where);
      assert.equal(evs.length, 1, where);
      const r = evs[0];
      assert.ok(r.type === "rejected" && r.reason === w.engine.lastReject && r.op === kind, where);
      assert.deepEqual(snapshot(w), before, `state changed by a rejection: ${where}`);
    } else {
      assert.equal(w.engine.lastReject, 0, where);
      model.apply(kind, evs);
      for (const e of evs) {
        if (e.type === "trade") tally.trades++;
        if ((e.type === "canceled" || e.type === "expired") && e.reason === EndReason.SELF_TRADE) tally.selfTrade++;
        if (e.type === "expired" && e.reason === EndReason.INSUFFICIENT_BALANCE) tally.balanceLimited++;
        if (e.type === "amended") e.priorityKept ? tally.amendsKept++ : tally.priorityLost++;
      }
    }
    // Book never crossed.
    const bb = w.engine.bestBid();
    const ba = w.engine.bestAsk();
    assert.ok(bb === 0 || ba === 0 || bb < ba, `crossed ${bb} >= ${ba} after ${where}`);
    // Price-time priority and FIFO within each level, as the events say it should be.
    for (const s of [Side.BUY, Side.SELL] as const) {
      const actual = w.engine.l3(s).map((o) => [o.orderId, o.account, o.price, o.remaining]);
      assert.deepEqual(actual, model.l3(s), `side ${s} book differs from the event history after ${where}`);
    }
    assert.equal(w.engine.openOrderCount, model.orders.size);
    // Every account holds what its trades say and locks exactly what its orders need.
    for (let a = 0; a < ACCOUNTS; a++) {
      const b = balanceOf(w, a);
      assert.equal(b.freeQuote + b.lockedQuote, model.quote[a], `account ${a} quote after ${where}`);
      assert.equal(b.freeBase + b.lockedBase, model.base[a], `account ${a} base after ${where}`);
      const l = model.locked(a);
      assert.equal(b.lockedQuote, l.quote, `account ${a} locked quote after ${where}`);
      assert.equal(b.lockedBase, l.base, `account ${a} locked base after ${where}`);
    }
    assertMoneyConserved(w);
    assert.equal(w.ledger.total(Asset.QUOTE), ACCOUNTS * funds.quote);
    w.engine.assertConsistent();
  });
}

const stpArb = fc.constantFrom<SelfTradePrevention>(0, 1, 2);

describe("engine invariants over random request sequences", () => {
  test("book never crossed, l3 matches the event history (FIFO), money conserved, rejections change nothing", () => {
    const tally: Tally = { ops: 0, rejected: 0, trades: 0, selfTrade: 0, amendsKept: 0, priorityLost: 0, balanceLimited: 0 };
    fc.assert(
      fc.property(stpArb, fc.array(opArb, { minLength: 250, maxLength: 300 }), (stp, ops) => runSequence(stp, ops, false, tally)),
      { numRuns: 100 },
    );
    // The generator must actually reach the interesting paths, or the property proves little.
    assert.ok(tally.trades > 1000 && tally.rejected > 1000 && tally.selfTrade > 200 && tally.amendsKept > 150 && tally.priorityLost > 500, JSON.stringify(tally));
  });

  test("every trade takes the order at the head of the best opposite level (price-time priority at match time)", () => {
    const tally: Tally = { ops: 0, rejected: 0, trades: 0, selfTrade: 0, amendsKept: 0, priorityLost: 0, balanceLimited: 0 };
    fc.assert(
      fc.property(stpArb, fc.array(opArb, { minLength: 250, maxLength: 300 }), (stp, ops) => runSequence(stp, ops, true, tally)),
      { numRuns: 100 },
    );
  });

  test("the same invariants hold on a wide book whose emptied deep levels are compacted mid-match", () => {
    // A ladder of 150 one-lot orders per side; then most of the deep half of each side is
    // canceled, leaving just under the compaction threshold of empty levels; then random
    // requests whose sweeps shorten the book until compaction happens inside a match.
    const N = 150;
    const ladder: Op[] = Array.from({ length: 2 * N }, (_, i) => {
      const k = i >> 1;
      const sell = (i & 1) === 1;
      return { k: "limit", acct: i % ACCOUNTS, side: sell ? Side.SELL : Side.BUY, tif: TimeInForce.GTC, post: false, off: sell ? 10 + k : -10 - k, size: 1, cid: 0 };
    });
    // Order id of ladder step i is i + 1; its level index from the best is i >> 1.
    const deep = Array.from({ length: 2 * N }, (_, i) => i).filter((i) => i >> 1 >= N / 2);
    const cancels = fc.subarray(deep, { minLength: 130, maxLength: 148 })
      .map((is) => is.map((i): Op => ({ k: "cancelId", acct: i % ACCOUNTS, id: i + 1 })));
    const tally: Tally = { ops: 0, rejected: 0, trades: 0, selfTrade: 0, amendsKept: 0, priorityLost: 0, balanceLimited: 0 };
    fc.assert(
      fc.property(stpArb, cancels, fc.array(makeOpArb(40), { minLength: 250, maxLength: 300 }), (stp, cs, ops) =>
        runSequence(stp, [...ladder, ...cs, ...ops], true, tally, { quote: 1_500_000_000, base: 2_500_000 })),
      { numRuns: 30 },
    );
    assert.ok(tally.trades > 300, JSON.stringify(tally));
  });
});
