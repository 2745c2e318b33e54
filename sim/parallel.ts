// Many runs across worker threads (piscina): one run per worker at a time, results in task order.
import { Piscina } from "piscina";
import { workerBundle } from "./worker-bundle.ts";

export interface ParallelOptions<T, R> {
  /** Module run in each worker; its default export maps one task to one result. */
  readonly worker: URL;
  /**
   * The TypeScript module `worker` loads through tsx. When given, workers load a prebuilt
   * bundle of it instead (see worker-bundle.ts), and `worker` only if that cannot be built.
   */
  readonly module?: URL;
  readonly tasks: readonly T[];
  /** Worker threads, a positive integer. */
  readonly workers: number;
  /** Called as each task finishes, in completion order (for progress display only). */
  readonly onDone?: (done: number, total: number, result: R, task: T) => void;
}

/**
 * Runs every task on a pool of `workers` threads and returns the results in the order of
 * `tasks`, whatever order they finished in: with runs that are pure functions of their task,
 * the output is identical on 1 worker or N. Nothing mutable is shared between threads;
 * each task builds its own world.
 * @throws Error naming `workers` and its value when it is not a positive integer, or the
 *   first task's error (the others are still awaited so no thread is left running).
 */
export async function runParallel<T, R>(opts: ParallelOptions<T, R>): Promise<R[]> {
  const { workers, tasks } = opts;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers: ${workers} must be a positive integer`);
  const bundle = opts.module === undefined ? undefined : await workerBundle(opts.module);
  const pool = new Piscina<T, R>({
    filename: (bundle ?? opts.worker).href,
    minThreads: Math.min(workers, Math.max(1, tasks.length)),
    maxThreads: workers,
    // One task per thread at a time: runs are CPU-bound and must not share a thread's time.
    concurrentTasksPerWorker: 1,
    idleTimeout: 1000,
  });
  let done = 0;
  try {
    const settled = await Promise.allSettled(
      tasks.map(async (t) => {
        const r = await pool.run(t);
        done++;
        opts.onDone?.(done, tasks.length, r, t);
        return r;
      }),
    );
    const failed = settled.find((s) => s.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
  } finally {
    await pool.destroy();
  }
}
