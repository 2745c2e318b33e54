// One run as a worker task: build the named world, run it, write its outputs, return the summary.
import { runWorld, runWorldWithSeries, type RunSeries, type RunSummary } from "./run.ts";
import { withBots, type ExtraBot } from "./suite-bots.ts";

/** A run a worker executes. Plain data, so it crosses the thread boundary unchanged. */
export interface RunTask {
  readonly scenario: string;
  readonly seed: number;
  readonly durationNs?: number;
  readonly out: string;
  /** Also return the run's time series (for a suite report). */
  readonly series?: boolean;
  /** Bots added to the built-in scenario after its own (experiments/suite-bots.ts). */
  readonly bots?: readonly ExtraBot[];
}

/** What a worker returns: the summary, and the series when asked for. */
export type RunTaskResult = RunSummary & { readonly series?: RunSeries };

export default async function runTask(task: RunTask): Promise<RunTaskResult> {
  const spec = task.bots !== undefined && task.bots.length > 0 ? withBots(task.scenario, task.bots) : undefined;
  const opts = { ...task, spec, wallClock: () => performance.now() };
  if (task.series !== true) return runWorld(opts);
  const { summary, series } = await runWorldWithSeries(opts);
  return { ...summary, series };
}
