// The simulator's fast path for populations: callbacks instead of awaits, a delayed view of the top.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { OrderRec } from "../../market/ccxt-shapes.ts";
import { TopTape } from "../../market/top-tape.ts";
import { OrderType, Side, TimeInForce } from "../../market/types.ts";
import { Kernel, type AgentContext, type SimAgent } from "../../sim/kernel.ts";

const MS = 1_000_000;

test("a listener sees its order accepted, filled and closed, at local time, without a single yield", async () => {
  const seen: string[] = [];
  class Maker implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.exchange.listener = {
        onOrder: (o: Readonly<OrderRec>) => seen.push(`${ctx.now / MS}ms order ${o.id} ${o.status} filled ${o.filled}/${o.amount}`),
        onFill: (o, price, size, fee, asTaker) => seen.push(`${ctx.now / MS}ms fill ${o.id} ${size}@${price} fee ${fee} ${asTaker ? "taker" : "maker"}`),
      };
      void ctx.exchange.createOrder(ctx.symbol, "limit", "sell", 0.001, 30_000);
    }
  }
  class Taker implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.wakeIn(10 * MS);
    }
    wake(ctx: AgentContext): void {
      void ctx.exchange.createOrder(ctx.symbol, "market", "buy", 0.001);
    }
  }
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: MS, outNs: MS, jitterNs: 0 } });
  k.addAgent("maker", new Maker(), { base: 1 });
  k.addAgent("taker", new Taker(), { quote: 100_000 });
  const stats = await k.run(100 * MS);
  assert.equal(stats.drains, 0);
  // 10 lots at 3,000,000 ticks; fee 0.1% of 30 USDT = 0.03 USDT = 30,000 micro-USDT.
  assert.deepEqual(seen, [
    "2ms order 1 open filled 0/10",
    "12ms fill 1 10@3000000 fee 30000 maker",
    "12ms order 1 closed filled 10/10",
  ]);
});

test("bidTicks/askTicks show the venue's top as it was one feed delay ago", async () => {
  const reads: [number, number][] = [];
  class Quoter implements SimAgent {
    start(ctx: AgentContext): void {
      void ctx.exchange.createOrder(ctx.symbol, "limit", "buy", 0.001, 29_999);
      for (const t of [1, 2, 3, 5, 6, 7]) ctx.wakeAt(t * MS);
    }
    wake(ctx: AgentContext): void {
      reads.push([ctx.now / MS, ctx.exchange.bidTicks()]);
    }
  }
  // The order reaches the venue at 2 ms; the feed lags 3 ms, so the bid shows from 5 ms on.
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: 2 * MS, outNs: 3 * MS, jitterNs: 0 } });
  k.addAgent("q", new Quoter(), { quote: 100 });
  await k.run(10 * MS);
  assert.deepEqual(reads, [[1, 0], [2, 0], [3, 0], [5, 2_999_900], [6, 2_999_900], [7, 2_999_900]]);
});

test("TopTape answers the last change at or before a time, across ring wrap-around", () => {
  const tape = new TopTape(4);
  assert.equal(tape.bidAt(100), 0);
  for (let i = 1; i <= 6; i++) tape.push(i * 10, { bidPrice: i, bidSize: 1, askPrice: i + 1, askSize: 1 });
  // Ring holds the changes at 30, 40, 50, 60.
  assert.equal(tape.bidAt(45), 4);
  assert.equal(tape.bidAt(60), 6);
  assert.equal(tape.bidAt(1000), 6);
  assert.equal(tape.askAt(30), 4);
  assert.equal(tape.bidAt(5), 3, "older than the ring: its oldest entry");
  assert.deepEqual(tape.at(52), { bidPrice: 5, bidSize: 1, askPrice: 6, askSize: 1 });
});

test("TopTape reads as a scan of the changes it keeps would, for any times, capacity and query", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 9 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
      fc.array(fc.integer({ min: -1, max: 70 }), { minLength: 1, maxLength: 10 }),
      (capacity, gaps, queries) => {
        const tape = new TopTape(capacity);
        const pushed: { ts: number; bid: number }[] = [];
        let ts = 0;
        gaps.forEach((g, i) => {
          ts += g;
          tape.push(ts, { bidPrice: i + 1, bidSize: 1, askPrice: i + 2, askSize: 1 });
          pushed.push({ ts, bid: i + 1 });
        });
        const kept = pushed.slice(-capacity);
        for (const t of queries) {
          const at = kept.filter((e) => e.ts <= t).at(-1);
          // Older than every kept change: the oldest one once the ring has wrapped, else none.
          const expected = at !== undefined ? at.bid : pushed.length > capacity ? kept[0].bid : 0;
          assert.equal(tape.bidAt(t), expected, `t=${t}`);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test("sendOrder and sendCancel work without promises: the listener sees the order open and then canceled", async () => {
  const seen: string[] = [];
  class Sender implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.exchange.listener = { onOrder: (o) => seen.push(`${ctx.now / MS}ms ${o.id} ${o.status} ${o.reason ?? ""}`.trim()) };
      ctx.exchange.sendOrder(0, 0, 0, false, 2_999_000, 5);
      ctx.wakeIn(5 * MS);
    }
    wake(ctx: AgentContext): void {
      for (const o of ctx.exchange.openOrderStates()) ctx.exchange.sendCancel(o.id);
    }
  }
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: MS, outNs: MS, jitterNs: 0 } });
  k.addAgent("s", new Sender(), { quote: 1000 });
  const stats = await k.run(20 * MS);
  assert.equal(stats.drains, 0);
  assert.deepEqual(seen, ["2ms 1 open", "7ms 1 canceled user"]);
  assert.equal(k.venue.engine.openOrderCount, 0);
});

