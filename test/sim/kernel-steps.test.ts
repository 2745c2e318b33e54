// The steppable kernel: a run advanced by runUntil in steps of any sizes is the run made in one go; a controller can act between steps.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Bot, BotContext } from "../../agents/bot.ts";
import { addBot } from "../../agents/sim-bot.ts";
import { MINUTE, SECOND } from "../../sim/clock.ts";
import { Kernel, type RunStats } from "../../sim/kernel.ts";
import { WORLDS } from "../../scenarios/registry.ts";
import { RandomTrader } from "../../agents/random-trader.ts";
import { ticksToPrice } from "../../market/instrument.ts";

/** Long enough for each built-in's first shock (crash and pump-and-dump at 30 min, flash-crash at 60). */
const DURATION: Readonly<Record<string, number>> = {
  smoke: 20 * MINUTE, normal: 20 * MINUTE, crash: 75 * MINUTE, "pump-and-dump": 75 * MINUTE, "flash-crash": 75 * MINUTE, "high-volatility": 75 * MINUTE,
  // Episodes: long enough to cross points of the path (and, hourly, to draw the bridge within one).
  "banking-crisis-2023": 10 * MINUTE, "ftx-collapse-2022": 10 * MINUTE,
};

/** Runs `name` with seed 1 through the times in `cuts` (ascending, the last being the duration), then finishes. */
async function stepped(name: string, cuts: readonly number[]): Promise<RunStats> {
  const k = WORLDS[name].build(1);
  for (const t of cuts) await k.runUntil(t);
  return k.finish();
}

test("every built-in world has a scenario in the step test (so a new one is not silently skipped)", () => {
  assert.deepEqual(Object.keys(WORLDS).sort(), Object.keys(DURATION).sort());
});

for (const name of Object.keys(DURATION)) {
  test(`${name}: runs in random steps (some of 1 ns, some repeated, some on whole minutes) give the one-go run's digest and counts`, async () => {
    const d = DURATION[name];
    const whole = await WORLDS[name].build(1).run(d);
    assert.ok(whole.events.total > 1000, `${name} does something in ${d} ns`);
    // Cut points inside (0, d): random ones, plus pairs 1 ns apart and a repeated point.
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: d - 2 }), { minLength: 1, maxLength: 60 }).map((xs) => {
      const s = [...xs, xs[0] + 1, xs[0]].sort((a, b) => a - b);
      return [...s, d];
    });
    await fc.assert(fc.asyncProperty(cuts, async (c) => {
      assert.deepEqual(await stepped(name, c), whole);
    }), { seed: 20, numRuns: 3 });
    const minutes = Array.from({ length: d / MINUTE }, (_, i) => (i + 1) * MINUTE);
    assert.deepEqual(await stepped(name, minutes), whole, "cut on every minute, where samplers and bar closes fall");
  });
}

test("runUntil refuses a time before now or a fraction of a ns, and anything after finish; run refuses a started kernel", async () => {
  const k = WORLDS.smoke.build(1);
  await k.runUntil(5 * SECOND);
  await assert.rejects(k.runUntil(4 * SECOND), /runUntil.tNs: 4000000000 must be an integer ns at or after now \(5000000000\)/);
  await assert.rejects(k.runUntil(5.5 * SECOND + 0.5), /runUntil.tNs: 5500000000.5/);
  await assert.rejects(k.run(10 * SECOND), /a kernel runs once/);
  const s = await k.finish();
  assert.equal(s.durationNs, 5 * SECOND);
  await assert.rejects(k.runUntil(6 * SECOND), /the run is finished/);
  await assert.rejects(k.finish(), /already finished/);
});

/** A bot that does nothing by itself: it hands its context to the controller. */
class Handle implements Bot {
  ctx: BotContext | undefined;
  stopped = 0;
  start(ctx: BotContext): void {
    this.ctx = ctx;
  }
  stop(): void {
    this.stopped++;
  }
}

/**
 * The smoke world with a controller between steps of 10 s: it reads the venue's top of book
 * and, every third step, places a 0.01 BTC limit buy at the best bid through its bot's
 * exchange, then reads the answer after the next step.
 */
async function controlled(act: boolean): Promise<{ stats: RunStats; answers: string[]; stopped: number }> {
  const k = new Kernel({ seed: 7, epochMs: Date.UTC(2023, 2, 1) });
  for (let i = 0; i < 6; i++) k.addAgent(`random/${i}`, new RandomTrader(), { base: 10, quote: 300_000 });
  const h = new Handle();
  addBot(k, "controller", h, { quote: 100_000 });
  const answers: string[] = [];
  let pending: Promise<unknown> | undefined;
  for (let step = 1; step <= 30; step++) {
    await k.runUntil(step * 10 * SECOND);
    if (pending !== undefined) {
      const o = (await pending) as { status: string; price: number; timestamp: number };
      answers.push(`${o.status}@${o.price}/${o.timestamp}`);
      pending = undefined;
    }
    const top = k.venue.engine.top();
    if (act && step % 3 === 0 && top.bidPrice > 0) {
      const ex = h.ctx!.exchange;
      pending = ex.createOrder(h.ctx!.symbol, "limit", "buy", 0.01, ticksToPrice(k.venue.instrument, top.bidPrice));
    }
  }
  return { stats: await k.finish(), answers, stopped: h.stopped };
}

test("a controller acts between steps: its orders reach the venue and are answered by the next step, deterministically", async () => {
  const a = await controlled(true);
  const b = await controlled(true);
  const none = await controlled(false);
  assert.ok(a.answers.length >= 8, `answers: ${a.answers.join(" ")}`);
  for (const x of a.answers) assert.match(x, /^(open|closed)@/);
  assert.deepEqual(b, a, "the same steps and actions give the same run");
  assert.notEqual(a.stats.digest, none.stats.digest, "the controller's orders are in the event log");
  assert.equal(a.stopped, 1, "finish calls the bot's stop hook once");
});
