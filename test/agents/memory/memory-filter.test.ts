// The memory filter: an entry in a state whose neighbours lost is blocked, one whose neighbours won passes, exits always pass, and no outcome after the bar is seen.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { EmbeddedStore } from "../../../agents/memory/embedded-store.ts";
import { StateEmbedder } from "../../../agents/memory/embedding.ts";
import { EMBEDDING_DIM } from "../../../agents/memory/embedding-layout.ts";
import { MemoryFilter, MemoryFiltered, querySync } from "../../../agents/memory/memory-filter.ts";
import type { Candle, Signal, Strategy } from "../../../agents/strategies/strategy.ts";
import { NO_EXITS } from "../../../agents/strategies/strategy.ts";
import { Rng } from "../../../sim/rng.ts";
import { randomBars } from "../strategies/bars.ts";

const BARS = randomBars(7, 300, 0.01);
const AT = 280; // the bar whose entry is judged

/** The embedding of every bar (null in the warm-up), computed apart from the filter. */
const STATES = (() => {
  const e = new StateEmbedder();
  return BARS.map((b) => e.update({ ...b }));
})();

/** A strategy that says `at(i)` on bar i. */
function scripted(at: (i: number) => Signal): Strategy {
  let i = -1;
  return { name: "scripted", timeframe: "1h", startupBars: 1, exits: NO_EXITS, update: () => at(++i) };
}

/** 20 states around `center` (similarity > 0.99), each followed by `ret`, their outcome known at `end`. */
function memoryAround(center: Float32Array, ret: number, end: number, noise = 0.003): EmbeddedStore {
  const rng = Rng.root(1).fork("test/memory-filter");
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  store.upsertSync(Array.from({ length: 20 }, (_, id) => ({
    id,
    vector: Array.from(center, (x) => x + rng.normal(0, noise)),
    payload: { kind: "state", time: end - 3_600_000, end, ret, dd: Math.min(0, ret), regime: "ranging" },
  })));
  return store;
}

function signalAt(store: EmbeddedStore, at: number, inner: (i: number) => Signal = (i) => (i === at ? "enter" : "hold")): { signal: Signal; filter: MemoryFilter } {
  const filter = new MemoryFilter({ store, lossScale: 0.03 });
  const s = new MemoryFiltered(scripted(inner), filter);
  let out: Signal = "hold";
  for (let i = 0; i <= at; i++) out = s.update(BARS[i]);
  return { signal: out, filter };
}

test("an entry whose neighbours lost is blocked (risk); one whose neighbours won passes", () => {
  const past = BARS[AT].time - 3_600_000;
  const lost = signalAt(memoryAround(STATES[AT]!, -0.03, past), AT);
  assert.equal(lost.signal, "hold");
  assert.equal(lost.filter.counts.risk, 1);
  const won = signalAt(memoryAround(STATES[AT]!, 0.03, past), AT);
  assert.equal(won.signal, "enter");
  assert.equal(won.filter.counts.allowed, 1);
});

test("neighbours that won but are only loosely similar (confidence <= 0.6) block the entry", () => {
  const r = signalAt(memoryAround(STATES[AT]!, 0.03, BARS[0].time, 0.075), AT);
  assert.equal(r.signal, "hold");
  assert.equal(r.filter.counts.confidence, 1, JSON.stringify(r.filter.counts));
});

test("an unfamiliar state (best similarity < 0.7) is blocked as an anomaly; exits always pass", () => {
  // Neighbours won, but they are the state of another moment, unlike this one.
  const other = memoryAround(STATES[BARS.length - 1]!.map((x, i) => (i % 2 === 0 ? -x : x)) as Float32Array, 0.03, BARS[0].time);
  const r = signalAt(other, AT);
  assert.equal(r.signal, "hold");
  assert.equal(r.filter.counts.anomaly, 1);
  const lost = memoryAround(STATES[AT]!, -0.03, BARS[0].time);
  assert.equal(signalAt(lost, AT, () => "exit").signal, "exit");
  assert.equal(signalAt(lost, AT, () => "hold").signal, "hold");
});

