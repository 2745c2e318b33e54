// runUntilSync: a world where nothing awaits steps without promises, with the one-go run's digest; an awaiting agent is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Bot, BotContext } from "../../agents/bot.ts";
import { addBot } from "../../agents/sim-bot.ts";
import { MINUTE, SECOND } from "../../sim/clock.ts";
import { buildScenario } from "../../scenarios/build.ts";
import { builtinSpec } from "../../scenarios/builtins.ts";

const spec = { ...builtinSpec("crash"), bots: [] };

test("crash without its bots, stepped synchronously second by second, has the digest of runUntil in one go", async () => {
  const d = 35 * MINUTE;
  const whole = await buildScenario(spec, 4).kernel.run(d);
  const k = buildScenario(spec, 4).kernel;
  for (let t = SECOND; t <= d; t += SECOND) assert.equal(k.runUntilSync(t), undefined);
  assert.equal(k.now, d);
  assert.deepEqual(await k.finish(), whole);
});

test("runUntilSync refuses a world whose bot awaits, and a time before now", () => {
  class Awaiting implements Bot {
    start(ctx: BotContext): void {
      ctx.wakeIn(1000);
    }
    async wake(ctx: BotContext): Promise<void> {
      await ctx.exchange.fetchBalance();
    }
  }
  const k = buildScenario(spec, 1).kernel;
  addBot(k, "awaiting", new Awaiting());
  assert.throws(() => k.runUntilSync(5 * SECOND), /runUntilSync: an agent is awaiting at t=1000000000 ns; a world with awaiting agents must step with runUntil/);
  const k2 = buildScenario(spec, 1).kernel;
  k2.runUntilSync(2 * SECOND);
  assert.throws(() => k2.runUntilSync(SECOND), /runUntilSync.tNs: 1000000000 must be an integer ns at or after now \(2000000000\)/);
});
