// Brock–Hommes discrete choice: the better-paid strategy draws revisers, more so the higher β; new chartists herd on the majority opinion.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chartistProbability, nextFitness, stepDiscreteChoice } from "../../agents/brock-hommes.ts";
import type { Crowd } from "../../agents/switching-rule.ts";
import { Rng } from "../../sim/rng.ts";

const flows = () => ({ toFund: 0, toChartist: 0, flips: 0 });

test("the logit: a coin flip at β = 0 or equal fitness, toward the fitter strategy, the more so the higher β, finite at any gap", () => {
  assert.equal(chartistProbability(0, 5, -5), 0.5);
  assert.equal(chartistProbability(3, 1, 1), 0.5);
  assert.ok(chartistProbability(1, 1, 0) > 0.5 && chartistProbability(1, 0, 1) < 0.5);
  assert.ok(chartistProbability(4, 1, 0) > chartistProbability(1, 1, 0));
  assert.ok(Math.abs(chartistProbability(1, 1, 0) - 1 / (1 + Math.exp(-1))) < 1e-12, "e^{βUc} / (e^{βUc} + e^{βUf})");
  assert.equal(chartistProbability(1e6, 1e6, -1e6) > 0.999, true);
  assert.ok(Number.isFinite(chartistProbability(1e6, -1e6, 1e6)));
});

test("fitness accumulates realised profit with memory η, less the strategy's cost", () => {
  assert.equal(nextFitness(2, 1, 0.5), 2);
  assert.equal(nextFitness(2, 1, 0), 1);
  assert.equal(nextFitness(2, 1, 0.5, 0.25), 1.75);
});

test("revisers settle at the logit's share: the chartist share goes to pChartist whichever side it starts from", () => {
  for (const start of [{ plus: 10, minus: 10, fund: 380 }, { plus: 190, minus: 190, fund: 20 }]) {
    const c: Crowd = { ...start };
    const rng = Rng.root(11);
    for (let i = 0; i < 200; i++) stepDiscreteChoice(c, 0.7, 2, 0.1, 4, rng, flows());
    const share = (c.plus + c.minus) / 400;
    assert.ok(Math.abs(share - 0.7) < 0.06, `share ${share} from ${JSON.stringify(start)}`);
    assert.equal(c.plus + c.minus + c.fund, 400);
  }
});

test("new chartists take the opinion of the chartist majority; groups keep their floor; nobody moves without revising", () => {
  const c: Crowd = { plus: 150, minus: 50, fund: 200 };
  const f = stepDiscreteChoice(c, 1, 5, 1, 4, Rng.root(2), flows());
  assert.equal(f.toFund, 0, "pChartist 1: no chartist leaves");
  assert.ok(f.toChartist > 150, `fundamentalists joined (${f.toChartist})`);
  assert.ok(c.plus - 150 > 2 * (c.minus - 50), `mostly as optimists (${c.plus - 150} vs ${c.minus - 50})`);
  assert.ok(c.fund >= 4, "the fundamentalists keep their floor");
  const d: Crowd = { plus: 20, minus: 20, fund: 20 };
  stepDiscreteChoice(d, 0, 100, 1, 6, Rng.root(3), flows());
  assert.deepEqual([d.plus, d.minus], [6, 6], "chartists leave down to the floor");
  const e: Crowd = { plus: 20, minus: 20, fund: 20 };
  stepDiscreteChoice(e, 0.9, 0, 1, 4, Rng.root(4), flows());
  assert.deepEqual(e, { plus: 20, minus: 20, fund: 20 }, "rate 0: no revision");
});
