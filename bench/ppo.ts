// `npm run bench -- ppo`: MarketEnv steps/s on normal (one thread, then 2 worker threads) and PPO update samples/s on market observations.
import { MarketEnv } from "../experiments/rl/envs/market.ts";
import { MARKET_PPO } from "../experiments/rl/env-spec.ts";
import { trainPpo } from "../experiments/rl/ppo.ts";
import { builtinSpec } from "../scenarios/builtins.ts";
import { runParallel } from "../sim/parallel.ts";
import { SECOND } from "../sim/clock.ts";
import { buildScenario } from "../scenarios/build.ts";
import type { BenchArgs } from "./main.ts";
import envRateTask, { type EnvRate, type EnvRateTask } from "./ppo-env-task.ts";
import { memoryEnvRate } from "./ppo-memory.ts";
import { measureRolloutStepsPerSec } from "./ppo-rollouts.ts";

const DEFAULT_STEPS = 36_000;

/**
 * Total env steps/s of `workers` threads each stepping its own env for `steps` steps: the env
 * alone, without a policy (the training's own collector is timed beside it).
 */
export async function envStepsPerSecWorkers(workers: number, steps: number): Promise<number> {
  const rates = await runParallel<EnvRateTask, EnvRate>({
    worker: new URL("./ppo-env-worker.mjs", import.meta.url),
    module: new URL("./ppo-env-task.ts", import.meta.url),
    tasks: Array.from({ length: workers }, (_, i) => ({ steps, seed: 100 + i })),
    workers,
  });
  // Over each thread's timed window (after its warm-up episode), to the slowest: the pool's start-up is not env stepping.
  const slowest = Math.max(...rates.map((r) => r.seconds));
  return (workers * steps) / slowest;
}

/** The kernel alone, stepped second by second through the same simulated time: the env's floor. */
function kernelStepsPerSec(steps: number): number {
  const spec = { ...builtinSpec("normal"), bots: [] };
  let done = 0;
  let seconds = 0;
  for (let seed = 1; done < steps; seed++) {
    const { kernel } = buildScenario(spec, seed);
    kernel.runUntilSync(1800 * SECOND);
    const t0 = process.hrtime.bigint();
    for (let s = 1; s <= 3600 && done < steps; s++, done++) kernel.runUntilSync((1800 + s) * SECOND);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
  }
  return steps / seconds;
}

export async function run(args: BenchArgs): Promise<void> {
  const steps = args.ops ?? DEFAULT_STEPS;
  const say = args.json ? (_: string) => {} : (line: string) => void process.stdout.write(`${line}\n`);
  say(`ppo benchmark: MarketEnv on normal, a decision every simulated second, 1 h episodes after 30 min of warm-up; ${steps} timed steps per thread (Node ${process.version})`);
  const one = envRateTask({ steps, seed: 1 });
  const envStepsPerSec = one.steps / one.seconds;
  const kernelOnly = kernelStepsPerSec(Math.min(steps, 10_800));
  say(`env steps/s, one thread     ${Math.round(envStepsPerSec)}  (${one.seconds.toFixed(2)} s, of which resets ${one.resetSeconds.toFixed(2)} s; the kernel alone in the same 1 s steps: ${Math.round(kernelOnly)}/s)`);
  const small = await memoryEnvRate(steps, 1500);
  const large = await memoryEnvRate(steps, 28_800);
  for (const m of [small, large]) {
    say(`env steps/s, memory features ${Math.round(m.memory)} against ${Math.round(m.plain)} without (${(m.memory / m.plain).toFixed(2)}×; ${m.points} states of the real file, ${m.indexed ? "HNSW" : "exact scan"}, asked once per new candle; 242 min warm-up, resets excluded)`);
  }
  const envStepsPerSec2Workers = await envStepsPerSecWorkers(2, steps);
  say(`env steps/s, 2 workers      ${Math.round(envStepsPerSec2Workers)}  (total of 2 threads, each its own env)`);
  // The training's collector (arena train --workers): the policy's forward pass and the batch's transfer included.
  const scenarioSpec = { kind: "scenario", scenario: "normal" } as const;
  const rollout1 = await measureRolloutStepsPerSec(scenarioSpec, 1, steps);
  const rollout2 = await measureRolloutStepsPerSec(scenarioSpec, 2, steps);
  say(`rollout steps/s, PPO's collector: 1 worker ${Math.round(rollout1)}, 2 workers ${Math.round(rollout2)}  (MARKET_PPO's envs, a fresh policy, batches gathered)`);
  // Two iterations of PPO with the market defaults; the second's update is timed (the first compiles the backend).
  const ppo = await trainPpo(() => new MarketEnv(builtinSpec("normal")), { ...MARKET_PPO, totalTimesteps: 2 * MARKET_PPO.numEnvs * MARKET_PPO.numSteps }, { clock: () => performance.now() });
  const last = ppo.curve.at(-1)!;
  const batch = MARKET_PPO.numEnvs * MARKET_PPO.numSteps;
  const updateSamplesPerSec = (batch * MARKET_PPO.updateEpochs) / (last.updateMs / 1000);
  say(`PPO update samples/s        ${Math.round(updateSamplesPerSec)}  (batch ${batch} × ${MARKET_PPO.updateEpochs} epochs in minibatches of ${batch / MARKET_PPO.numMinibatches}, hidden ${MARKET_PPO.hidden.join("×")}, on ${ppo.backend}; that iteration's rollout: ${Math.round(batch / (last.rolloutMs / 1000))} steps/s with the policy)`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ envStepsPerSec: Math.round(envStepsPerSec), envStepsPerSec2Workers: Math.round(envStepsPerSec2Workers), updateSamplesPerSec: Math.round(updateSamplesPerSec), kernelStepsPerSec: Math.round(kernelOnly), rolloutStepsPerSec1Worker: Math.round(rollout1), rolloutStepsPerSec2Workers: Math.round(rollout2), envStepsPerSecMemory: Math.round(large.memory), envStepsPerSecNoMemory: Math.round(large.plain), memoryPoints: large.points, backend: ppo.backend })}\n`);
  }
}
