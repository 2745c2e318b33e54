// The moves table: specified legs beside realised ones across seeds, with the tolerance count.
import assert from "node:assert/strict";
import { test } from "node:test";
import { movesTable } from "../../experiments/report/moves-table.ts";

const leg = (label: string, expectedPct: number, realisedPct: number | null) => ({ label, expectedPct, realisedPct });

test("legs are grouped by scenario and label, with mean, range and seeds within ±5 points", () => {
  const rows = movesTable([
    { scenario: "crash", seed: 1, moves: [leg("move", -30, -30.5)] },
    { scenario: "crash", seed: 2, moves: [leg("move", -30, -36)] },
    { scenario: "crash", seed: 3, moves: [leg("move", -30, null)] },
  ]);
  assert.equal(rows.length, 1);
  const r = rows[0];
  assert.deepEqual([r.scenario, r.leg, r.unit, r.expected, r.min, r.max, r.withinTolerance, r.seeds], ["crash", "move", "%", -30, -36, -30.5, 1, 2]);
  assert.equal(r.realised.mean, -33.25);
});

test("a volatility multiple is measured against normal's run of the same seed when the suite has it", () => {
  const hv = (seed: number, atrPct: number) => ({ scenario: "high-volatility", seed, atrPct, volatility: { expectedAtrMultiple: 3, realisedAtrMultiple: atrPct * 10 } });
  const withNormal = movesTable([{ scenario: "normal", seed: 1, atrPct: 0.05 }, { scenario: "normal", seed: 2, atrPct: 0.1 }, hv(1, 0.15), hv(2, 0.31)]);
  assert.deepEqual(withNormal.map((r) => [r.leg, r.min, r.max, r.withinTolerance]), [["volatility vs normal (same seed)", 3, 3.1, 2]]);
  const alone = movesTable([hv(1, 0.15), hv(2, 0.31)]);
  assert.deepEqual(alone.map((r) => [r.leg, r.min, r.max, r.withinTolerance]), [["volatility vs reference ATR", 1.5, 3.1, 1]]);
});
