// One world of a calibration candidate as a worker task: parse the scenario, run it for the duration, return its bars' stylized facts.
import { buildScenario, typeRegistry } from "../../scenarios/build.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { stylizedFacts, type Facts } from "../facts.ts";

/** A run a worker executes. Plain data, so it crosses the thread boundary unchanged. */
export interface FactsTask {
  /** A scenario as its file holds it (checked again here, so what runs is what scenario.json holds). */
  readonly spec: unknown;
  readonly seed: number;
  /** Simulated duration, ns. */
  readonly durationNs: number;
}

/**
 * The facts of the 1-minute bars `arena run FILE --seed S --duration D` writes to bars.arrow,
 * without recording the run: the bars come from the kernel's own bar builder, in the units
 * bars.arrow is written in.
 */
export default async function factsTask(task: FactsTask): Promise<Facts> {
  const spec = parseScenario(task.spec, typeRegistry());
  const { kernel } = buildScenario(spec, task.seed);
  await kernel.run(task.durationNs);
  kernel.bars.finish(task.durationNs);
  return stylizedFacts({ close: kernel.bars.closes(), volume: kernel.bars.volumes() });
}