test("no look-ahead: winners whose outcome ends after the bar's time are not seen, so the entry is blocked", () => {
  const t = BARS[AT].time;
  assert.equal(signalAt(memoryAround(STATES[AT]!, 0.03, t), AT).signal, "enter", "an outcome known at the bar's time counts");
  const r = signalAt(memoryAround(STATES[AT]!, 0.03, t + 1), AT);
  assert.equal(r.signal, "hold");
  assert.equal(r.filter.counts.anomaly, 1, "nothing comparable was known yet");
});

test("querySync at T never returns an outcome with end > T", () => {
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  const rng = Rng.root(3).fork("test/memory-filter/ends");
  store.upsertSync(Array.from({ length: 200 }, (_, id) => ({ id, vector: Array.from(STATES[AT]!, (x) => x + rng.normal(0, 0.05)), payload: { end: Math.floor(rng.next() * 1000), ret: 0.01 } })));
  fc.assert(
    fc.property(fc.integer({ min: -10, max: 1010 }), fc.integer({ min: 1, max: 50 }), (at, k) => {
      const r = querySync({ store, lossScale: 0.01 }, STATES[AT]!, at, k);
      assert.ok(r.hits.every((h) => (h.payload.end as number) <= at));
      assert.equal(r.hits.length, Math.min(k, store.countSync({ must: [{ key: "end", range: { lte: at } }] })));
    }),
    { numRuns: 50 },
  );
});

test("silent through the embedding's warm-up, then the inner strategy's signals", () => {
  const store = memoryAround(STATES[AT]!, 0.03, BARS[0].time);
  const s = new MemoryFiltered(scripted(() => "exit"), new MemoryFilter({ store, lossScale: 0.03 }));
  assert.equal(s.startupBars, 241);
  const sigs = BARS.slice(0, 245).map((b: Candle) => s.update(b));
  assert.ok(sigs.slice(0, 240).every((x) => x === "hold"));
  assert.equal(sigs[240], "exit");
});

test("with recordTrades a trade its signals open and close is remembered on close and seen by later queries only; without, nothing is", () => {
  const ENTER = 262;
  const EXIT = 270;
  const past = BARS[ENTER].time - 3_600_000;
  const inner = (i: number): Signal => (i === ENTER ? "enter" : i === EXIT ? "exit" : "hold");
  const run = (recordTrades: boolean) => {
    const filter = new MemoryFilter({ store: memoryAround(STATES[ENTER]!, 0.03, past), lossScale: 0.03 });
    const s = new MemoryFiltered(scripted(inner), filter, "scripted+memory", { recordTrades });
    const seen: number[] = [];
    for (let i = 0; i < BARS.length; i++) {
      s.update(BARS[i]);
      seen.push(filter.recorded.length);
    }
    return { filter, seen };
  };
  const { filter, seen } = run(true);
  assert.equal(seen[EXIT], 0, "still open at the exit signal's bar");
  assert.equal(seen[EXIT + 1], 1, "recorded at the next bar's open, when the exit fills");
  const t = filter.recorded[0];
  const entry = BARS[ENTER + 1].open;
  let low = Infinity;
  for (let i = ENTER + 1; i <= EXIT; i++) low = Math.min(low, BARS[i].low);
  assert.deepEqual(t.payload, {
    kind: "trade", time: BARS[ENTER + 1].time, end: BARS[EXIT + 1].time, regime: t.payload.regime,
    ret: BARS[EXIT + 1].open / entry - 1, dd: Math.min(0, low / entry - 1), durationMs: BARS[EXIT + 1].time - BARS[ENTER + 1].time, strategy: "scripted",
  });
  assert.deepEqual(Array.from(t.vector), Array.from(STATES[ENTER]!), "the entry state is the embedding at the decision");
  const before = querySync({ store: memoryAround(STATES[ENTER]!, 0.03, past), lossScale: 0.03 }, STATES[ENTER]!, BARS[EXIT].time, 21, filter.recorded);
  assert.ok(before.hits.every((h) => h.payload.kind === "state"), "a query before the exit does not see the trade");
  const after = querySync({ store: memoryAround(STATES[ENTER]!, 0.03, past), lossScale: 0.03 }, STATES[ENTER]!, BARS[EXIT + 1].time, 21, filter.recorded);
  assert.equal(after.hits[0].payload.kind, "trade", "the trade's own entry state is its nearest neighbour (similarity 1)");
  assert.ok(Math.abs(after.hits[0].score - 1) < 1e-6);
  assert.equal(run(false).filter.recorded.length, 0);
});
