// Rollout collection rate of a PPO run's envs on 1 or more workers, under a fixed random policy.
import { Rng } from "../sim/rng.ts";
import { resolveEnvSpec, type EnvSpec } from "../experiments/rl/env-spec.ts";
import { initMlp } from "../experiments/rl/mlp.ts";
import { RunningMeanStd } from "../experiments/rl/normalize.ts";
import { openRollouts } from "../experiments/rl/parallel-rollouts.ts";
import { RolloutBatch } from "../experiments/rl/rollout.ts";

/**
 * Environment steps per second of `spec`'s collector on `workers` threads (1: in this thread), with
 * the env's own PPO batch (numEnvs × numSteps) and freshly initialised networks, over at least
 * `steps` steps. Thread start-up and env construction are not timed; sending the networks and
 * gathering each batch are.
 */
export async function measureRolloutStepsPerSec(spec: EnvSpec, workers: number, steps: number): Promise<number> {
  const { make, ppo } = await resolveEnvSpec(spec);
  const probe = make();
  const obsDim = probe.observationSpace.shape[0];
  const nActions = probe.actionSpace.kind === "discrete" ? probe.actionSpace.n : 1;
  const rng = Rng.root(1).fork("bench/rollouts");
  const actor = initMlp([obsDim, ...ppo.hidden, nActions], 0.01, rng.fork("actor"));
  const critic = initMlp([obsDim, ...ppo.hidden, 1], 1, rng.fork("critic"));
  const cfg = { numEnvs: ppo.numEnvs, numSteps: ppo.numSteps, gamma: ppo.gamma, normObs: ppo.normObs };
  const rollouts = await openRollouts(spec, make, cfg, new RunningMeanStd(obsDim), rng, 1000, workers);
  const batch = new RolloutBatch(ppo.numEnvs, ppo.numSteps, obsDim);
  const iterations = Math.max(1, Math.ceil(steps / (ppo.numEnvs * ppo.numSteps)));
  try {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) await rollouts.collect(actor, critic, batch);
    return (iterations * ppo.numEnvs * ppo.numSteps) / ((performance.now() - t0) / 1000);
  } finally {
    await rollouts.close();
  }
}
