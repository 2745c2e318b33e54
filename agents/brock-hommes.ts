// Brock–Hommes (1998) discrete choice for a switching crowd: strategies chosen by a logit on their realised fitness.
import type { Rng } from "../sim/rng.ts";
import type { Crowd, Flows } from "./switching-rule.ts";

/** Exponents are clamped so the logit stays finite whatever the fitness gap. */
const U_MAX = 50;

/**
 * The share of revising traders who pick chartism: n_c = e^{β U_c} / (e^{β U_c} + e^{β U_f}),
 * written as a logistic in the fitness difference so it cannot overflow.
 * @param beta β, the intensity of choice (0: a coin flip whatever the profits; large: all pick the best).
 */
export function chartistProbability(beta: number, fitChartist: number, fitFund: number): number {
  const u = Math.max(-U_MAX, Math.min(U_MAX, beta * (fitFund - fitChartist)));
  return 1 / (1 + Math.exp(u));
}

/**
 * Fitness as Brock–Hommes accumulate it: U(t) = π(t) + η U(t−1), π the profit realised over the
 * last step by one trader of the strategy (its demand then times the price change since), less
 * the strategy's cost per step.
 */
export function nextFitness(previous: number, profit: number, memory: number, cost = 0): number {
  return profit - cost + memory * previous;
}

/**
 * Moves each trader of `c` (in place) through one step of asynchronous discrete choice: a
 * trader revises with probability 1 − e^{−rate·dt} and then picks chartism with probability
 * `pChartist`; a new chartist takes the opinion of a chartist drawn at random (optimist with
 * probability n+/nc at the step's start, an even draw with no chartists), which is where herding
 * enters the strategy choice. A group never drops below `minGroup`. One or two uniforms per
 * trader in a fixed order: deterministic for a stream.
 */
export function stepDiscreteChoice(c: Crowd, pChartist: number, rate: number, dtUnits: number, minGroup: number, rng: Rng, flows: Flows): Flows {
  flows.toFund = 0;
  flows.toChartist = 0;
  flows.flips = 0;
  const pRevise = rate > 0 ? 1 - Math.exp(-rate * dtUnits) : 0;
  const nc = c.plus + c.minus;
  const pOptimist = nc > 0 ? c.plus / nc : 0.5;
  let plusOut = 0;
  let minusOut = 0;
  for (let i = 0; i < c.plus; i++) if (rng.next() < pRevise && rng.next() >= pChartist && c.plus - plusOut > minGroup) plusOut++;
  for (let i = 0; i < c.minus; i++) if (rng.next() < pRevise && rng.next() >= pChartist && c.minus - minusOut > minGroup) minusOut++;
  let toPlus = 0;
  let toMinus = 0;
  for (let i = 0; i < c.fund; i++) {
    if (rng.next() >= pRevise || rng.next() >= pChartist || c.fund - toPlus - toMinus <= minGroup) continue;
    if (rng.next() < pOptimist) toPlus++;
    else toMinus++;
  }
  c.plus += toPlus - plusOut;
  c.minus += toMinus - minusOut;
  c.fund += plusOut + minusOut - toPlus - toMinus;
  flows.toFund = plusOut + minusOut;
  flows.toChartist = toPlus + toMinus;
  return flows;
}
