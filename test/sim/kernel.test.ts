// Kernel: latency on the simulated clock, FIFO channels, event order at equal time, agent failures, streams, run report.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { TopOfBook } from "../../market/engine.ts";
import type { EventLog } from "../../market/event-log.ts";
import type { Deliverable, VenueObserver } from "../../market/sim-venue.ts";
import type { AcceptedEvent, EngineEvent } from "../../market/types.ts";
import { RandomTrader } from "../../agents/random-trader.ts";
import { MS, SECOND } from "../../sim/clock.ts";
import { Kernel, Priority, type AgentContext, type SimAgent } from "../../sim/kernel.ts";

const SYMBOL = "BTC/USDT";
const FIXED = { inNs: 3 * MS, outNs: 5 * MS, jitterNs: 0 };

/** An agent that runs `fn` once, in its `start`. */
function script(fn: (ctx: AgentContext) => Promise<void> | void): SimAgent {
  return { start: fn };
}

/** An agent that sleeps until `t`, then runs `fn` in its `wake`. */
function at(t: number, fn: (ctx: AgentContext) => Promise<void> | void): SimAgent {
  return {
    start: (ctx) => ctx.wakeAt(t),
    wake: fn,
  };
}

/** Collects every venue event with the venue time it happened at. */
class Tape implements VenueObserver {
  readonly events: EngineEvent[] = [];
  onEvents(log: EventLog, from: number, to: number): void {
    for (let i = from; i < to; i++) this.events.push(log.get(i));
  }
  onTop(_ts: number, _top: TopOfBook): void {}
  get accepted(): AcceptedEvent[] {
    return this.events.filter((e): e is AcceptedEvent => e.type === "accepted");
  }
}

const FUNDS = { base: 10, quote: 1_000_000 };

test("latency: an order sent at t reaches the venue at t + inNs and its answer lands at t + inNs + outNs", async () => {
  const epochMs = Date.UTC(2024, 0, 1);
  const k = new Kernel({ seed: 1, epochMs, defaultLatency: { inNs: 2 * MS, outNs: 4 * MS, jitterNs: 0 } });
  const tape = new Tape();
  k.observe(tape);
  const seen: Record<string, { sent: number; venueTs: number; localTs: number; after: number; timestamp: number }> = {};
  const trader = (name: string, price: number) =>
    at(SECOND, async (ctx) => {
      const sent = ctx.now;
      const o = await ctx.exchange.createOrder(SYMBOL, "limit", "buy", 0.01, price);
      seen[name] = { sent, venueTs: o.info.venueTs, localTs: o.info.localTs, after: ctx.now, timestamp: o.timestamp };
    });
  k.addAgent("fixed", trader("fixed", 29_000), { latency: FIXED, ...FUNDS });
  k.addAgent("slow", trader("slow", 28_000), { latency: { inNs: 10 * MS, outNs: 20 * MS, jitterNs: 0 }, ...FUNDS });
  k.addAgent("default", trader("default", 27_000), FUNDS);
  await k.run(2 * SECOND);

  const expect = { fixed: [3, 5], slow: [10, 20], default: [2, 4] } as const;
  for (const [name, [inMs, outMs]] of Object.entries(expect)) {
    const s = seen[name];
    assert.ok(s !== undefined, `${name} finished`);
    assert.equal(s.sent, SECOND, `${name} sent at its wake`);
    assert.equal(s.venueTs, SECOND + inMs * MS, `${name}: venue time = sent + inNs`);
    assert.equal(s.localTs, SECOND + (inMs + outMs) * MS, `${name}: local time = sent + inNs + outNs`);
    assert.equal(s.after, s.localTs, `${name}: the await resumes at the answer's arrival`);
    assert.equal(s.timestamp, epochMs + 1000 + inMs, `${name}: ccxt timestamp is epoch + venue ms`);
  }
  // The venue's own log agrees: accepted at t + inNs, in arrival order.
  assert.deepEqual(
    tape.accepted.map((e) => [e.ts, e.price]),
    [[SECOND + 2 * MS, 2_700_000], [SECOND + 3 * MS, 2_900_000], [SECOND + 10 * MS, 2_800_000]],
  );
});

