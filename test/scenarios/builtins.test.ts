// Built-in scenarios build from validated specs, are deterministic for a seed through their shocks, and make the moves they specify.
import assert from "node:assert/strict";
import { test } from "node:test";
import { realisedMoves } from "../../experiments/moves.ts";
import { specLegs } from "../../experiments/run.ts";
import { Asset } from "../../market/ledger.ts";
import { buildScenario, builtinSpec } from "../../scenarios/builtins.ts";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { BarBuilder } from "../../sim/bars.ts";

const HOUR = 3_600_000_000_000;

for (const name of Object.keys(BUILTIN_SPECS)) {
  test(`${name}: the same seed gives the same digest through its shocks, another seed a different one; money is conserved`, async () => {
    const spec = builtinSpec(name);
    // Day-long scenarios for 2 hours; the short ones whole, so every shock and manipulator acts.
    const duration = Math.min(spec.duration, 3 * HOUR);
    const run = async (seed: number) => {
      const { kernel } = buildScenario(spec, seed);
      const bars = new BarBuilder(kernel.venue.instrument, {});
      kernel.observe(bars);
      const stats = await kernel.run(spec.duration > 3 * HOUR ? 2 * HOUR : duration);
      const L = kernel.venue.ledger;
      assert.equal(L.total(Asset.BASE), L.deposited[Asset.BASE]);
      assert.equal(L.total(Asset.QUOTE), L.deposited[Asset.QUOTE]);
      kernel.venue.engine.assertConsistent();
      bars.finish(spec.duration > 3 * HOUR ? 2 * HOUR : duration);
      return { stats, bars };
    };
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    assert.ok(a.stats.events.trade > 50, `${name} trades (${a.stats.events.trade})`);
    assert.equal(a.stats.digest, b.stats.digest);
    assert.deepEqual(a.stats, b.stats);
    assert.notEqual(a.stats.digest, c.stats.digest);
    // Every leg the scenario specifies lands within 5 percentage points, on both seeds.
    if (spec.duration <= 3 * HOUR) {
      for (const r of [a, c]) {
        for (const leg of realisedMoves(r.bars.openTimesNs(), r.bars.closes(), specLegs(spec, spec.duration))) {
          assert.ok(leg.realisedPct !== null && Math.abs(leg.realisedPct - leg.expectedPct) <= 5, `${name} ${leg.label}: realised ${leg.realisedPct}% vs ${leg.expectedPct}%`);
        }
      }
    }
  });
}
