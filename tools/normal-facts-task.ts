// One run of a candidate `normal` for tools/normal-facts.ts: build, run, and return its 1-minute bars' stylized facts.
import { meanAtrPct } from "../experiments/moves.ts";
import { ohlcvFromArrow } from "../experiments/ohlcv.ts";
import { stylizedFacts, type Facts } from "../experiments/facts.ts";
import { buildScenario, typeRegistry } from "../scenarios/build.ts";
import { parseScenario } from "../scenarios/spec.ts";

/** A candidate scenario (raw spec, validated here) and a seed; plain data for the worker boundary. */
export interface FactsTask {
  readonly spec: unknown;
  readonly seed: number;
  readonly durationNs: number;
}

export interface FactsResult {
  readonly seed: number;
  readonly facts: Facts;
  /** Mean true range of the 1-minute bars, percent of price (what high-volatility's reference is). */
  readonly atrPct: number | null;
}

/** Runs the world with no recorder attached: only the kernel's own 1-minute bars are kept. */
export default async function runFactsTask(task: FactsTask): Promise<FactsResult> {
  const spec = parseScenario(task.spec, typeRegistry());
  const { kernel } = buildScenario(spec, task.seed);
  await kernel.run(task.durationNs);
  kernel.bars.finish(task.durationNs);
  const bars = ohlcvFromArrow(kernel.bars.fileBytes(), `seed ${task.seed}`);
  return { seed: task.seed, facts: stylizedFacts(bars), atrPct: meanAtrPct(bars.high, bars.low, bars.close) };
}