test("channels are FIFO even with jitter: orders sent at one instant are accepted and answered in send order", async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer(), fc.integer({ min: 1, max: 20 * MS }), fc.integer({ min: 2, max: 30 }), async (seed, jitterNs, n) => {
      const k = new Kernel({ seed });
      const tape = new Tape();
      k.observe(tape);
      const answered: number[] = [];
      const local: number[] = [];
      k.addAgent("burst", at(SECOND, async (ctx) => {
        const all: Promise<void>[] = [];
        for (let i = 0; i < n; i++) {
          // Distinct prices name the orders: 29,000.00 - i ticks.
          all.push(ctx.exchange.createOrder(SYMBOL, "limit", "buy", 0.01, Number((29_000 - i * 0.01).toFixed(2))).then((o) => {
            answered.push(i);
            local.push(o.info.localTs);
          }));
        }
        await Promise.all(all);
      }), { latency: { inNs: MS, outNs: MS, jitterNs }, ...FUNDS });
      await k.run(2 * SECOND);
      const sendOrder = Array.from({ length: n }, (_, i) => i);
      assert.deepEqual(tape.accepted.map((e) => 2_900_000 - e.price), sendOrder, "accepted in send order");
      const ts = tape.accepted.map((e) => e.ts);
      for (let i = 1; i < n; i++) assert.ok(ts[i] >= ts[i - 1], "arrival times never go backwards");
      assert.ok(ts.every((t) => t >= SECOND + MS && t <= SECOND + MS + jitterNs), "arrivals within [in, in + jitter]");
      assert.deepEqual(answered, sendOrder, "answered in send order");
      for (let i = 1; i < n; i++) assert.ok(local[i] >= local[i - 1]);
    }),
    { numRuns: 30 },
  );
});

test("jitter really varies arrival times (so the FIFO test above is not vacuous)", async () => {
  const k = new Kernel({ seed: 7 });
  const tape = new Tape();
  k.observe(tape);
  k.addAgent("burst", at(SECOND, async (ctx) => {
    for (let i = 0; i < 20; i++) {
      await ctx.exchange.createOrder(SYMBOL, "limit", "buy", 0.01, 29_000 - i);
    }
  }), { latency: { inNs: MS, outNs: MS, jitterNs: 5 * MS }, ...FUNDS });
  await k.run(10 * SECOND);
  const sendToAccept = new Set<number>();
  let prev = 0;
  for (const e of tape.accepted) {
    sendToAccept.add(e.ts - prev);
    prev = e.ts;
  }
  assert.ok(sendToAccept.size > 5, `round trips vary: ${[...sendToAccept].join(", ")}`);
});

test("events at equal time run in (priority, sequence) order: venue, deliveries, wakes, samples", async () => {
  const k = new Kernel({ seed: 1 });
  const order: string[] = [];
  const mark = (name: string, then?: () => void): Deliverable => ({
    deliver: () => {
      order.push(name);
      then?.();
    },
  });
  k.at(5, Priority.WAKE, mark("w1", () => k.at(5, Priority.VENUE, mark("v3"))));
  k.at(5, Priority.SAMPLE, mark("s1"));
  k.at(5, Priority.VENUE, mark("v1"));
  k.at(5, Priority.DELIVERY, mark("d1"));
  k.at(5, Priority.WAKE, mark("w2"));
  k.at(3, Priority.SAMPLE, mark("early"));
  k.at(5, Priority.VENUE, mark("v2"));
  k.at(5, Priority.DELIVERY, mark("d2"));
  await k.run(10);
  assert.deepEqual(order, ["early", "v1", "v2", "d1", "d2", "w1", "v3", "w2", "s1"]);
});

