// Runs (scenario, seed) pairs on worker threads; results come back in task order.
import { runParallel } from "../sim/parallel.ts";
import type { RunTask, RunTaskResult } from "./run-task.ts";

export interface RunManyOptions {
  readonly tasks: readonly RunTask[];
  readonly workers: number;
  readonly onDone?: (done: number, total: number, summary: RunTaskResult) => void;
}

/** Runs every task on `workers` threads; the summaries are in the order of `tasks`. */
export function runMany(opts: RunManyOptions): Promise<RunTaskResult[]> {
  return runParallel<RunTask, RunTaskResult>({
    worker: new URL("./run-worker.mjs", import.meta.url),
    module: new URL("./run-task.ts", import.meta.url),
    tasks: opts.tasks,
    workers: opts.workers,
    onDone: opts.onDone === undefined ? undefined : (d, t, r) => opts.onDone!(d, t, r),
  });
}
