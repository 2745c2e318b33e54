// What every strategy promises: no look-ahead, determinism, no hold on the reused bar, silence while warming up.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createStrategy as create, strategyNames } from "../../../agents/strategies/registry.ts";
import type { Candle } from "../../../agents/strategies/strategy.ts";
import { makeMemoryFolder } from "../memory/memory-fixture.ts";
import { randomBars, signals } from "./bars.ts";

/** Params a strategy cannot do without (memory-rsi's memory folder); {} for the others. */
const NEEDED: Record<string, Record<string, unknown>> = { "memory-rsi": { memory: await makeMemoryFolder() } };

for (const name of strategyNames()) {
  const createStrategy = (n: string) => create(n, NEEDED[n] ?? {});
  // Past every default warm-up (the ensemble's is 114; memory-rsi's embedding 241).
  const N = Math.max(220, createStrategy(name).startupBars + 60);
  test(`${name}: the signal at bar t does not change when the bars after t change (no look-ahead)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: N - 1 }), (seedA, seedB, t) => {
        const a = randomBars(seedA, N, 0.012);
        // Same bars up to t, then a different future (times keep increasing).
        const b = [...a.slice(0, t + 1), ...randomBars(seedB, N, 0.03).slice(t + 1)];
        const sa = signals(createStrategy(name), a);
        const sb = signals(createStrategy(name), b);
        assert.deepEqual(sb.slice(0, t + 1), sa.slice(0, t + 1));
      }),
      { numRuns: 25 },
    );
  });

  test(`${name}: same bars, same signals; one reused Candle or fresh objects alike`, () => {
    const bars = randomBars(11, N);
    const reused = signals(createStrategy(name), bars);
    assert.deepEqual(signals(createStrategy(name), bars), reused);
    const fresh = createStrategy(name);
    assert.deepEqual(
      bars.map((b) => fresh.update({ ...b })),
      reused,
    );
    assert.ok(reused.some((s) => s !== "hold"), "the random bars exercise the strategy");
  });

  test(`${name}: "hold" on every bar before startupBars`, () => {
    for (const seed of [1, 2, 3]) {
      const s = createStrategy(name);
      const sigs = signals(s, randomBars(seed, s.startupBars + 5, 0.02));
      assert.ok(sigs.slice(0, s.startupBars - 1).every((x) => x === "hold"), `seed ${seed}`);
    }
  });

  test(`${name}: a bar out of time order or with a NaN price throws, naming the field`, () => {
    const s = createStrategy(name);
    const bar: Candle = { time: 1000, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    s.update(bar);
    assert.throws(() => s.update({ ...bar }), /bar\.time: 1000 is invalid/);
    assert.throws(() => s.update({ ...bar, time: 2000, close: NaN }), /bar\.close: NaN is invalid/);
  });
}
