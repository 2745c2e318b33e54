// Answers nobody awaits cost the kernel no yield; ignored refusals are not unhandled rejections.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AgentContext, SimAgent } from "../../sim/kernel.ts";
import { Kernel } from "../../sim/kernel.ts";
import { Observed, deferred, rejectQuietly } from "../../market/observed.ts";

const SECOND = 1_000_000_000;

/** Sends a limit order every second and never looks at the answer; every third is refused. */
class FireAndForget implements SimAgent {
  start(ctx: AgentContext): void {
    ctx.wakeIn(SECOND);
  }
  wake(ctx: AgentContext): void {
    const n = Math.floor(ctx.now / SECOND);
    // 0.0001 BTC at 30,000 is 3 USDT: under the 5 USDT minimum, so the venue refuses it.
    const amount = n % 3 === 0 ? 0.0001 : 0.001;
    void ctx.exchange.createOrder(ctx.symbol, "limit", n % 2 ? "buy" : "sell", amount, 30_000 + n * 0.01);
    if (n < 20) ctx.wakeIn(SECOND);
  }
}

/** Awaits every answer. */
class Awaiting implements SimAgent {
  times: number[] = [];
  async start(ctx: AgentContext): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await ctx.exchange.fetchBalance();
      this.times.push(ctx.now);
    }
  }
}

test("a world of fire-and-forget agents never yields to the event loop, and ignored refusals do not crash", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  try {
    const k = new Kernel({ seed: 1 });
    k.addAgent("ff", new FireAndForget(), { base: 10, quote: 1_000_000 });
    const stats = await k.run(30 * SECOND);
    assert.equal(stats.drains, 0);
    assert.ok(stats.events.accepted >= 10, "orders were accepted");
    assert.ok(stats.events.rejected >= 5, "min-notional refusals happened");
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("an awaiting agent is resumed at the simulated time of each answer", async () => {
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: 1000, outNs: 2000, jitterNs: 0 } });
  const a = new Awaiting();
  k.addAgent("a", a, { quote: 1000 });
  const stats = await k.run(SECOND);
  assert.deepEqual(a.times, [3000, 6000, 9000, 12000, 15000]);
  assert.ok(stats.drains >= 5);
});

test("code awaiting through a deep chain of calls and thenables finishes at the answer's time, before any later event", async () => {
  const seen: string[] = [];
  // 300 nested async calls, a hand-made thenable (two extra microtask hops) and a chain of
  // 300 .then callbacks between the answer and the line that records it.
  const deep = async (ex: AgentContext["exchange"], n: number): Promise<number> => {
    if (n > 0) return deep(ex, n - 1);
    await ex.fetchBalance();
    const viaThenable = await { then: (ok: (v: number) => void) => ok(1) };
    let p = Promise.resolve(viaThenable);
    for (let i = 0; i < 300; i++) p = p.then((v) => v + 1);
    return p;
  };
  class Deep implements SimAgent {
    async start(ctx: AgentContext): Promise<void> {
      const v = await deep(ctx.exchange, 300);
      seen.push(`deep ${v} at ${ctx.now}`);
    }
  }
  class Watcher implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.wakeAt(3001);
    }
    wake(ctx: AgentContext): void {
      seen.push(`watcher at ${ctx.now}`);
    }
  }
  const k = new Kernel({ seed: 1, defaultLatency: { inNs: 1000, outNs: 2000, jitterNs: 0 } });
  k.addAgent("deep", new Deep(), { quote: 1000 });
  k.addAgent("watcher", new Watcher());
  await k.run(SECOND);
  assert.deepEqual(seen, ["deep 301 at 3000", "watcher at 3001"]);
});

test("Observed records then, catch and await; rejectQuietly leaves a later handler its error", async () => {
  const p = new Observed<number>((res) => res(1));
  assert.equal(p.observed, false);
  void p.then(() => {});
  assert.equal(p.observed, true);
  const d = deferred<number>();
  rejectQuietly(d, new Error("refused"));
  assert.equal(d.promise.observed, false, "the quiet handler does not count as a listener");
  await assert.rejects(d.promise, /refused/);
});
