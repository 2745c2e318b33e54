// Rng: seeded, forkable random streams that make runs reproducible and agents independent.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { Rng } from "../../sim/rng.ts";

function draws(r: Rng, n = 20): number[] {
  return Array.from({ length: n }, () => r.next());
}

test("the same seed gives the same sequence; a different seed a different one", () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer(), (a, b) => {
      assert.deepEqual(draws(Rng.root(a)), draws(Rng.root(a)));
      if (a !== b) assert.notDeepEqual(draws(Rng.root(a)), draws(Rng.root(b)));
    }),
    { numRuns: 200 },
  );
});

test("every method is deterministic for a seed", () => {
  const run = (r: Rng) => [
    r.int(-5, 5), r.normal(), r.normal(), r.normal(3, 2), r.exponential(4), r.bernoulli(0.3),
    r.pick(["a", "b", "c"]), r.int(0, 2 ** 40), r.next(),
  ];
  assert.deepEqual(run(Rng.root("s")), run(Rng.root("s")));
});

test("fork path is the root seed and the names joined by '/'", () => {
  const r = Rng.root(1).fork("agents").fork("mm/3");
  assert.equal(r.path, "1/agents/mm/3");
  assert.deepEqual(draws(r), draws(Rng.root(1).fork("agents/mm/3")));
});

test("forking does not advance the parent", () => {
  const a = Rng.root(42);
  const b = Rng.root(42);
  a.fork("x");
  a.fork("y").next();
  assert.deepEqual(draws(a), draws(b));
});

test("a fork's stream does not change when siblings draw or new siblings are added", () => {
  const lone = Rng.root(9).fork("agents").fork("mm/1");
  const expected = draws(lone);

  const agents = Rng.root(9).fork("agents");
  const other = agents.fork("mm/0");
  draws(other, 100);
  agents.next();
  agents.fork("noise/7").next();
  const mm1 = agents.fork("mm/1");
  assert.deepEqual(draws(mm1), expected);
});

test("sibling forks and the parent produce different streams", () => {
  const root = Rng.root(3);
  const a = draws(root.fork("a"));
  assert.notDeepEqual(a, draws(root.fork("b")));
  assert.notDeepEqual(a, draws(Rng.root(3)));
});

test("int() stays within inclusive bounds and hits both ends", () => {
  fc.assert(
    fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 5 }), fc.integer(), (lo, w, seed) => {
      const r = Rng.root(seed);
      const seen = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const x = r.int(lo, lo + w);
        assert.ok(Number.isInteger(x) && x >= lo && x <= lo + w, `${x} outside [${lo}, ${lo + w}]`);
        seen.add(x);
      }
      assert.equal(seen.size, w + 1);
    }),
    { numRuns: 50 },
  );
  const big = Rng.root(1);
  for (let i = 0; i < 1000; i++) {
    const x = big.int(0, Number.MAX_SAFE_INTEGER - 1);
    assert.ok(Number.isSafeInteger(x) && x >= 0 && x < Number.MAX_SAFE_INTEGER);
  }
});

test("draws have roughly the right distributions", () => {
  const r = Rng.root("dist");
  const n = 20_000;
  let u = 0, z = 0, z2 = 0, e = 0, b = 0;
  for (let i = 0; i < n; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    u += x;
    const g = r.normal();
    z += g;
    z2 += g * g;
    const ex = r.exponential(2);
    assert.ok(ex >= 0 && Number.isFinite(ex));
    e += ex;
    if (r.bernoulli(0.25)) b++;
  }
  assert.ok(Math.abs(u / n - 0.5) < 0.02, `uniform mean ${u / n}`);
  assert.ok(Math.abs(z / n) < 0.03, `normal mean ${z / n}`);
  assert.ok(Math.abs(z2 / n - 1) < 0.05, `normal variance ${z2 / n}`);
  assert.ok(Math.abs(e / n - 0.5) < 0.02, `exponential mean ${e / n}`);
  assert.ok(Math.abs(b / n - 0.25) < 0.02, `bernoulli rate ${b / n}`);
});

test("bad arguments throw instead of returning garbage", () => {
  const r = Rng.root(1);
  assert.throws(() => Rng.root(NaN), /seed NaN/);
  assert.throws(() => Rng.root(""), /seed/);
  assert.throws(() => r.fork(""), /non-empty/);
  assert.throws(() => r.int(3, 2), /lo <= hi/);
  assert.throws(() => r.int(0, 1.5), /safe integers/);
  assert.throws(() => r.exponential(0), /rate 0/);
  assert.throws(() => r.bernoulli(1.1), /p 1\.1/);
  assert.throws(() => r.bernoulli(NaN), /p NaN/);
  assert.throws(() => r.pick([]), /empty/);
});

test("draws are seedrandom's alea for the stream's path, one step per uniform and two per wide int", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 8 }), (seed, name) => {
      const ours = Rng.root(seed).fork(name);
      const theirs = seedrandom.alea(`${seed}/${name}`);
      for (let i = 0; i < 50; i++) assert.equal(ours.next(), theirs());
      // A span above 2^32 takes seedrandom's 53-bit double.
      const span = 2 ** 40;
      assert.equal(ours.int(0, span - 1), Math.min(Math.floor(theirs.double() * span), span - 1));
      assert.equal(ours.int(5, 9), 5 + Math.floor(theirs() * 5));
    }),
    { numRuns: 200 },
  );
});

test("state() then restore, through JSON, continues the stream exactly, a pending normal() spare included", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 50 }), fc.boolean(), (seed, n, odd) => {
      const a = Rng.root(seed).fork("x");
      for (let i = 0; i < n; i++) a.next();
      if (odd) a.normal();
      const b = Rng.restore(JSON.parse(JSON.stringify(a.state())));
      assert.equal(b.path, a.path);
      const draw = (r: Rng) => [r.normal(), r.next(), r.int(0, 2 ** 40), r.normal(), r.exponential(2)];
      assert.deepEqual(draw(b), draw(a));
    }),
  );
});
