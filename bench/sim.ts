// `npm run bench -- sim`: simulated messages per second of `normal` on one worker, and the
// speed-up of 2 workers over 1 on a 16-run suite. The rate is measured in a worker thread
// running the bundle a suite's workers run (sim/worker-bundle.ts), past its first run, as
// every worker of a suite is; the first run's, compilation included, is printed apart.
// Results are printed, not kept here; past ones are in docs/performance.md.
//
// Messages are what crosses between agents and the venue that a market is made of: requests
// the venue processes (orders, cancels, amends, and the bots' queries) plus fills (trades).
// The kernel's own bookkeeping (wake-ups, deliveries) is not counted in that figure. Reference
// from the issue: ABIDES's reference day (1,117 agents) runs at about 53,000 messages/s on this
// machine class; it is Python and cannot run in this process, so its figure is quoted, not
// measured. ABIDES's kernel counts every event it pops (wake-ups and every message, answers and
// fill notices included: `ttl_messages` in its Kernel.runner), so the like-for-like comparison
// with its figure is our kernel's own count, printed beside the strict one.
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { runMany } from "../experiments/run-many.ts";
import { builtinSpec } from "../scenarios/builtins.ts";
import { runParallel } from "../sim/parallel.ts";
import { workerBundle } from "../sim/worker-bundle.ts";
import type { BenchArgs } from "./main.ts";
import type { RateRun, RateTask } from "./sim-rate-task.ts";

const HOUR = 3_600_000_000_000;
const MINUTE = 60_000_000_000;
const ABIDES_MESSAGES_PER_SEC = 53_000;
const SUITE_RUNS = 16;
/**
 * Suites timed on 1 worker then on 2, alternately; the speed-up is the median of the pairs'
 * ratios, since one pair's ratio varies from one try to the next on a shared machine.
 */
const SUITE_PAIRS = 3;
/**
 * Timed runs on the worker after the first; the median is reported, since a shared machine's
 * speed drifts over minutes.
 */
const TIMED_RUNS = 5;

interface ThreadRate {
  readonly perSec: number;
  readonly messages: number;
  readonly seconds: number;
  readonly kernelPerSec: number;
  readonly kernelMessages: number;
  /** messages/s of each timed run, in run order. */
  readonly runs: number[];
  /** messages/s of the first run on this thread, JIT compilation included. */
  readonly firstRun: number;
}

/**
 * The first run on a thread is slower than the ones after it (V8 compiles the hot code while
 * it runs), so it is reported on its own and the rate is that of the runs after it: a worker
 * running a suite is in that state from its second run on.
 */
async function messagesPerSec(hours: number): Promise<ThreadRate> {
  const [timed] = await runParallel<RateTask, RateRun[]>({
    worker: new URL("./sim-rate-worker.mjs", import.meta.url),
    module: new URL("./sim-rate-task.ts", import.meta.url),
    tasks: [{ hours, runs: TIMED_RUNS + 1 }],
    workers: 1,
  });
  if (new Set(timed.map((t) => t.digest)).size !== 1) throw new Error(`sim bench: the same world gave different digests: ${timed.map((t) => t.digest).join(", ")}`);
  const [first, ...rest] = timed;
  const median = [...rest].sort((a, b) => a.seconds - b.seconds)[TIMED_RUNS >> 1];
  return {
    perSec: median.messages / median.seconds, messages: median.messages, seconds: median.seconds,
    kernelPerSec: median.kernelMessages / median.seconds, kernelMessages: median.kernelMessages,
    runs: rest.map((t) => Math.round(t.messages / t.seconds)),
    firstRun: Math.round(first.messages / first.seconds),
  };
}

interface SuiteTiming {
  readonly seconds: number;
  /** CPU seconds of the whole process (every thread: workers, V8's compiler and GC helpers, main). */
  readonly cpuSeconds: number;
}

/**
 * What `arena suite --scenarios normal --seeds 16 --workers W` does, minus the report: each
 * run at the scenario's own duration (one simulated day), recorded to Arrow, series returned.
 */
