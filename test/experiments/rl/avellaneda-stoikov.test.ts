// The Avellaneda–Stoikov env: the Gymnasium contract, determinism, declared bounds, and the model's dynamics.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  AS_PAPER, AvellanedaStoikovEnv, DELTA_GRID, DELTA_HIGH, DELTA_LOW, DiscreteAvellanedaStoikovEnv, type AsResult,
} from "../../../experiments/rl/envs/avellaneda-stoikov.ts";
import { outside as outsideBox } from "../../../experiments/rl/spaces.ts";

/** One episode under a fixed quote, every step's obs (copied), reward and info. */
function episode(env: AvellanedaStoikovEnv, quote: Float32Array, seed?: number): { first: number[]; steps: AsResult[] } {
  const first = [...env.reset(seed === undefined ? {} : { seed }).obs];
  const steps: AsResult[] = [];
  for (;;) {
    const r = env.step(quote);
    steps.push({ ...r, obs: r.obs.slice() });
    if (r.truncated) return { first, steps };
  }
}

const Q = Float32Array.of(0.7, 0.7);

test("the same seed replays the same episode; another seed does not", () => {
  const a = episode(new AvellanedaStoikovEnv(), Q, 7);
  const b = episode(new AvellanedaStoikovEnv(), Q, 7);
  const c = episode(new AvellanedaStoikovEnv(), Q, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.steps.map((s) => s.info.mid), c.steps.map((s) => s.info.mid));
});

test("a seeded reset followed by unseeded ones is reproducible, and the episodes differ", () => {
  const run = () => {
    const env = new AvellanedaStoikovEnv();
    return [episode(env, Q, 3), episode(env, Q), episode(env, Q)].map((e) => e.steps.map((s) => s.info.pnl));
  };
  const [x, y] = [run(), run()];
  assert.deepEqual(x, y);
  assert.notDeepEqual(x[0], x[1]);
});

test("an episode is truncated (never terminated) after exactly the 200 steps of T = 1", () => {
  const { steps, first } = episode(new AvellanedaStoikovEnv(), Q, 1);
  assert.equal(steps.length, 200);
  assert.equal(first[0], 1);
  assert.ok(steps.every((s) => !s.terminated));
  assert.deepEqual(steps.map((s) => s.truncated), steps.map((_, i) => i === 199));
  assert.equal(steps[199].obs[0], 0);
  assert.ok(Math.abs(steps[199].info.time - 1) < 1e-12);
});

test("the mid moves by exactly ±σ√dt each step, both ways about equally", () => {
  const { steps } = episode(new AvellanedaStoikovEnv(), Q, 2);
  let prev = AS_PAPER.s0;
  let ups = 0;
  for (const s of steps) {
    assert.ok(Math.abs(Math.abs(s.info.mid - prev) - 2 * Math.sqrt(0.005)) < 1e-9);
    if (s.info.mid > prev) ups += 1;
    prev = s.info.mid;
  }
  assert.ok(ups > 70 && ups < 130, `ups ${ups} of 200`);
});

test("each side fills with probability A·exp(−kδ)·dt (within 4 standard errors over 40,000 steps)", () => {
  const env = new AvellanedaStoikovEnv();
  for (const [db, da] of [[0.5, 1.5], [2, 0]]) {
    const quote = Float32Array.of(db, da);
    let bids = 0;
    let asks = 0;
    let n = 0;
    for (let e = 0; e < 200; e++) {
      env.reset(e === 0 ? { seed: 11 } : {});
      for (let i = 0; i < 200; i++) {
        const r = env.step(quote);
        n += 1;
        if (r.info.bidFilled) bids += 1;
        if (r.info.askFilled) asks += 1;
      }
    }
    for (const [count, d] of [[bids, db], [asks, da]]) {
      const p = 140 * Math.exp(-1.5 * d) * 0.005;
      const se = Math.sqrt((p * (1 - p)) / n);
      assert.ok(Math.abs(count / n - p) < 4 * se, `δ ${d}: ${count / n} vs ${p}`);
    }
  }
});

test("a fill trades one unit at the quote: cash and inventory move by the quoted price", () => {
  // δ = DELTA_LOW makes A·exp(−kδ)·dt > 1: both sides fill every step.
  const env = new AvellanedaStoikovEnv();
  env.reset({ seed: 5 });
  const r = env.step(Float32Array.of(DELTA_LOW, 1));
  assert.ok(r.info.bidFilled);
  const expectedCash = -(AS_PAPER.s0 - DELTA_LOW) + (r.info.askFilled ? AS_PAPER.s0 + 1 : 0);
  assert.ok(Math.abs(r.info.cash - expectedCash) < 1e-9);
  assert.equal(r.info.inventory, r.info.askFilled ? 0 : 1);
});

