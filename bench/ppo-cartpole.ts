// `npm run bench -- ppo-cartpole`: PPO with rl-baselines3-zoo's CartPole-v1 settings, 100k steps; the curve, eval return, rollout and update rates, and rollouts on 1 and 2 workers.
import { CartPole } from "../experiments/rl/envs/cartpole.ts";
import { evaluate } from "../experiments/rl/policy.ts";
import { trainPpo } from "../experiments/rl/ppo.ts";
import { CARTPOLE_ZOO } from "../experiments/rl/zoo.ts";
import type { BenchArgs } from "./main.ts";
import { measureRolloutStepsPerSec } from "./ppo-rollouts.ts";

/** rl-baselines3-zoo's figure for PPO on CartPole-v1 at 100k steps: 500 ± 0. */
const ZOO_RETURN = 500;
const EVAL_EPISODES = 20;
/** Steps timed for the rollout rates on 1 and 2 workers. */
const ROLLOUT_STEPS = 100_000;

export async function run(args: BenchArgs): Promise<void> {
  const totalTimesteps = args.ops ?? CARTPOLE_ZOO.totalTimesteps;
  const say = (line: string): void => {
    if (!args.json) process.stdout.write(`${line}\n`);
  };
  const t0 = performance.now();
  const result = await trainPpo(() => new CartPole(), { ...CARTPOLE_ZOO, totalTimesteps }, {
    clock: () => performance.now(),
    onIteration: (s) => {
      if (s.iteration % 25 === 0) say(`iter ${s.iteration}  steps ${s.globalStep}  episode return ${Number.isFinite(s.episodeReturn) ? s.episodeReturn.toFixed(1) : "- (no episode ended in this iteration)"}  entropy ${s.entropy.toFixed(3)}`);
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const returns = evaluate(result.policy, () => new CartPole(), EVAL_EPISODES, 1_000_000);
  const evalMean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const rolloutMs = result.curve.reduce((a, s) => a + s.rolloutMs, 0);
  const updateMs = result.curve.reduce((a, s) => a + s.updateMs, 0);
  const steps = result.curve.at(-1)?.globalStep ?? 0;
  const batch = CARTPOLE_ZOO.numEnvs * CARTPOLE_ZOO.numSteps;
  const samples = result.curve.length * batch * CARTPOLE_ZOO.updateEpochs;
  const spec = { kind: "env", name: "cartpole" } as const;
  const envStepsPerSec = await measureRolloutStepsPerSec(spec, 1, ROLLOUT_STEPS);
  const envStepsPerSec2Workers = await measureRolloutStepsPerSec(spec, 2, ROLLOUT_STEPS);
  const out = {
    backend: result.backend,
    steps,
    trainSeconds,
    evalMeanReturn: evalMean,
    zooReturn: ZOO_RETURN,
    rolloutStepsPerSecond: steps / (rolloutMs / 1000),
    updateSamplesPerSecond: samples / (updateMs / 1000),
    envStepsPerSec,
    envStepsPerSec2Workers,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  say(`backend ${out.backend}: ${steps} steps in ${trainSeconds.toFixed(1)} s`);
  say(`greedy evaluation over ${EVAL_EPISODES} episodes: ${evalMean.toFixed(1)} (zoo: ${ZOO_RETURN} ± 0; goal >= 475)`);
  say(`rollouts ${Math.round(out.rolloutStepsPerSecond)} env steps/s (8 envs, plain-JS policy); updates ${Math.round(out.updateSamplesPerSecond)} samples/s (minibatch 256, tfjs)`);
  say(`rollouts alone, initial policy, ${ROLLOUT_STEPS} steps: ${Math.round(envStepsPerSec)} env steps/s on 1 worker (this thread), ${Math.round(envStepsPerSec2Workers)} on 2 worker threads`);
}
