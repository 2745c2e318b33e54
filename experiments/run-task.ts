// One run as a worker task: build the named world, run it, write its outputs, return the summary.
import { runWorld, type RunSummary } from "./run.ts";

/** A run a worker executes. Plain data, so it crosses the thread boundary unchanged. */
export interface RunTask {
  readonly scenario: string;
  readonly seed: number;
  readonly durationNs?: number;
  readonly out: string;
}

export default async function runTask(task: RunTask): Promise<RunSummary> {
  return runWorld({ ...task, wallClock: () => performance.now() });
}