test("the kernel's two lanes (messages in flight, timers) merge into one (time, priority, sequence) order", async () => {
  // Each event, when delivered, may schedule a follow-up; the model is one sorted list with a
  // global sequence counter, which is what the kernel must be equivalent to.
  const ev = fc.record({ t: fc.integer({ min: 0, max: 6 }), p: fc.integer({ min: 0, max: 3 }), next: fc.option(fc.record({ dt: fc.integer({ min: 0, max: 3 }), p: fc.integer({ min: 0, max: 3 })}), { nil: undefined }) });
  await fc.assert(fc.asyncProperty(fc.array(ev, { maxLength: 40 }), async (events) => {
    type E = { t: number; p: number; seq: number; name: string; next?: { dt: number; p: number } };
    let seq = 0;
    const pending: E[] = events.map((e, i) => ({ ...e, seq: seq++, name: `e${i}` }));
    const expected: string[] = [];
    while (pending.length > 0) {
      pending.sort((a, b) => a.t - b.t || a.p - b.p || a.seq - b.seq);
      const e = pending.shift()!;
      expected.push(e.name);
      if (e.next !== undefined) pending.push({ t: e.t + e.next.dt, p: e.next.p, seq: seq++, name: `${e.name}+` });
    }
    const k = new Kernel({ seed: 1 });
    const order: string[] = [];
    const mark = (name: string, next?: { dt: number; p: number }): Deliverable => ({
      deliver: (now: number) => {
        order.push(name);
        if (next !== undefined) k.at(now + next.dt, next.p, mark(`${name}+`));
      },
    });
    events.forEach((e, i) => k.at(e.t, e.p, mark(`e${i}`, e.next)));
    await k.run(100);
    assert.deepEqual(order, expected);
  }));
});

test("a message scheduled before now is refused even when its lane has not yet reached now", async () => {
  const k = new Kernel({ seed: 1 });
  // Only the timers lane has popped (at 10); the in-flight lane alone would accept time 5.
  k.at(10, Priority.WAKE, { deliver: () => k.at(5, Priority.VENUE, { deliver: () => {} }) });
  await assert.rejects(k.run(20), /event time 5 ns is before the current time 10 ns/);
});

test("at equal time an arriving order is in the book before an agent woken then looks, and samplers run last", async () => {
  const k = new Kernel({ seed: 1 });
  const seen: string[] = [];
  k.addAgent("sender", script(async (ctx) => {
    await ctx.exchange.createOrder(SYMBOL, "limit", "buy", 0.01, 29_000);
  }), { latency: { inNs: 10 * MS, outNs: MS, jitterNs: 0 }, ...FUNDS });
  k.addAgent("looker", at(10 * MS, () => {
    seen.push(`wake bid=${k.venue.engine.top().bidPrice}`);
  }), FUNDS);
  k.every(10 * MS, (now) => {
    if (now === 10 * MS) seen.push(`sample bid=${k.venue.engine.top().bidPrice}`);
  });
  await k.run(20 * MS);
  assert.deepEqual(seen, ["wake bid=2900000", "sample bid=2900000"]);
});

test("an agent that throws in start aborts the run with an error naming the agent", async () => {
  const k = new Kernel({ seed: 1 });
  k.addAgent("calm", script(() => {}));
  k.addAgent("grumpy/1", script(() => {
    throw new Error("no coffee");
  }));
  await assert.rejects(k.run(SECOND), (e: Error) => {
    assert.match(e.message, /agent grumpy\/1 at t=0 ns: no coffee/);
    assert.equal((e.cause as Error).message, "no coffee");
    return true;
  });
});

test("an agent that throws in wake, sync or after an await, aborts the run there; later events do not run", async () => {
  for (const kind of ["sync", "async"] as const) {
    const k = new Kernel({ seed: 1 });
    let lateRan = false;
    k.addAgent("late", at(SECOND, () => {
      lateRan = true;
    }));
    k.addAgent("thrower", at(5 * MS, async (ctx) => {
      if (kind === "async") await ctx.exchange.fetchBalance();
      throw new RangeError(`bad ${kind}`);
    }), { latency: { inNs: MS, outNs: MS, jitterNs: 0 } });
    const t = kind === "sync" ? 5 * MS : 7 * MS;
    await assert.rejects(k.run(2 * SECOND), (e: Error) => {
      assert.ok(e.message.includes(`agent thrower at t=${t} ns: bad ${kind}`), e.message);
      assert.ok(e.cause instanceof RangeError);
      return true;
    });
    assert.equal(lateRan, false, `${kind}: the run stopped at the failure`);
  }
});

