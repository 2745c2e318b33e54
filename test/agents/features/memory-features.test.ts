// The market state's memory features: asked once per new candle at the decision's time, with its top of book; the answer lands in slots 47-50.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyInput, F, MarketState } from "../../../agents/features/market-state.ts";
import type { MemoryReader } from "../../../agents/features/memory-features.ts";
import type { MemoryAssessment } from "../../../agents/memory/assessment.ts";
import { StateEmbedder } from "../../../agents/memory/embedding.ts";

const answer = (risk: number, anomaly: boolean, best: number) => ({ risk, confidence: 0.25, anomaly, bestSimilarity: best }) as MemoryAssessment;

test("no question before the embedding's 241 candles; then one per new candle, at the decision's time, with the book; the slots hold the answer until the next", () => {
  const asked: { v: Float32Array; at: number }[] = [];
  const replies = [answer(0.75, true, 0.5), answer(0.125, false, 0.875)];
  const reader: MemoryReader = { ask: (v, at) => (asked.push({ v: Float32Array.from(v), at }), replies[asked.length - 1]) };
  const s = new MarketState(reader);
  const shadow = new StateEmbedder();
  const x = Object.assign(emptyInput(), { bid: 100, ask: 100.5, bidSize: 3, askSize: 1, quote: 1000 });
  const bar = (i: number) => ({ time: 60_000 * i, open: 100 + Math.sin(i), high: 101 + Math.sin(i), low: 99 + Math.sin(i), close: 100 + Math.sin(i + 1), volume: 1 + (i % 7) });
  let expected: Float32Array | null = null;
  for (let i = 0; i < 241; i++) {
    const b = bar(i);
    s.candle(b.time, b.open, b.high, b.low, b.close, b.volume);
    expected = shadow.update(b, i === 240 ? { bid: 100, ask: 100.5, bidSize: 3, askSize: 1 } : null);
    if (i === 239) {
      x.timeMs = 60_000 * 240 + 5;
      s.observe(x);
      assert.equal(asked.length, 0, "240 candles: no embedding yet");
      assert.deepEqual([...s.obs.subarray(F.MEM_RISK)], [0, 0, 0, 0]);
    }
  }
  x.timeMs = 60_000 * 241 + 7;
  s.observe(x);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].at, 60_000 * 241 + 7, "asked at the decision's time");
  assert.deepEqual(asked[0].v, expected, "the embedding of the candles, the newest with this decision's top of book");
  assert.deepEqual([...s.obs.subarray(F.MEM_RISK)], [0.75, 0.25, 1, 0.5]);
  x.timeMs += 1000;
  s.observe(x);
  assert.equal(asked.length, 1, "no new candle, no question");
  assert.deepEqual([...s.obs.subarray(F.MEM_RISK)], [0.75, 0.25, 1, 0.5], "the answer is held");
  const b = bar(241);
  s.candle(b.time, b.open, b.high, b.low, b.close, b.volume);
  s.observe(x);
  assert.equal(asked.length, 2);
  assert.deepEqual([...s.obs.subarray(F.MEM_RISK)], [0.125, 0.25, 0, 0.875]);
});
