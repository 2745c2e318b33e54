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

/**
 * The path each built-in is built to produce: its legs' labels (checked below within 5
 * percentage points) and its volatility multiple (checked in high-volatility.test.ts). Written
 * out so that a built-in losing its legs fails here instead of passing with nothing to check.
 */
const PATHS: Readonly<Record<string, { legs: string[]; atrMultiple?: number }>> = {
  normal: { legs: [] },
  crash: { legs: ["move"] },
  "pump-and-dump": { legs: ["pump", "dump"] },
  "flash-crash": { legs: ["flash crash", "recovery"] },
  "high-volatility": { legs: [], atrMultiple: 3 },
};

test("every built-in specifies the path it is built for: legs, a volatility multiple, or neither for normal, the reference", () => {
  assert.deepEqual(Object.keys(BUILTIN_SPECS).sort(), Object.keys(PATHS).sort(), "a new built-in needs its expected path here");
  for (const [name, path] of Object.entries(PATHS)) {
    const spec = builtinSpec(name);
    assert.deepEqual(specLegs(spec, spec.duration).map((l) => l.label), path.legs, `${name}: its legs`);
    assert.equal(spec.volatility?.atrMultiple, path.atrMultiple, `${name}: its volatility multiple`);
  }
});

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
        const legs = realisedMoves(r.bars.openTimesNs(), r.bars.closes(), specLegs(spec, spec.duration));
        assert.deepEqual(legs.map((l) => l.label), PATHS[name]?.legs, `${name}: the legs measured are the ones it is built for`);
        for (const leg of legs) {
          assert.ok(leg.realisedPct !== null && Math.abs(leg.realisedPct - leg.expectedPct) <= 5, `${name} ${leg.label}: realised ${leg.realisedPct}% vs ${leg.expectedPct}%`);
        }
      }
    } else {
      assert.deepEqual(PATHS[name]?.legs, [], `${name}: a day-long built-in with legs needs them checked here`);
    }
  });
}
