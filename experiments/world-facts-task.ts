// One world as a worker task, unrecorded: build a scenario from its raw spec, run it, return its 1-minute bars' stylized facts (calibrate, facts-sources, tools/normal-facts).
import { SwitchingTraders } from "../agents/switching-traders.ts";
import { buildScenario, typeRegistry } from "../scenarios/build.ts";
import { parseScenario } from "../scenarios/spec.ts";
import { stylizedFacts, type Facts } from "./facts.ts";
import { meanAtrPct } from "./moves.ts";

/** A run a worker executes. Plain data, so it crosses the thread boundary unchanged. */
export interface WorldFactsTask {
  /** A scenario as its file holds it (checked again here, so what runs is what the file holds). */
  readonly spec: unknown;
  readonly seed: number;
  /** Simulated duration, ns; the scenario's own when absent. */
  readonly durationNs?: number;
}

export interface WorldFactsResult {
  readonly seed: number;
  readonly facts: Facts;
  /** Mean true range of the 1-minute bars, percent of price (high-volatility's reference), null without bars. */
  readonly atrPct: number | null;
  readonly digest: string;
  /** Mean share of chartists among switching traders, sampled each minute; null without them. */
  readonly chartistShare: number | null;
}

/**
 * The facts of the 1-minute bars `arena run FILE --seed S --duration D` writes to bars.arrow,
 * without recording the run: the bars come from the kernel's own bar builder, in the units
 * bars.arrow is written in.
 */
export default async function worldFactsTask(task: WorldFactsTask): Promise<WorldFactsResult> {
  const spec = parseScenario(task.spec, typeRegistry());
  const durationNs = task.durationNs ?? spec.duration;
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
  const stats = await kernel.run(durationNs);
  kernel.bars.finish(durationNs);
  const close = kernel.bars.closes();
  return {
    seed: task.seed,
    facts: stylizedFacts({ close, volume: kernel.bars.volumes() }),
    atrPct: meanAtrPct(kernel.bars.highs(), kernel.bars.lows(), close),
    digest: stats.digest,
    chartistShare: samples > 0 ? shareSum / samples : null,
  };
}
