// The single-worker half of `npm run bench -- sim`, run inside a worker thread from the same
// kind of bundle a suite's workers load, so the rate is that of the code a suite runs.
import { buildScenario, builtinSpec } from "../scenarios/builtins.ts";

export interface RateTask {
  /** Simulated hours of `normal` per run. */
  readonly hours: number;
  /** Runs, the first one included. */
  readonly runs: number;
}

export interface RateRun {
  readonly seconds: number;
  /** Requests the venue processed plus fills. */
  readonly messages: number;
  /** Every event the kernel popped (ABIDES's count). */
  readonly kernelMessages: number;
  readonly digest: string;
}

const HOUR = 3_600_000_000_000;

export default async function rateTask(task: RateTask): Promise<RateRun[]> {
  const out: RateRun[] = [];
  for (let i = 0; i < task.runs; i++) {
    // The same world each time (same seed), so the runs differ only in time taken.
    const { kernel } = buildScenario(builtinSpec("normal"), 1);
    const t0 = process.hrtime.bigint();
    const s = await kernel.run(Math.round(task.hours * HOUR));
    out.push({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, messages: s.requests + s.events.trade, kernelMessages: s.messages, digest: s.digest });
  }
  return out;
}
