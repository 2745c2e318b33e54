// A rule strategy runs as a bot in the simulator through the Exchange port: candles from fetchOHLCV, orders through the risk manager.
import assert from "node:assert/strict";
import { test } from "node:test";
import { StrategyBot } from "../../agents/bots/strategy-bot.ts";
import { buildScenario, builtinSpec, BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { typeRegistry } from "../../scenarios/build.ts";
import { BarBuilder } from "../../sim/bars.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const HOUR = 3_600_000_000_000;

test("the venue's candles equal the run's recorded 1-minute bars, and a candle still forming is never served", async () => {
  const { kernel } = buildScenario(builtinSpec("crash"), 3);
  const bars = new BarBuilder(kernel.venue.instrument, { epochMs: kernel.venue.epochMs });
  kernel.observe(bars);
  await kernel.run(HOUR);
  const served = kernel.venue.candles!.candles(HOUR, undefined, 10_000);
  bars.finish(HOUR);
  assert.deepEqual(served.map((c) => c[4]), Array.from(bars.closes()));
  // Half-way through minute 30, minute 30 is not closed: the last candle served opens at minute 29.
  const mid = kernel.venue.candles!.candles(30.5 * 60e9, undefined, 10_000);
  assert.equal(mid.at(-1)![0], kernel.venue.epochMs + 29 * 60_000);
  assert.deepEqual(kernel.venue.candles!.candles(HOUR, kernel.venue.epochMs + 50 * 60_000, 3).map((c) => c[0] - kernel.venue.epochMs), [57, 58, 59].map((m) => m * 60_000));
});

test("strategy bots trade in the crash, and the risk manager keeps every entry within 10% of equity", async () => {
  const spec = parseScenario(
    { ...(BUILTIN_SPECS.crash as object), bots: ["sma-cross", "mean-reversion", "breakout", "ensemble"].map((s) => ({ name: s, type: "strategy", params: { strategy: s } })) },
    typeRegistry(),
  );
  const { kernel, bots } = buildScenario(spec, 1);
  await kernel.run(spec.duration);
  let entries = 0;
  for (const b of bots) {
    const agent = b.bot as StrategyBot;
    for (const e of agent.risk.events) assert.ok(["blocked", "resized", "forced-exit", "paused", "resumed"].includes(e.action), e.action);
    entries += agent.risk.events.filter((e) => e.action === "resized" && e.rule === "max-position").length;
  }
  assert.ok(entries > 0, "some strategy wanted more than the position limit and was resized");
});

test("a bot naming an unknown strategy is refused with the field and the value", () => {
  assert.throws(
    () => parseScenario({ ...(BUILTIN_SPECS.crash as object), bots: [{ name: "x", type: "strategy", params: { strategy: "martingale" } }] }, typeRegistry()),
    /scenario\.bots\[0\]\.params\.strategy: "martingale" is invalid: must be one of sma-cross/,
  );
});

test("a run's summary lists each strategy bot's risk decisions and the ensemble's regime changes", async () => {
  const { runWorld } = await import("../../experiments/run.ts");
  const { join } = await import("node:path");
  const s = await runWorld({ scenario: "crash", seed: 2, out: join(tempDir("arena-bot-"), "crash") });
  const byName = Object.fromEntries(s.bots.map((b) => [b.name, b]));
  assert.equal(byName.hodl.riskEvents, undefined);
  assert.ok(byName["mean-reversion"].riskEvents!.some((e) => e.rule === "max-position" && /10% of equity/.test(e.detail)));
  const regimes = byName.ensemble.regimes!;
  assert.equal(regimes[0].regime, "warming-up");
  assert.ok(regimes.some((r) => r.regime === "crisis"), "the -30% repricing is labelled a crisis");
  for (let i = 1; i < regimes.length; i++) assert.notEqual(regimes[i].regime, regimes[i - 1].regime);
});
