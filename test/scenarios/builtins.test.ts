// Built-in scenarios build from validated specs and are deterministic for a seed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Asset } from "../../market/ledger.ts";
import { buildScenario, builtinSpec } from "../../scenarios/builtins.ts";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";

const MINUTE = 60_000_000_000;

for (const name of Object.keys(BUILTIN_SPECS)) {
  test(`${name}: the same seed gives the same digest, another seed a different one; money is conserved`, async () => {
    const run = async (seed: number) => {
      const { kernel } = buildScenario(builtinSpec(name), seed);
      const stats = await kernel.run(3 * MINUTE);
      const L = kernel.venue.ledger;
      assert.equal(L.total(Asset.BASE), L.deposited[Asset.BASE]);
      assert.equal(L.total(Asset.QUOTE), L.deposited[Asset.QUOTE]);
      kernel.venue.engine.assertConsistent();
      return stats;
    };
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    assert.ok(a.events.trade > 50, `${name} trades (${a.events.trade})`);
    assert.equal(a.digest, b.digest);
    assert.deepEqual(a, b);
    assert.notEqual(a.digest, c.digest);
  });
}
