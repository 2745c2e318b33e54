// Runs (scenario, seed) pairs on worker threads; results come back in task order.
import { runParallel } from "../sim/parallel.ts";
import type { RunSummary } from "./run.ts";
import type { RunTask } from "./run-task.ts";

export interface RunManyOptions {
  readonly tasks: readonly RunTask[];
  readonly workers: number;
  readonly onDone?: (done: number, total: number, summary: RunSummary) => void;
}

/** Runs every task on `workers` threads; the summaries are in the order of `tasks`. */
export function runMany(opts: RunManyOptions): Promise<RunSummary[]> {
  return runParallel<RunTask, RunSummary>({
    worker: new URL("./run-worker.mjs", import.meta.url),
    tasks: opts.tasks,
    workers: opts.workers,
    onDone: opts.onDone === undefined ? undefined : (d, t, r) => opts.onDone!(d, t, r),
  });
}
