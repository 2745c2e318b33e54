// One thread's share of `npm run bench -- ppo`: steps a MarketEnv on normal (a decision every simulated second) and times it.
import { MarketEnv } from "../experiments/rl/envs/market.ts";
import { builtinSpec } from "../scenarios/builtins.ts";

export interface EnvRateTask {
  /** Env steps to time, after one untimed warm-up episode. */
  readonly steps: number;
  readonly seed: number;
}

export interface EnvRate {
  readonly steps: number;
  readonly seconds: number;
  /** Of which in resets (building the world and its warm-up). */
  readonly resetSeconds: number;
}

/** A fixed action pattern: mostly hold, a buy and a sale now and then (as a policy that has learnt to trade rarely). */
export function benchAction(t: number): number {
  return t % 600 === 0 ? 1 : t % 600 === 300 ? 4 : 0;
}

export default function envRateTask(task: EnvRateTask): EnvRate {
  const env = new MarketEnv(builtinSpec("normal"), { episodeSteps: 3600, decisionSec: 1 });
  env.reset({ seed: task.seed });
  for (let t = 0; t < 3600; t++) if (env.step(benchAction(t)).truncated) break;
  let resetSeconds = 0;
  const t0 = process.hrtime.bigint();
  let r0 = process.hrtime.bigint();
  env.reset({ seed: task.seed + 1 });
  resetSeconds += Number(process.hrtime.bigint() - r0) / 1e9;
  for (let t = 0; t < task.steps; t++) {
    const r = env.step(benchAction(t));
    if (r.terminated || r.truncated) {
      r0 = process.hrtime.bigint();
      env.reset();
      resetSeconds += Number(process.hrtime.bigint() - r0) / 1e9;
    }
  }
  return { steps: task.steps, seconds: Number(process.hrtime.bigint() - t0) / 1e9, resetSeconds };
}
