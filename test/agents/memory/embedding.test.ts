// The market-state embedding: 128 finite slots of unit length, the same bytes for the same bars, blind to price and volume units.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { EMBEDDING_STARTUP_BARS, embedBars, StateEmbedder } from "../../../agents/memory/embedding.ts";
import { blockOf, EMBEDDING_BLOCKS, EMBEDDING_DIM } from "../../../agents/memory/embedding-layout.ts";
import type { Candle } from "../../../agents/strategies/strategy.ts";
import { randomBars } from "../strategies/bars.ts";

function columns(bars: readonly Candle[]) {
  const col = (f: keyof Candle) => Float64Array.from(bars, (b) => b[f]);
  return { timestamps: col("time"), open: col("open"), high: col("high"), low: col("low"), close: col("close"), volume: col("volume") };
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

test("null while warming up, then one unit-length vector of 128 finite slots per bar", () => {
  const e = new StateEmbedder();
  const bars = randomBars(1, EMBEDDING_STARTUP_BARS + 50);
  bars.forEach((b, i) => {
    const v = e.update(b);
    if (i < EMBEDDING_STARTUP_BARS - 1) assert.equal(v, null, `bar ${i}`);
    else {
      assert.ok(v !== null, `bar ${i}`);
      assert.equal(v.length, EMBEDDING_DIM);
      assert.ok(v.every(Number.isFinite));
      assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
    }
  });
});

test("the layout covers slots 0..127 once, in order", () => {
  let next = 0;
  for (const b of EMBEDDING_BLOCKS) {
    assert.equal(b.start, next, b.name);
    next += b.size;
  }
  assert.equal(next, EMBEDDING_DIM);
  assert.equal(blockOf(0).name, "returns");
  assert.throws(() => blockOf(128), /slot: 128 is outside/);
});

test("deterministic: the same bars give the same bytes, streamed one by one or embedded in bulk", () => {
  const bars = randomBars(7, 600);
  const a = embedBars(columns(bars));
  const b = embedBars(columns(bars));
  const hash = (v: Float32Array) => createHash("sha256").update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest("hex");
  assert.equal(hash(a.vectors), hash(b.vectors));
  const e = new StateEmbedder();
  const streamed = bars.map((x) => e.update({ ...x })).filter((v) => v !== null);
  assert.equal(streamed.length, a.times.length);
  streamed.forEach((v, i) => assert.deepEqual(v, a.vectors.subarray(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM)));
});

test("blind to units: prices x 1000 and volumes x 0.001 land on the same point", () => {
  const bars = randomBars(3, 400);
  const scaled = bars.map((b) => ({ ...b, open: b.open * 1000, high: b.high * 1000, low: b.low * 1000, close: b.close * 1000, volume: b.volume * 0.001 }));
  const a = embedBars(columns(bars));
  const b = embedBars(columns(scaled));
  for (let i = 0; i < a.times.length; i++) {
    const va = a.vectors.subarray(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM);
    const vb = b.vectors.subarray(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM);
    assert.ok(dot(va, vb) > 0.9999, `bar ${i}: similarity ${dot(va, vb)}`);
  }
});

test("a crash looks like a crash: the falling state is nearer another fall than a rise", () => {
  const path = (sign: number, seed: number) => {
    const bars = randomBars(seed, 300, 0.002);
    let p = bars[bars.length - 1].close;
    for (let i = 0; i < 20; i++) {
      const open = p;
      p *= Math.exp(sign * 0.01);
      const t = bars[bars.length - 1].time + 3_600_000;
      bars.push({ time: t, open, high: Math.max(open, p) * 1.001, low: Math.min(open, p) * 0.999, close: p, volume: 300 });
    }
    const e = embedBars(columns(bars));
    return e.vectors.subarray((e.times.length - 1) * EMBEDDING_DIM);
  };
  const fall1 = path(-1, 11);
  const fall2 = path(-1, 12);
  const rise = path(1, 13);
  assert.ok(dot(fall1, fall2) > dot(fall1, rise) + 0.3, `fall-fall ${dot(fall1, fall2)}, fall-rise ${dot(fall1, rise)}`);
});

test("the book block: zero without a book, set with one, and a bad book is refused by name", () => {
  const bars = randomBars(4, EMBEDDING_STARTUP_BARS);
  const plain = new StateEmbedder();
  const withBook = new StateEmbedder();
  let a: Float32Array | null = null;
  let b: Float32Array | null = null;
  for (const x of bars) {
    a = plain.update({ ...x });
    b = withBook.update({ ...x }, { bid: x.close - 1, ask: x.close + 1, bidSize: 3, askSize: 1 });
  }
  const book = EMBEDDING_BLOCKS.find((x) => x.name === "book")!;
  assert.ok(a !== null && b !== null);
  assert.deepEqual([...a.subarray(book.start, book.start + 3)], [0, 0, 0]);
  assert.ok(b[book.start] > 0 && b[book.start + 1] > 0);
  const next = { ...bars[bars.length - 1], time: bars[bars.length - 1].time + 1 };
  assert.throws(() => withBook.update(next, { bid: 10, ask: 9, bidSize: 1, askSize: 1 }), /book\.ask: 9 is invalid/);
});

test("refuses a NaN, a non-positive price and time going backwards, naming the field", () => {
  const e = new StateEmbedder();
  const b: Candle = { time: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 };
  assert.throws(() => e.update({ ...b, close: NaN }), /bar\.close: NaN is invalid/);
  assert.throws(() => e.update({ ...b, low: 0 }), /prices must be positive/);
  e.update(b);
  assert.throws(() => e.update({ ...b }), /bar\.time: 1 is invalid/);
});

test("property: any positive random walk gives finite unit vectors", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 1e-5, max: 0.05, noNaN: true }), (seed, sd) => {
      const e = embedBars(columns(randomBars(seed, EMBEDDING_STARTUP_BARS + 5, sd)));
      for (let i = 0; i < e.times.length; i++) {
        const v = e.vectors.subarray(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM);
        if (!v.every(Number.isFinite) || Math.abs(norm(v) - 1) > 1e-5) return false;
      }
      return true;
    }),
    { numRuns: 20 },
  );
});
