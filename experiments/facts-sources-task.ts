// One run of `facts-sources` as a worker task: build a scenario from its raw spec, run it unrecorded, return the stylized facts of its 1-minute bars.
import { SwitchingTraders } from "../agents/switching-traders.ts";
import { buildScenario, typeRegistry } from "../scenarios/build.ts";
import { parseScenario } from "../scenarios/spec.ts";
import { stylizedFacts, type Facts } from "./facts.ts";

/** Plain data, so it crosses the thread boundary unchanged. */
export interface FactsTask {
  /** A scenario as a file would hold it (validated in the worker). */
  readonly spec: unknown;
  readonly seed: number;
}

export interface FactsTaskResult {
  readonly facts: Facts;
  readonly digest: string;
  /** Mean share of chartists among the switching traders, sampled each minute (null without them). */
  readonly chartistShare: number | null;
}

export default async function factsTask(task: FactsTask): Promise<FactsTaskResult> {
  const spec = parseScenario(task.spec, typeRegistry());
  const { kernel } = buildScenario(spec, task.seed);
  const crowds: SwitchingTraders[] = [];
  for (let id = 0; id < kernel.agentCount; id++) {
    const a = kernel.agent(id);
    if (a instanceof SwitchingTraders) crowds.push(a);
  }
  let shareSum = 0;
  let samples = 0;
  if (crowds.length > 0) {
    kernel.every(60_000_000_000, () => {
      for (const c of crowds) shareSum += (c.crowd.plus + c.crowd.minus) / (c.crowd.plus + c.crowd.minus + c.crowd.fund);
      samples += crowds.length;
    });
  }
  const stats = await kernel.run(spec.duration);
  kernel.bars.finish(spec.duration);
  const facts = stylizedFacts({ close: kernel.bars.closes(), volume: kernel.bars.volumes() });
  return { facts, digest: stats.digest, chartistShare: samples > 0 ? shareSum / samples : null };
}
