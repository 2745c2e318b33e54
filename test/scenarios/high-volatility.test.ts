// high-volatility is three times as volatile as normal on the same seed, by the suite's own measure and tolerance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { meanAtrPct } from "../../experiments/moves.ts";
import { movesTable, VOLATILITY_TOLERANCE, type RunPath } from "../../experiments/report/moves-table.ts";
import { buildScenario, builtinSpec } from "../../scenarios/builtins.ts";

/** Mean true range (percent of price) of a built-in's 1-minute bars over its whole run. */
async function atrPct(name: string, seed: number): Promise<number | null> {
  const spec = builtinSpec(name);
  const { kernel } = buildScenario(spec, seed);
  await kernel.run(spec.duration);
  kernel.bars.finish(spec.duration);
  return meanAtrPct(kernel.bars.highs(), kernel.bars.lows(), kernel.bars.closes());
}

// Legs are judged within ±5 percentage points of the move; the moves table's counterpart for a
// volatility multiple is ±10% of the multiple (VOLATILITY_TOLERANCE), i.e. ±0.3 around 3x.
test("high-volatility's ATR is 3x normal's on the same seed, within ±10% of the multiple (2.7x-3.3x: the moves table's volatility tolerance, where legs use ±5 pp), over a full day on seeds 1 and 2", async () => {
  const expected = builtinSpec("high-volatility").volatility?.atrMultiple;
  assert.equal(expected, 3, "high-volatility specifies its multiple");
  assert.equal(VOLATILITY_TOLERANCE, 0.1);
  const runs: RunPath[] = [];
  for (const seed of [1, 2]) {
    const normal = await atrPct("normal", seed);
    const high = await atrPct("high-volatility", seed);
    assert.ok(normal !== null && normal > 0 && high !== null, `seed ${seed}: both days have bars`);
    const ratio = high / normal;
    assert.ok(Math.abs(ratio - 3) <= 0.3, `seed ${seed}: high-volatility's ATR ${high}% is ${ratio.toFixed(3)}x normal's ${normal}%, outside 2.7x-3.3x`);
    runs.push({ scenario: "normal", seed, atrPct: normal }, { scenario: "high-volatility", seed, atrPct: high, volatility: { expectedAtrMultiple: 3, realisedAtrMultiple: null } });
  }
  // The suite's table agrees: the same-seed row, both seeds within its tolerance.
  const rows = movesTable(runs);
  assert.deepEqual(rows.map((r) => [r.scenario, r.leg, r.expected, r.withinTolerance, r.seeds]), [["high-volatility", "volatility vs normal (same seed)", 3, 2, 2]]);
});
