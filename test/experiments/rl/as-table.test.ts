// The analytic agents reproduce Avellaneda & Stoikov's table (and mbt_gym's replication) within sampling error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { asAgent, asSpread, evaluateAs, type AsPolicy } from "../../../experiments/rl/as-analytic.ts";
import { AS_TABLE, MBT_GYM_ROWS, tableProblems, tableRow } from "../../../experiments/rl/as-table.ts";
import { AS_PAPER, INVENTORY_SCALE } from "../../../experiments/rl/envs/avellaneda-stoikov.ts";

const N = 1000;

for (const row of AS_TABLE) {
  test(`γ = ${row.gamma}, ${row.strategy}: ${N} trajectories agree with the paper's ${row.meanPnl} (${row.stdPnl})`, () => {
    const ours = evaluateAs(asAgent(row.strategy, row.gamma), { trajectories: N, seed: 1 });
    assert.deepEqual(tableProblems(ours, row), []);
    // At the paper's γ the quotes never reach the action bounds: nothing was clipped.
    assert.equal(ours.quotesAtBounds, 0);
    const mbt = MBT_GYM_ROWS.find((m) => m.gamma === row.gamma);
    if (mbt !== undefined && row.strategy === "inventory") assert.deepEqual(tableProblems(ours, mbt), []);
  });
}

test("the rows hold on other seeds too (seeds 2 and 3)", () => {
  for (const seed of [2, 3]) {
    for (const row of AS_TABLE) {
      assert.deepEqual(tableProblems(evaluateAs(asAgent(row.strategy, row.gamma), { trajectories: N, seed }), row), [], `seed ${seed} γ ${row.gamma} ${row.strategy}`);
    }
  }
});

test("the check fails an agent whose reservation price ignores inventory, or shades it the wrong way", () => {
  const row = tableRow(0.1, "inventory")!;
  const ignoring = evaluateAs(asAgent("symmetric", 0.1), { trajectories: N, seed: 1 });
  assert.ok(tableProblems(ignoring, row).some((p) => p.startsWith("std of profit")), "symmetric quotes pass for the inventory strategy");
  const inner = asAgent("symmetric", 0.1);
  const wrongWay: AsPolicy = (obs) => {
    const out = inner(obs).slice();
    const shade = Math.round(obs[1] * INVENTORY_SCALE) * 0.1 * 4 * obs[0];
    out[0] = Math.min(8, Math.max(-2, out[0] - shade));
    out[1] = Math.min(8, Math.max(-2, out[1] + shade));
    return out;
  };
  assert.notDeepEqual(tableProblems(evaluateAs(wrongWay, { trajectories: N, seed: 1 }), row), []);
  // And the symmetric strategy's own row is not the inventory strategy's: the check tells them apart.
  assert.notDeepEqual(tableProblems(evaluateAs(asAgent("inventory", 0.1), { trajectories: N, seed: 1 }), tableRow(0.1, "symmetric")!), []);
});

test("the spread is the paper's γσ²(T − t) + (2/γ)·ln(1 + γ/k), and the quotes sit at r ± spread/2", () => {
  assert.ok(Math.abs(asSpread(AS_PAPER, 0.1, 0) - 20 * Math.log(1 + 0.1 / 1.5)) < 1e-12);
  assert.ok(Math.abs(asSpread(AS_PAPER, 1, 1) - (4 + 2 * Math.log(1 + 1 / 1.5))) < 1e-12);
  const agent = asAgent("inventory", 0.1);
  // Half the horizon left, long 3: r = s − 3·0.1·4·0.5 = s − 0.6.
  const [db, da] = agent(Float32Array.of(0.5, 3 / INVENTORY_SCALE, 0));
  const half = asSpread(AS_PAPER, 0.1, 0.5) / 2;
  assert.ok(Math.abs(db - (0.6 + half)) < 1e-6);
  assert.ok(Math.abs(da - (half - 0.6)) < 1e-6);
});

test("two policies evaluated with one seed meet the same mid paths (a paired comparison)", () => {
  const a = evaluateAs(asAgent("inventory", 0.1), { trajectories: 50, seed: 9 });
  const b = evaluateAs(asAgent("inventory", 0.1), { trajectories: 50, seed: 9 });
  assert.deepEqual(a, b);
  assert.throws(() => evaluateAs(asAgent("inventory", 0.1), { trajectories: 0, seed: 1 }), /trajectories 0 must be a positive integer/);
});