test("rewards sum to the final profit, cash plus the inventory valued at the final mid", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.float({ min: -1, max: 3, noNaN: true }), fc.float({ min: -1, max: 3, noNaN: true }), (seed, db, da) => {
      const { steps } = episode(new AvellanedaStoikovEnv(), Float32Array.of(db, da), seed);
      const last = steps[steps.length - 1].info;
      const sum = steps.reduce((acc, s) => acc + s.reward, 0);
      assert.ok(Math.abs(sum - (last.cash + last.inventory * last.mid)) < 1e-6);
      assert.equal(last.pnl, last.cash + last.inventory * last.mid);
    }),
    { numRuns: 30 },
  );
});

test("every observation lies in the declared observation space, under any actions in the action space", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.array(fc.tuple(fc.float({ min: DELTA_LOW, max: DELTA_HIGH, noNaN: true }), fc.float({ min: DELTA_LOW, max: DELTA_HIGH, noNaN: true })), { minLength: 200, maxLength: 200 }), (seed, actions) => {
      const env = new AvellanedaStoikovEnv();
      const space = env.observationSpace;
      assert.equal(outsideBox(space, env.reset({ seed }).obs), undefined);
      for (const [b, a] of actions) {
        const r = env.step(Float32Array.of(b, a));
        assert.equal(outsideBox(space, r.obs), undefined);
        assert.ok(Number.isFinite(r.reward));
      }
    }),
    { numRuns: 20 },
  );
});

test("the declared bounds are reached by the extreme episode (always buying)", () => {
  const env = new AvellanedaStoikovEnv();
  env.reset({ seed: 1 });
  let r: AsResult | undefined;
  // Bid at DELTA_LOW fills every step; an ask at DELTA_HIGH practically never.
  for (let i = 0; i < 200; i++) r = env.step(Float32Array.of(DELTA_LOW, DELTA_HIGH));
  assert.ok(r!.info.inventory >= 199, `inventory ${r!.info.inventory}`);
  assert.ok(r!.obs[1] <= env.observationSpace.high[1]);
});

test("refusals: no seed on the first reset, a step before reset or after the end, an action outside the space", () => {
  const env = new AvellanedaStoikovEnv();
  assert.throws(() => env.reset(), /first reset needs a seed/);
  assert.throws(() => env.step(Q), /call reset first/);
  env.reset({ seed: 1 });
  for (const bad of [Float32Array.of(NaN, 1), Float32Array.of(1), Float32Array.of(DELTA_LOW - 0.5, 1), Float32Array.of(1, DELTA_HIGH + 1), [1, 1] as unknown as Float32Array]) {
    assert.throws(() => env.step(bad), RangeError);
  }
  episode(env, Q);
  assert.throws(() => env.step(Q), /call reset first/);
  assert.throws(() => new AvellanedaStoikovEnv({ ...AS_PAPER, sigma: -1 }), /sigma -1 must be finite and positive/);
  assert.throws(() => new AvellanedaStoikovEnv({ ...AS_PAPER, steps: 2.5 }), /steps 2.5 must be a positive integer/);
});

test("the discrete variant is the continuous env quoting DELTA_GRID[⌊i/G⌋], DELTA_GRID[i mod G]", () => {
  const g = DELTA_GRID.length;
  const d = new DiscreteAvellanedaStoikovEnv();
  assert.equal(d.actionSpace.n, g * g);
  const c = new AvellanedaStoikovEnv();
  d.reset({ seed: 4 });
  c.reset({ seed: 4 });
  for (let t = 0; t < 200; t++) {
    const i = (t * 37) % (g * g);
    const rd = d.step(i);
    const rc = c.step(Float32Array.of(DELTA_GRID[Math.floor(i / g)], DELTA_GRID[i % g]));
    assert.deepEqual({ ...rd, obs: [...rd.obs] }, { ...rc, obs: [...rc.obs] });
  }
  assert.throws(() => new DiscreteAvellanedaStoikovEnv().step(0), /call reset first/);
  d.reset({ seed: 1 });
  for (const bad of [-1, g * g, 1.5, NaN]) assert.throws(() => d.step(bad), RangeError);
  assert.ok(DELTA_GRID.every((x) => x >= DELTA_LOW && x <= DELTA_HIGH));
});