async function suite(workers: number, dir: string, durationNs?: number, runs = SUITE_RUNS): Promise<SuiteTiming> {
  const tasks = Array.from({ length: runs }, (_, i) => ({ scenario: "normal", seed: i + 1, durationNs, series: true, out: join(dir, `w${workers}`, `s${i + 1}`) }));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await runMany({ tasks, workers });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { seconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

export async function run(args: BenchArgs): Promise<void> {
  const say = args.json ? (_: string) => {} : (line: string) => void process.stdout.write(`${line}\n`);
  const hours = 12;
  const days = builtinSpec("normal").duration / (24 * HOUR);
  say(`sim benchmark: normal, ${hours} simulated hours on one worker (the median of ${TIMED_RUNS} runs after a first one); then ${SUITE_RUNS} runs of normal (${days} simulated day each, recorded) on 1 and 2 workers, ${SUITE_PAIRS} times (Node ${process.version})`);
  const m = await messagesPerSec(hours);
  // Built once per process (memoised), so this only reports which code the workers ran.
  const bundled = (await workerBundle(new URL("./sim-rate-task.ts", import.meta.url))) !== undefined;
  const dir = await mkdtemp(join(tmpdir(), "arena-bench-sim-"));
  try {
    // Warm-up of the pool path: a fresh pool starts fresh threads, so this only warms the
    // transform and file caches that every worker start reads.
    await suite(2, join(dir, "warm"), 10 * MINUTE, 2);
    const pairs: { one: SuiteTiming; two: SuiteTiming; speedup: number }[] = [];
    for (let k = 0; k < SUITE_PAIRS; k++) {
      // Each suite's files are removed before the next starts, so every suite writes into the
      // same amount of free memory (fresh page-cache pages cost this VM far more to fill).
      const one = await suite(1, join(dir, `p${k}`));
      await rm(join(dir, `p${k}`), { recursive: true, force: true });
      const two = await suite(2, join(dir, `p${k}`));
      await rm(join(dir, `p${k}`), { recursive: true, force: true });
      pairs.push({ one, two, speedup: one.seconds / two.seconds });
      say(`  suite pair ${k + 1}/${SUITE_PAIRS}: 1 worker ${one.seconds.toFixed(1)} s, 2 workers ${two.seconds.toFixed(1)} s (${(one.seconds / two.seconds).toFixed(2)}x)`);
    }
    const { one, two, speedup } = [...pairs].sort((a, b) => a.speedup - b.speedup)[SUITE_PAIRS >> 1];
    const cores1 = one.cpuSeconds / one.seconds;
    const cores2 = two.cpuSeconds / two.seconds;
    const cores = availableParallelism();
    const ceiling = speedupCeiling(cores, cores1, 2);
    if (args.json) {
      const out = {
        messagesPerSec: Math.round(m.perSec), speedup2Workers: round2(speedup), kernelMessagesPerSec: Math.round(m.kernelPerSec), messagesPerSecRuns: m.runs, messagesPerSecFirstRun: m.firstRun,
        suiteSeconds1Worker: round2(one.seconds), suiteSeconds2Workers: round2(two.seconds), coresBusy1Worker: round2(cores1), coresBusy2Workers: round2(cores2),
        speedup2WorkersPairs: pairs.map((p) => round2(p.speedup)), workerBundled: bundled, speedup2WorkersCeiling: round2(ceiling),
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    say("");
    say(`messages/s, one worker   ${Math.round(m.perSec).toLocaleString("en-US")}  (${m.messages.toLocaleString("en-US")} messages in ${m.seconds.toFixed(2)} s; runs: ${m.runs.map((r) => r.toLocaleString("en-US")).join(", ")}; ${bundled ? "bundled worker" : "tsx worker: the bundle could not be built"})`);
    say(`  first run of a worker   ${m.firstRun.toLocaleString("en-US")}  (V8 still compiling; not counted above)`);
    say(`  vs ABIDES (quoted)      ${(m.perSec / ABIDES_MESSAGES_PER_SEC).toFixed(1)}x   target >= 1,000,000/s and >= 20x`);
    say(`kernel events/s          ${Math.round(m.kernelPerSec).toLocaleString("en-US")}  (${m.kernelMessages.toLocaleString("en-US")}: wake-ups, requests, deliveries; ABIDES's own way of counting)`);
    say(`  vs ABIDES, same count   ${(m.kernelPerSec / ABIDES_MESSAGES_PER_SEC).toFixed(1)}x`);
    say(`${SUITE_RUNS}-run suite             1 worker ${one.seconds.toFixed(1)} s, 2 workers ${two.seconds.toFixed(1)} s: speed-up ${speedup.toFixed(2)}x (the median of ${SUITE_PAIRS} pairs: ${pairs.map((p) => p.speedup.toFixed(2)).join(", ")})`);
    say(`  ceiling                ${ceiling.toFixed(2)}x  = min(2 workers, cores / cores busy with 1 worker) = min(2, ${cores} / ${cores1.toFixed(2)}): what 2 workers could reach if each ran as fast as 1 alone, given the CPU 1 worker already uses`);
    // One worker's run also keeps part of the second core busy (V8 compiles and collects
    // garbage on helper threads); two workers have no spare core for that work, hence the ceiling.
    say(`  cores busy             1 worker ${cores1.toFixed(2)}, 2 workers ${cores2.toFixed(2)} (process CPU time / wall time; this machine has ${cores})`);
    // Below one core with two workers, other processes held the CPU: the ceiling then says nothing.
    if (cores2 < 1) say(`  note                   2 workers got less than one core: the machine was shared, so the speed-up and its ceiling measure the load, not this code`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The most `workers` workers can speed a suite up over one, given that one worker's process
 * already keeps `cores1Worker` of the machine's `cores` busy (V8's compiler and GC threads beside
 * the worker): min(workers, cores / cores1Worker). Not a target: a bound set by the machine.
 */
export function speedupCeiling(cores: number, cores1Worker: number, workers: number): number {
  return Math.min(workers, cores / cores1Worker);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
