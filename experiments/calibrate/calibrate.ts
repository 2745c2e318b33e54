// The method of simulated moments for a scenario: each candidate run on the same N seeds (worker threads), the (1+λ) search over the parameter table.
import { runParallel } from "../../sim/parallel.ts";
import type { Facts } from "../facts.ts";
import type { WorldFactsResult, WorldFactsTask } from "../world-facts-task.ts";
import { momentWeights, objective, type MomentWeight } from "./moments.ts";
import { fromUnit, toUnit, valueIn, withValues, type CalibrationParam } from "./params.ts";
import { minimise } from "./search.ts";

type RawSpec = Record<string, unknown>;

export interface CalibrateOptions {
  /** The scenario as its file holds it (a built-in's object, or a file's JSON). */
  readonly spec: RawSpec;
  /** The real facts to match. */
  readonly real: Facts;
  /** The parameters to move (each must apply to the scenario). */
  readonly params: readonly CalibrationParam[];
  /** Worlds per candidate: seeds 1..seeds, the same for every candidate (common random numbers). */
  readonly seeds: number;
  /** Candidates evaluated in all, the scenario as given included. */
  readonly budget: number;
  /** Seeds the search. */
  readonly seed: number;
  /** Simulated duration of every world, ns. */
  readonly durationNs: number;
  readonly workers: number;
  /** Progress: worlds run so far of all, candidates evaluated so far of the budget, the best objective. */
  readonly onProgress?: (p: { runs: number; totalRuns: number; evaluated: number; budget: number; best: number }) => void;
}

/** A candidate with its seeds' facts. */
export interface Candidate {
  readonly index: number;
  /** Parameter values by name. */
  readonly values: Readonly<Record<string, number>>;
  readonly objective: number;
  readonly spec: RawSpec;
  /** One per seed, seed 1 first. */
  readonly facts: readonly Facts[];
}

export interface Calibration {
  readonly weights: readonly MomentWeight[];
  /** The scenario as given, and the best candidate (the same when nothing beat it). */
  readonly before: Candidate;
  readonly after: Candidate;
  /** Every candidate's values and objective, in the order evaluated. */
  readonly evaluations: readonly { readonly index: number; readonly values: Readonly<Record<string, number>>; readonly objective: number }[];
}

/**
 * Runs the scenario as given on seeds 1..N, fixes the moment weights from its seeds' spread,
 * then searches the parameters (log-scaled to [0, 1] between their bounds) for the lowest
 * objective within the budget. A function of its options: the same whatever `workers`.
 */
export async function calibrate(o: CalibrateOptions): Promise<Calibration> {
  const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  const totalRuns = o.budget * o.seeds;
  let runs = 0;
  let evaluated = 0;
  let best = NaN;
  const progress = () => o.onProgress?.({ runs, totalRuns, evaluated, budget: o.budget, best });
  /** The facts of each spec on every seed: one pool of workers for the whole batch. */
  const run = async (specs: readonly RawSpec[]): Promise<Facts[][]> => {
    const tasks: WorldFactsTask[] = specs.flatMap((spec) => seeds.map((seed) => ({ spec, seed, durationNs: o.durationNs })));
    const results = await runParallel<WorldFactsTask, WorldFactsResult>({
      worker: new URL("../world-facts-worker.mjs", import.meta.url),
      module: new URL("../world-facts-task.ts", import.meta.url),
      tasks,
      workers: o.workers,
      onDone: () => {
        runs++;
        progress();
      },
    });
    const facts = results.map((r) => r.facts);
    return specs.map((_, i) => facts.slice(i * o.seeds, (i + 1) * o.seeds));
  };
  const named = (values: readonly number[]) => Object.fromEntries(o.params.map((p, i) => [p.name, values[i]]));

  const [startFacts] = await run([o.spec]);
  const weights = momentWeights(o.real, startFacts);
  const startValues = o.params.map((p) => valueIn(o.spec, p));
  const before: Candidate = { index: 0, values: named(startValues), objective: objective(weights, startFacts), spec: o.spec, facts: startFacts };
  evaluated = 1;
  best = before.objective;
  progress();
  const candidates: Candidate[] = [before];
  const result = await minimise({
    start: o.params.map((p, i) => toUnit(p, startValues[i])),
    startObjective: before.objective,
    budget: o.budget - 1,
    seed: o.seed,
    evaluate: async (points) => {
      const values = points.map((u) => o.params.map((p, i) => fromUnit(p, u[i])));
      const specs = values.map((v) => withValues(o.spec, o.params, v));
      const facts = await run(specs);
      return facts.map((f, i) => {
        const c: Candidate = { index: candidates.length, values: named(values[i]), objective: objective(weights, f), spec: specs[i], facts: f };
        candidates.push(c);
        return c.objective;
      });
    },
    onGeneration: (n, b) => {
      evaluated = n;
      best = b.objective;
      progress();
    },
  });
  return {
    weights,
    before,
    after: candidates[result.best.index],
    evaluations: candidates.map((c) => ({ index: c.index, values: c.values, objective: c.objective })),
  };
}