test("closed history is bounded by options.ordersLimit / tradesLimit; a population's client keeps none", async () => {
  // Each agent sells 3 lots one at a time into a resting bid, so it has 3 closed orders and 3 fills.
  const outcome: Record<string, { first: string; last: string; trades: number; open: number }> = {};
  class Seller implements SimAgent {
    constructor(private readonly name: string) {}
    async start(ctx: AgentContext): Promise<void> {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await ctx.exchange.createOrder(ctx.symbol, "market", "sell", 0.001)).id);
      const look = (id: string) => ctx.exchange.fetchOrder(id, ctx.symbol).then((o) => o.status, (e: Error) => e.constructor.name);
      outcome[this.name] = {
        first: await look(ids[0]), last: await look(ids[2]),
        trades: (await ctx.exchange.fetchMyTrades(ctx.symbol)).length, open: (await ctx.exchange.fetchOpenOrders(ctx.symbol)).length,
      };
    }
  }
  class Bidder implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.exchange.sendOrder(0, 0, 0, false, 2_999_000, 100);
    }
  }
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: MS, outNs: MS, jitterNs: 0 } });
  k.addAgent("bid", new Bidder(), { quote: 100_000 });
  k.addAgent("default", new Seller("default"), { base: 1 });
  k.addAgent("two", new Seller("two"), { base: 1, history: { ordersLimit: 2, tradesLimit: 2 } });
  k.addAgent("none", new Seller("none"), { base: 1, history: { ordersLimit: 0, tradesLimit: 0 } });
  await k.run(1_000 * MS);
  assert.deepEqual(outcome.default, { first: "closed", last: "closed", trades: 3, open: 0 });
  assert.deepEqual(outcome.two, { first: "OrderNotFound", last: "closed", trades: 2, open: 0 });
  assert.deepEqual(outcome.none, { first: "OrderNotFound", last: "OrderNotFound", trades: 0, open: 0 });
});

test("a client that keeps no closed orders reuses a closed order's record, reset for the next order", async () => {
  const seen: OrderRec[] = [];
  const states: string[] = [];
  class Trader implements SimAgent {
    ex: AgentContext["exchange"] | undefined;
    start(ctx: AgentContext): void {
      this.ex = ctx.exchange;
      ctx.exchange.listener = {
        onOrder: (o) => {
          seen.push(o);
          states.push(`${o.id} ${o.side} ${o.status} ${o.filled}/${o.amount} last ${o.lastTradeTs} ${o.tif}`);
        },
      };
      // Fills at once against the resting sell (closed), then a resting GTC buy.
      ctx.exchange.sendOrder(Side.BUY, OrderType.MARKET, TimeInForce.IOC, false, 0, 10);
      ctx.wakeIn(10 * MS);
    }
    wake(ctx: AgentContext): void {
      ctx.exchange.sendOrder(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, false, 2_900_000, 7);
    }
  }
  class Maker implements SimAgent {
    start(ctx: AgentContext): void {
      void ctx.exchange.createOrder(ctx.symbol, "limit", "sell", 0.001, 30_000);
    }
  }
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: MS, outNs: MS, jitterNs: 0 } });
  k.addAgent("maker", new Maker(), { base: 1 });
  const trader = new Trader();
  k.addAgent("trader", trader, { quote: 100_000, history: { ordersLimit: 0, tradesLimit: 0 } });
  await k.run(100 * MS);
  // The second order's record is the first one's object, with every field of the new order.
  assert.equal(seen.at(-1), seen[0]);
  assert.deepEqual(states, [
    "2 0 open 0/10 last undefined IOC",
    "2 0 closed 10/10 last 1000000 IOC",
    "3 0 open 0/7 last undefined GTC",
  ]);
  const open = [...trader.ex!.openOrderStates()];
  assert.deepEqual(open.map((o) => [o.id, o.status, o.filled, o.cost, o.fee, o.price]), [[3, "open", 0, 0, 0, 2_900_000]]);
});

test("messages in flight across flushes of the venue's event log read their own rows", async () => {
  // Two bursts of 70,000 two-lot sells (6 USDT, over the 5 USDT minimum), 10 s apart, answered 2 s later: the log flushes twice
  // within each burst (every ~32k rows), so rows are still in flight when the log moves on to
  // another array, and the second burst writes into arrays the first one used. Every answer
  // must carry its own order, once.
  const BURST = 70_000;
  const priceOf = (id: number) => 3_000_000 + (id % 97);
  const wrong: string[] = [];
  const answers = new Uint8Array(2 * BURST + 1);
  class Burster implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.exchange.listener = {
        onOrder: (o) => {
          answers[o.id]++;
          if (o.price !== priceOf(o.id) && wrong.length < 5) wrong.push(`order ${o.id} at ${o.price}`);
        },
      };
      this.wake(ctx);
      ctx.wakeAt(10_000 * MS);
    }
    private sent = 0;
    wake(ctx: AgentContext): void {
      // The engine numbers orders from 1 in arrival order, which is sending order here.
      for (let i = 0; i < BURST; i++) ctx.exchange.sendOrder(Side.SELL, OrderType.LIMIT, TimeInForce.GTC, true, priceOf(++this.sent), 2);
    }
  }
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: MS, outNs: 2_000 * MS, jitterNs: 0 } });
  k.addAgent("b", new Burster(), { base: 30, history: { ordersLimit: 0, tradesLimit: 0 } });
  const stats = await k.run(15_000 * MS);
  assert.deepEqual(wrong, []);
  // Each order answered exactly once: an overwritten row would answer a later order twice.
  const notOnce = [...answers.keys()].filter((id) => id > 0 && answers[id] !== 1);
  assert.deepEqual(notOnce.slice(0, 5), []);
  assert.equal(stats.events.accepted, 2 * BURST);
});
