// Calibrate's search: seeded and deterministic, inside the unit cube, within its budget, and it goes downhill.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LAMBDA, minimise, reflect } from "../../../experiments/calibrate/search.ts";

const target = [0.2, 0.7, 0.4];
const bowl = (p: readonly number[]) => p.reduce((s, x, i) => s + (x - target[i]) ** 2, 0);

async function run(seed: number, budget: number) {
  const start = [0.9, 0.1, 0.9];
  const batches: number[] = [];
  const r = await minimise({
    start, startObjective: bowl(start), budget, seed,
    evaluate: async (points) => {
      batches.push(points.length);
      for (const p of points) for (const u of p) assert.ok(u >= 0 && u <= 1, `coordinate ${u} outside [0, 1]`);
      return points.map(bowl);
    },
  });
  return { ...r, batches };
}

test("the search evaluates exactly its budget, in generations of λ, and ends far closer to the minimum", async () => {
  const r = await run(1, 30);
  assert.equal(r.all.length, 31, "the start and 30 candidates");
  assert.deepEqual(r.batches, [LAMBDA, LAMBDA, LAMBDA, LAMBDA, LAMBDA, LAMBDA, LAMBDA, 2]);
  assert.ok(r.best.objective < bowl([0.9, 0.1, 0.9]) / 10, `best ${r.best.objective}`);
  assert.equal(r.best.objective, Math.min(...r.all.map((e) => e.objective)));
});

test("the same seed draws the same candidates; another seed others", async () => {
  const [a, b, c] = await Promise.all([run(7, 12), run(7, 12), run(8, 12)]);
  assert.deepEqual(a.all, b.all);
  assert.notDeepEqual(a.all.slice(1), c.all.slice(1));
});

test("a budget of 0 evaluates nothing and keeps the start", async () => {
  const r = await run(1, 0);
  assert.equal(r.all.length, 1);
  assert.deepEqual(r.best.point, [0.9, 0.1, 0.9]);
});

test("a step past a bound is reflected back inside", () => {
  assert.ok(Math.abs(reflect(-0.25) - 0.25) < 1e-12);
  assert.ok(Math.abs(reflect(1.25) - 0.75) < 1e-12);
  assert.ok(Math.abs(reflect(2.5) - 0.5) < 1e-12);
  assert.equal(reflect(0.3), 0.3);
});
