// The Lux–Marchesi switching rule: traders move toward the better-paid strategy and herd on the majority opinion.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newRates, stepCrowd, transitionRates, type Crowd, type SwitchingRule } from "../../agents/switching-rule.ts";
import { Rng } from "../../sim/rng.ts";

const RULE: SwitchingRule = { v1: 3, v2: 2, alpha1: 0.8, alpha2: 0, alpha3: 1000, s: 0.75, minGroup: 4 };
const flows = () => ({ toFund: 0, toChartist: 0, flips: 0 });

/** Chartist share after `steps` steps of 0.1 unit from an even crowd, market view fixed. */
function chartistShare(trend: number, gap: number, rule = RULE, steps = 50): number {
  const c: Crowd = { plus: 100, minus: 100, fund: 200 };
  const rng = Rng.root(7);
  const r = newRates();
  for (let i = 0; i < steps; i++) stepCrowd(c, transitionRates(c, { trend, gap }, rule, r), 0.1, rule.minGroup, rng, flows());
  return (c.plus + c.minus) / (c.plus + c.minus + c.fund);
}

test("a large gap between price and value pays fundamentalists: chartists become fundamentalists", () => {
  const r = transitionRates({ plus: 100, minus: 100, fund: 200 }, { trend: 0, gap: 0.01 }, RULE, newRates());
  assert.ok(r.plusToFund > r.fundToPlus && r.minusToFund > r.fundToMinus, "rates favour the fundamentalists");
  assert.ok(chartistShare(0, 0.01) < 0.1, "the chartists' share falls toward its floor");
});

test("a strong trend pays the chartists who ride it: fundamentalists become optimists in a rise", () => {
  const r = transitionRates({ plus: 100, minus: 100, fund: 200 }, { trend: 0.01, gap: 0 }, RULE, newRates());
  assert.ok(r.fundToPlus > r.plusToFund, "optimists gain from a rise");
  assert.ok(r.fundToMinus < r.minusToFund, "pessimists lose from it");
  const c: Crowd = { plus: 100, minus: 100, fund: 200 };
  stepCrowd(c, r, 0.5, 4, Rng.root(3), flows());
  assert.ok(c.plus > 100 && c.minus < 100, `optimists grew, pessimists shrank (${c.plus}, ${c.minus})`);
});

test("with no profit differential the shares only drift: neither strategy is favoured", () => {
  const r = transitionRates({ plus: 100, minus: 100, fund: 200 }, { trend: 0, gap: 0 }, RULE, newRates());
  assert.equal(r.fundToPlus * 200, r.plusToFund * 100, "flows in and out of the optimists balance");
});

test("herding: chartists flip toward the majority opinion, faster the larger it is", () => {
  const lean = transitionRates({ plus: 150, minus: 50, fund: 200 }, { trend: 0, gap: 0 }, RULE, newRates());
  assert.ok(lean.minusToPlus > lean.plusToMinus, "pessimists join the optimist majority");
  const even = transitionRates({ plus: 100, minus: 100, fund: 200 }, { trend: 0, gap: 0 }, RULE, newRates());
  assert.equal(even.minusToPlus, even.plusToMinus, "no majority, no pull");
  // Above the critical herding (α1 > 1) a majority feeds itself; without herding it dissolves.
  const strong = { ...RULE, alpha1: 2 };
  const c: Crowd = { plus: 150, minus: 50, fund: 200 };
  stepCrowd(c, transitionRates(c, { trend: 0, gap: 0 }, strong, newRates()), 0.2, 4, Rng.root(5), flows());
  assert.ok(c.plus > 150, `the majority grew (${c.plus})`);
  const none = { ...RULE, alpha1: 0 };
  const d: Crowd = { plus: 150, minus: 50, fund: 200 };
  stepCrowd(d, transitionRates(d, { trend: 0, gap: 0 }, none, newRates()), 0.2, 4, Rng.root(5), flows());
  assert.ok(d.plus < 150, `the majority shrank (${d.plus})`);
});

test("a step keeps the crowd's size and every group at its floor or above", () => {
  const c: Crowd = { plus: 5, minus: 5, fund: 390 };
  const r = transitionRates(c, { trend: 0, gap: 0.05 }, RULE, newRates());
  const f = flows();
  stepCrowd(c, r, 10, 4, Rng.root(1), f);
  assert.equal(c.plus + c.minus + c.fund, 400);
  assert.ok(c.plus >= 4 && c.minus >= 4, `floors kept (${c.plus}, ${c.minus})`);
  assert.ok(f.toFund > 0, "some chartists left");
});
