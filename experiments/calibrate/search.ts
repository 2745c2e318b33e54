// A seeded, derivative-free minimiser on the unit cube: a (1+λ) evolution strategy with a success rule for its step.
import { Rng } from "../../sim/rng.ts";

/** Children per generation: evaluated together, so a generation's runs share one pool of workers. */
export const LAMBDA = 4;
/** First step: the standard deviation of a mutation, as a share of each parameter's log-range. */
export const STEP0 = 0.15;
/** The step grows by STEP_UP after a generation that improved, shrinks by STEP_DOWN after one that did not (it settles where about half the generations succeed). */
export const STEP_UP = 1.25;
export const STEP_DOWN = 0.8;
export const STEP_MIN = 0.01;
export const STEP_MAX = 0.5;

/** One evaluated candidate. */
export interface Evaluated {
  /** 0-based, in the order candidates were drawn (the start is 0). */
  readonly index: number;
  readonly point: readonly number[];
  readonly objective: number;
}

export interface SearchOptions {
  /** Where the search starts, each coordinate in [0, 1], and its objective (already evaluated). */
  readonly start: readonly number[];
  readonly startObjective: number;
  /** Candidates to evaluate after the start. */
  readonly budget: number;
  /** Seeds the mutations: the same seed draws the same candidates. */
  readonly seed: number;
  /** The objectives of `points`, in their order; must be a pure function of each point. */
  evaluate(points: readonly (readonly number[])[]): Promise<number[]>;
  /** After each generation: the candidates evaluated so far, the best and the step. */
  onGeneration?(evaluated: number, best: Evaluated, step: number): void;
}

/** A coordinate reflected back into [0, 1] at the bounds (a step past one lands as far inside). */
export function reflect(u: number): number {
  let x = u;
  while (x < 0 || x > 1) x = x < 0 ? -x : 2 - x;
  return x;
}

/**
 * Minimises from `start`: each generation draws min(LAMBDA, budget left) children, each the
 * incumbent plus Gaussian noise of the current step on every coordinate (reflected at the
 * bounds); the best child replaces the incumbent when strictly better (ties go to the earlier
 * candidate). The candidates depend only on `seed` and the objectives seen, so with a pure
 * `evaluate` the whole search is a function of (start, budget, seed).
 */
export async function minimise(o: SearchOptions): Promise<{ best: Evaluated; all: Evaluated[] }> {
  const rng = Rng.root(o.seed).fork("calibrate/search");
  let best: Evaluated = { index: 0, point: [...o.start], objective: o.startObjective };
  const all: Evaluated[] = [best];
  let step = STEP0;
  let left = o.budget;
  while (left > 0) {
    const n = Math.min(LAMBDA, left);
    const points = Array.from({ length: n }, () => best.point.map((u) => reflect(u + step * rng.normal())));
    const objectives = await o.evaluate(points);
    let improved = false;
    points.forEach((point, i) => {
      const e: Evaluated = { index: all.length, point, objective: objectives[i] };
      all.push(e);
      if (e.objective < best.objective) {
        best = e;
        improved = true;
      }
    });
    step = Math.min(STEP_MAX, Math.max(STEP_MIN, step * (improved ? STEP_UP : STEP_DOWN)));
    left -= n;
    o.onGeneration?.(all.length, best, step);
  }
  return { best, all };
}
