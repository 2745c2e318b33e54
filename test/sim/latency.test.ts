// LatencyModel: per-agent delays, bounded, seeded, and validated at the boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LatencyModel, parseLatencySpec } from "../../sim/latency.ts";
import { Rng } from "../../sim/rng.ts";

test("delays are integers within [base, base + jitter] and at least 1 ns", () => {
  fc.assert(
    fc.property(
      fc.nat(1_000_000), fc.nat(1_000_000), fc.nat(10_000), fc.integer(),
      (inNs, outNs, jitterNs, seed) => {
        const m = new LatencyModel({ inNs, outNs, jitterNs }, Rng.root(seed).fork("agent"));
        for (let i = 0; i < 50; i++) {
          const a = m.orderIn();
          const b = m.dataOut();
          assert.ok(Number.isInteger(a) && a >= Math.max(1, inNs) && a <= Math.max(1, inNs + jitterNs), `orderIn ${a}`);
          assert.ok(Number.isInteger(b) && b >= Math.max(1, outNs) && b <= Math.max(1, outNs + jitterNs), `dataOut ${b}`);
        }
      },
    ),
    { numRuns: 100 },
  );
});

test("zero latency is still 1 ns, so a reply never lands at the instant of its cause", () => {
  const m = new LatencyModel({ inNs: 0, outNs: 0, jitterNs: 0 }, Rng.root(1));
  assert.equal(m.orderIn(), 1);
  assert.equal(m.dataOut(), 1);
});

test("delays are deterministic per seed and agent, and jitter actually varies", () => {
  const spec = { inNs: 1000, outNs: 2000, jitterNs: 500 };
  const seq = (seed: number, agent: string) => {
    const m = new LatencyModel(spec, Rng.root(seed).fork(agent));
    return Array.from({ length: 30 }, (_, i) => (i % 2 ? m.orderIn() : m.dataOut()));
  };
  assert.deepEqual(seq(1, "mm/0"), seq(1, "mm/0"));
  assert.notDeepEqual(seq(1, "mm/0"), seq(2, "mm/0"));
  assert.notDeepEqual(seq(1, "mm/0"), seq(1, "mm/1"));
  assert.ok(new Set(seq(1, "mm/0")).size > 10);
});

test("order latencies do not depend on how much market data the agent received", () => {
  const spec = { inNs: 1000, outNs: 2000, jitterNs: 500 };
  const quiet = new LatencyModel(spec, Rng.root(5).fork("bot"));
  const busy = new LatencyModel(spec, Rng.root(5).fork("bot"));
  for (let i = 0; i < 37; i++) busy.dataOut();
  const a = Array.from({ length: 20 }, () => quiet.orderIn());
  const b = Array.from({ length: 20 }, () => busy.orderIn());
  assert.deepEqual(a, b);
});

test("the model does not draw from the agent's stream it was given", () => {
  const used = Rng.root(8).fork("bot");
  const m = new LatencyModel({ inNs: 10, outNs: 10, jitterNs: 10 }, used);
  m.orderIn();
  m.dataOut();
  assert.equal(used.next(), Rng.root(8).fork("bot").next());
});

test("bad specs throw naming the field and the value", () => {
  const ok = { inNs: 1, outNs: 1, jitterNs: 1 };
  assert.throws(() => parseLatencySpec({ ...ok, inNs: -5 }), /latency\.inNs: -5 is invalid/);
  assert.throws(() => parseLatencySpec({ ...ok, outNs: 2.5 }), /latency\.outNs: 2\.5 is invalid/);
  assert.throws(() => parseLatencySpec({ ...ok, jitterNs: NaN }), /latency\.jitterNs: NaN is invalid/);
  assert.throws(() => parseLatencySpec({ ...ok, jitterNs: "3" }), /latency\.jitterNs: "3" is invalid/);
  assert.throws(() => parseLatencySpec({ inNs: 1, outNs: 1 }), /latency\.jitterNs: undefined is invalid/);
  assert.throws(() => parseLatencySpec({ ...ok, jiterNs: 3 }), /jiterNs/);
  assert.throws(() => new LatencyModel({ ...ok, inNs: Infinity }, Rng.root(1)), /latency\.inNs: Infinity is invalid/);
  assert.deepEqual(parseLatencySpec(ok), ok);
});
