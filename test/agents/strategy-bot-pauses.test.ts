// The daily loss limit and the circuit breaker fire end to end in a simulated crash, and a paused bot sends no entry.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StrategyBot } from "../../agents/bots/strategy-bot.ts";
import type { RiskEvent } from "../../agents/risk/risk.ts";
import { buildScenario, BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { typeRegistry } from "../../scenarios/build.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { watchBotOrders, type BotOrder } from "./helpers/bot-orders.ts";

const MINUTE = 60_000_000_000;
const MINUTE_MS = 60_000;
const PAUSE_MINUTES = 60;

// The crash built-in (-30% at minute 30, a 3-hour run inside one UTC day), with sma-cross bots
// that are in the market when it comes: all-in entries (position and exposure limits at 100%;
// 95% of cash is what the bot asks for) on accounts small enough for the book to fill them,
// and no stop, trailing stop or take-profit to get them out first. Each crossover pair runs
// twice: with only the daily loss limit (default 5% of the day's start), and with only the
// circuit breaker (default 10% below peak, paused for an hour so the pause ends in the run).
const ALL_IN = { maxPositionPct: 1, maxExposurePct: 1, stopLossPct: null, trailingStopPct: null, roiPct: null };
const CROSSES = [[3, 10], [2, 5], [5, 15], [4, 8]];
const spec = parseScenario(
  {
    ...(BUILTIN_SPECS.crash as object),
    bots: CROSSES.flatMap(([fast, slow], i) => [
      { name: `daily-${i}`, type: "strategy", quote: 20_000, params: { strategy: "sma-cross", params: { fast, slow }, risk: { ...ALL_IN, circuitBreakerPct: null } } },
      { name: `breaker-${i}`, type: "strategy", quote: 20_000, params: { strategy: "sma-cross", params: { fast, slow }, risk: { ...ALL_IN, dailyLossPct: null, circuitPauseMinutes: PAUSE_MINUTES } } },
    ]),
  },
  typeRegistry(),
);

/** Venue time (ns from the start) of the close of the bar a risk event was decided on. */
const barCloseNs = (e: RiskEvent) => (e.time - spec.epochMs) * 1e6 + MINUTE;
const minutes = (ns: number) => (ns / MINUTE).toFixed(2);

test("in a -30% crash the daily loss limit and the circuit breaker trip, the breaker closes the position, and no paused bot buys until its pause is over", async () => {
  const { kernel, bots } = buildScenario(spec, 2);
  const orders = watchBotOrders(kernel, spec, bots);
  await kernel.run(spec.duration);
  const tripped = { "daily-loss": 0, "circuit-breaker": 0 };
  let refusedWhilePaused = 0;
  for (const b of bots) {
    const events = (b.bot as StrategyBot).risk.events;
    const mine = orders.filter((o) => o.bot === b.name);
    for (const trip of events.filter((e) => e.action === "paused")) {
      const rule = trip.rule as keyof typeof tripped;
      tripped[rule]++;
      const from = barCloseNs(trip);
      const resumed = events.find((e) => e.action === "resumed" && e.rule === rule && e.time > trip.time);
      let until: number;
      if (rule === "daily-loss") {
        // The run ends inside the UTC day it started in: the pause outlasts it.
        assert.equal(resumed, undefined, `${b.name}: the daily pause lifts only on the next UTC day`);
        until = spec.duration + 1;
      } else {
        assert.ok(resumed !== undefined, `${b.name}: the breaker paused at minute ${minutes(from)} resumes within the run`);
        assert.ok(resumed.time - trip.time >= PAUSE_MINUTES * MINUTE_MS, `${b.name}: breaker paused ${(resumed.time - trip.time) / MINUTE_MS} min, configured ${PAUSE_MINUTES}`);
        until = barCloseNs(resumed);
        // It sells what it holds on the bar that tripped it, and again on each bar after until
        // flat: in the crash's thin book a market sell may fill little or nothing.
        const close = mine.find((o) => o.side === "sell" && o.ts >= from && o.ts < from + MINUTE);
        assert.ok(close !== undefined && close.baseBefore > 0, `${b.name}: a sell follows the breaker at minute ${minutes(from)}`);
        const sells = mine.filter((o) => o.side === "sell" && o.ts >= from && o.ts < until);
        const sold = sells.reduce((a, o) => a + o.filled, 0);
        assert.ok(sold >= close.baseBefore - 1e-9, `${b.name}: sold ${sold} of the ${close.baseBefore} held at the breaker before its pause ended`);
        const flatAt = sells.find((o) => o.baseBefore - o.filled < 1e-9)?.ts ?? Infinity;
        assert.ok(sells.filter((o) => o.ts <= flatAt).every((o, k) => k === 0 || o.ts - sells[k - 1].ts <= MINUTE + 1e9), `${b.name}: the sells until flat come a bar apart: ${sells.map((o) => minutes(o.ts))}`);
        assert.ok(events.some((e) => e.action === "forced-exit" && e.rule === "circuit-breaker" && e.time === trip.time), `${b.name}: the forced exit is recorded`);
      }
      const buys = mine.filter((o: BotOrder) => o.side === "buy" && o.ts >= from && o.ts < until);
      assert.deepEqual(buys.map((o) => minutes(o.ts)), [], `${b.name}: no buy between the ${rule} trip at minute ${minutes(from)} and the end of its pause at minute ${minutes(until)}`);
      refusedWhilePaused += events.filter((e) => e.action === "blocked" && e.rule === rule && barCloseNs(e) >= from && barCloseNs(e) < until).length;
    }
  }
  assert.ok(tripped["daily-loss"] >= 1, `the daily loss limit tripped ${tripped["daily-loss"]} times; the scenario is built to trip it`);
  assert.ok(tripped["circuit-breaker"] >= 1, `the circuit breaker tripped ${tripped["circuit-breaker"]} times; the scenario is built to trip it`);
  // Not vacuous: the strategies did want to enter during the pauses and were refused.
  assert.ok(refusedWhilePaused >= 1, "some paused bot's strategy asked to enter and was blocked");
});
