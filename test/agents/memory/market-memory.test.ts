// Memory queries: risk from the losses that followed similar states, confidence, anomaly below 0.7, the best strategy from closed trades, no look-ahead.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ANOMALY_SIMILARITY, assess } from "../../../agents/memory/assessment.ts";
import { EmbeddedStore } from "../../../agents/memory/embedded-store.ts";
import { EMBEDDING_DIM } from "../../../agents/memory/embedding-layout.ts";
import { MarketMemory, statesFromBars } from "../../../agents/memory/market-memory.ts";
import type { Hit } from "../../../agents/memory/vector-store.ts";
import type { Candle } from "../../../agents/strategies/strategy.ts";
import { randomBars } from "../strategies/bars.ts";

const hit = (id: number, score: number, ret: number, extra: Record<string, string | number> = {}): Hit => ({ id, score, payload: { ret, dd: Math.min(0, ret), ...extra } });

test("risk: 0 when everything similar went up, near 1 when it all fell by the loss scale or more, weighted by similarity", () => {
  assert.equal(assess([hit(1, 0.9, 0.01), hit(2, 0.8, 0.02)], 20, 0.01).risk, 0);
  assert.equal(assess([hit(1, 0.9, -0.02), hit(2, 0.8, -0.05)], 20, 0.01).risk, 1);
  const half = assess([hit(1, 0.9, -0.005), hit(2, 0.9, 0.005)], 20, 0.01);
  assert.ok(Math.abs(half.risk - (0.5 * 0.5 + 0.5 * 0.25)) < 1e-12, String(half.risk));
  // The more similar neighbour counts more: a loss at 0.95 outweighs a gain at 0.75.
  assert.ok(assess([hit(1, 0.95, -0.01), hit(2, 0.75, 0.01)], 2, 0.01).risk > 0.5);
});

test("anomaly below 0.7 best similarity; confidence grows with neighbours found and their similarity", () => {
  assert.equal(assess([hit(1, ANOMALY_SIMILARITY - 0.01, 0)], 20, 0.01).anomaly, true);
  assert.equal(assess([hit(1, ANOMALY_SIMILARITY, 0)], 20, 0.01).anomaly, false);
  assert.equal(assess([], 20, 0.01).anomaly, true);
  const few = assess([hit(1, 0.9, 0)], 20, 0.01).confidence;
  const many = assess(Array.from({ length: 20 }, (_, i) => hit(i, 0.9, 0)), 20, 0.01).confidence;
  const lessSimilar = assess(Array.from({ length: 20 }, (_, i) => hit(i, 0.7, 0)), 20, 0.01).confidence;
  assert.ok(few < many && lessSimilar < many, `${few} ${many} ${lessSimilar}`);
});

test("outcome distribution: quantiles and weighted mean of what followed", () => {
  const a = assess([-0.02, -0.01, 0, 0.01, 0.02].map((r, i) => hit(i, 0.8, r)), 5, 0.01);
  assert.equal(a.outcomes.count, 5);
  assert.equal(a.outcomes.p50, 0);
  assert.ok(Math.abs(a.outcomes.mean) < 1e-12);
  assert.equal(a.outcomes.shareUp, 0.4);
});

test("best strategy: the one whose trades did best among the neighbours, with at least 3 trades", () => {
  const hits = [
    ...[0.02, 0.01, 0.03].map((r, i) => hit(i, 0.9, r, { kind: "trade", strategy: "breakout" })),
    ...[0.05, 0.04].map((r, i) => hit(10 + i, 0.9, r, { kind: "trade", strategy: "lucky" })),
    ...[-0.01, 0.0, 0.01].map((r, i) => hit(20 + i, 0.9, r, { kind: "trade", strategy: "mean-reversion" })),
  ];
  assert.deepEqual(assess(hits, 20, 0.01).bestStrategy, { strategy: "breakout", meanReturn: 0.02, trades: 3 });
  assert.equal(assess(hits.slice(3, 5), 20, 0.01).bestStrategy, null);
});

function columns(bars: readonly Candle[]) {
  const col = (f: keyof Candle) => Float64Array.from(bars, (b) => b[f]);
  return { timestamps: col("time"), open: col("open"), high: col("high"), low: col("low"), close: col("close"), volume: col("volume") };
}

test("states from bars carry what followed them, and a query at T sees only outcomes known by T", async () => {
  const bars = randomBars(9, 600);
  const points = statesFromBars(columns(bars), { horizonBars: 10, source: "walk" });
  assert.equal(points.length, 600 - 240 - 10);
  const p0 = points[0];
  assert.equal(p0.payload.time, bars[240].time);
  assert.equal(p0.payload.end, bars[250].time);
  assert.ok(Math.abs((p0.payload.ret as number) - (bars[250].close / bars[240].close - 1)) < 1e-15);
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  await store.upsert(points);
  const memory = new MarketMemory(store, { nextId: points.length, lossScale: 0.02 });
  const at = bars[400].time;
  const r = await memory.query(points[150].vector, { at });
  assert.equal(r.neighbours, 20);
  for (const h of r.hits) assert.ok((h.payload.end as number) <= at);
  // Without the time filter the state itself is the nearest, at similarity 1.
  const all = await memory.query(points[150].vector);
  assert.equal(all.hits[0].id, points[150].id);
});

test("a closed trade is stored with its outcome and takes the next id; a NaN is refused by name", async () => {
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  const memory = new MarketMemory(store, { nextId: 7, lossScale: 0.02 });
  const state = new Float32Array(EMBEDDING_DIM).fill(1);
  const id = await memory.recordTrade({ entryState: state, entryTime: 1000, exitTime: 5000, pnl: -0.01, drawdown: -0.02, strategy: "breakout", regime: "volatile" });
  assert.equal(id, 7);
  assert.equal(memory.next, 8);
  const [h] = await store.search(state, 1);
  assert.deepEqual(h.payload, { kind: "trade", time: 1000, end: 5000, regime: "volatile", ret: -0.01, dd: -0.02, durationMs: 4000, strategy: "breakout" });
  await assert.rejects(memory.recordTrade({ entryState: state, entryTime: 1, exitTime: 2, pnl: NaN, drawdown: 0, strategy: "x", regime: "ranging" }), /trade\.pnl: NaN is invalid/);
  await assert.rejects(memory.recordTrade({ entryState: state.subarray(1), entryTime: 1, exitTime: 2, pnl: 0, drawdown: 0, strategy: "x", regime: "ranging" }), /has 127 values; this store holds 128/);
  assert.equal(memory.next, 8);
});