test("wake in the past, or at a non-integer time, throws naming the agent and the time", async () => {
  const errors: string[] = [];
  const k = new Kernel({ seed: 1 });
  let wakes = 0;
  k.addAgent("clock-skew", at(10 * MS, (ctx) => {
    if (++wakes > 1) return;
    for (const f of [() => ctx.wakeAt(5 * MS), () => ctx.wakeIn(-1), () => ctx.wakeAt(10 * MS + 0.5), () => ctx.wakeAt(NaN)]) {
      try {
        f();
        errors.push("no error");
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    ctx.wakeAt(ctx.now); // now itself is allowed
  }));
  await k.run(SECOND);
  assert.equal(wakes, 2, "a wake at now itself is allowed and runs");
  assert.equal(errors.length, 4);
  for (const m of errors) assert.match(m, /^agent clock-skew: wake time .* is not an integer ns at or after now \(10000000\)$/);
  assert.ok(errors[0].includes("5000000"));

  const k2 = new Kernel({ seed: 1 });
  k2.addAgent("careless", at(10 * MS, (ctx) => ctx.wakeAt(MS)));
  await assert.rejects(k2.run(SECOND), /agent careless/);
});

test("run covers events at exactly the duration, not after, and leaves the clock at the duration", async () => {
  const k = new Kernel({ seed: 1 });
  const woke: number[] = [];
  k.addAgent("edge", {
    start: (ctx) => {
      ctx.wakeAt(SECOND);
      ctx.wakeAt(SECOND + 1);
    },
    wake: (ctx) => {
      woke.push(ctx.now);
    },
  });
  const s = await k.run(SECOND);
  assert.deepEqual(woke, [SECOND]);
  assert.equal(s.wakes, 1);
  assert.equal(k.now, SECOND);
});

/** The first draws of agent `target`'s stream, in a world with `names` agents. */
async function drawsOf(seed: number, names: readonly string[], target: string): Promise<number[]> {
  const k = new Kernel({ seed });
  let out: number[] = [];
  for (const name of names) {
    k.addAgent(name, script((ctx) => {
      const d = Array.from({ length: 8 }, () => ctx.rng.next());
      if (name === target) out = d;
    }));
  }
  await k.run(SECOND);
  return out;
}

test("adding an agent does not change another agent's random stream", async () => {
  const alone = await drawsOf(1, ["a"], "a");
  assert.deepEqual(await drawsOf(1, ["z", "a", "b"], "a"), alone);
  assert.deepEqual(await drawsOf(1, ["a", "mm/0", "mm/1", "mm/2"], "a"), alone);
  assert.notDeepEqual(await drawsOf(1, ["z", "a"], "z"), alone, "streams differ by name");
  assert.notDeepEqual(await drawsOf(2, ["a"], "a"), alone, "streams differ by seed");
});

test("adding a busy agent does not change another agent's latency draws", async () => {
  const times = async (withNoise: boolean): Promise<number[][]> => {
    const k = new Kernel({ seed: 3 });
    const out: number[][] = [];
    if (withNoise) {
      for (let i = 0; i < 3; i++) k.addAgent(`noise/${i}`, new RandomTrader({ meanWakeNs: 50 * MS }), FUNDS);
    }
    k.addAgent("probe", script(async (ctx) => {
      for (let i = 0; i < 10; i++) {
        const b = await ctx.exchange.fetchBalance();
        out.push([b.info.venueTs, b.info.localTs]);
      }
    }), { latency: { inNs: MS, outNs: 2 * MS, jitterNs: MS }, ...FUNDS });
    const stats = await k.run(SECOND);
    if (withNoise) assert.ok(stats.events.trade > 0, "the noise really traded");
    return out;
  };
  const quiet = await times(false);
  assert.equal(quiet.length, 10);
  assert.deepEqual(await times(true), quiet);
});

/** A fixed little session: rest, amend, trade, cancel, a refused cancel. */
function session(k: Kernel, extraOrder = false): void {
  k.addAgent("maker", {
    async start(ctx) {
      const ex = ctx.exchange;
      await ex.createOrder(SYMBOL, "limit", "sell", 0.01, 30_000);
      const bid = await ex.createOrder(SYMBOL, "limit", "buy", 0.02, 29_000);
      await ex.editOrder(bid.id, SYMBOL, "limit", "buy", 0.01, 29_000);
      ctx.wakeAt(SECOND);
    },
    // Cancels its bid twice; the venue refuses the second.
    async wake(ctx) {
      const [bid] = await ctx.exchange.fetchOpenOrders(SYMBOL);
      await ctx.exchange.cancelOrder(bid.id, SYMBOL);
      await ctx.exchange.cancelOrder(bid.id, SYMBOL).catch(() => undefined);
    },
  }, FUNDS);
  k.addAgent("taker", at(500 * MS, async (ctx) => {
    await ctx.exchange.createOrder(SYMBOL, "limit", "buy", 0.01, 30_000);
    if (extraOrder) await ctx.exchange.createOrder(SYMBOL, "limit", "buy", 0.01, 28_000);
  }), FUNDS);
}

test("run reports the counts of what happened and a 64-hex digest that identifies the event log", async () => {
  const k = new Kernel({ seed: 42 });
  session(k);
  const s = await k.run(2 * SECOND);
  assert.equal(s.seed, 42);
  assert.equal(s.durationNs, 2 * SECOND);
  assert.deepEqual(s.events, { accepted: 3, rejected: 1, trade: 1, canceled: 1, amended: 1, expired: 0, total: 7 });
  // 3 orders, 1 edit, 1 fetchOpenOrders, 2 cancels.
  assert.equal(s.requests, 7);
  assert.equal(s.wakes, 2);
  assert.ok(s.deliveries >= s.requests, "every request is answered");
  assert.ok(s.messages >= s.requests + s.deliveries + s.wakes);
  assert.match(s.digest, /^[0-9a-f]{64}$/);

  const again = new Kernel({ seed: 42 });
  session(again);
  assert.deepEqual(await again.run(2 * SECOND), s, "same inputs, same report");

  const more = new Kernel({ seed: 42 });
  session(more, true);
  const m = await more.run(2 * SECOND);
  assert.equal(m.events.accepted, 4);
  assert.notEqual(m.digest, s.digest, "one more event changes the digest");
});

test("an empty run still reports a digest; a kernel runs once and takes no agents once started", async () => {
  const k = new Kernel({ seed: 1 });
  const s = await k.run(SECOND);
  assert.match(s.digest, /^[0-9a-f]{64}$/);
  assert.equal(s.events.total, 0);
  await assert.rejects(k.run(SECOND), /runs once/);
  assert.throws(() => k.addAgent("late", script(() => {})), /has started/);
});

test("bad kernel input is refused naming the field and value", async () => {
  const k = new Kernel({ seed: 1 });
  k.addAgent("a", script(() => {}));
  assert.throws(() => k.addAgent("a", script(() => {})), /agent\.name: "a" is empty or already used/);
  assert.throws(() => k.addAgent("", script(() => {})), /agent\.name: ""/);
  assert.throws(() => k.addAgent("b", script(() => {}), { latency: { inNs: -1, outNs: 0, jitterNs: 0 } }), /latency\.inNs: -1/);
  assert.throws(() => k.addAgent("c", script(() => {}), { base: -1 }), /agent c\.base: -1/);
  assert.throws(() => k.addAgent("d", script(() => {}), { quote: NaN }), /agent d\.quote: NaN/);
  assert.throws(() => k.every(0, () => {}), /every\.intervalNs: 0/);
  await assert.rejects(k.run(0), /run\.durationNs: 0/);
  await assert.rejects(k.run(1.5), /run\.durationNs: 1\.5/);
});

test("endowments arrive in the agent's account and are conserved", async () => {
  const k = new Kernel({ seed: 1 });
  let free: [number, number] = [0, 0];
  k.addAgent("rich", script(async (ctx) => {
    const b = await ctx.exchange.fetchBalance();
    free = [b.free.BTC, b.free.USDT];
  }), { base: 1.5, quote: 50_000 });
  await k.run(SECOND);
  assert.deepEqual(free, [1.5, 50_000]);
  assert.equal(k.venue.ledger.deposited[0], 150_000_000);
  assert.equal(k.venue.ledger.deposited[1], 50_000 * 1_000_000);
});

test("a wake past the clock's last instant (about 104 days) never comes, instead of failing a run that ends near it; Infinity still throws", async () => {
  const k = new Kernel({ seed: 1 });
  const errors: string[] = [];
  let wakes = 0;
  k.addAgent("far", at(10 * MS, (ctx) => {
    if (++wakes > 1) return;
    ctx.wakeAt(Number.MAX_SAFE_INTEGER + 2 ** 20);
    try {
      ctx.wakeAt(Infinity);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }));
  const stats = await k.run(SECOND);
  assert.equal(wakes, 1);
  assert.equal(stats.wakes, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /wake time Infinity/);
});
