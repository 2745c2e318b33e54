// PPO for discrete actions in one file, read top to bottom like CleanRL's ppo.py: rollouts in plain JS, updates on tfjs.
import * as tf from "@tensorflow/tfjs";
import { Rng, type RngState } from "../../sim/rng.ts";
import type { EnvFactory } from "./env.ts";
import { resolveEnvSpec, type EnvSpec } from "./env-spec.ts";
import { initMlp, type MlpParams } from "./mlp.ts";
import { RunningMeanStd } from "./normalize.ts";
import { openRollouts } from "./parallel-rollouts.ts";
import { Policy } from "./policy.ts";
import type { PpoArgs } from "./ppo-args.ts";
import { RolloutBatch, type RolloutsState } from "./rollout.ts";
import { useBackend, type BackendName } from "./tf-backend.ts";

export { PPO_DEFAULTS, type PpoArgs } from "./ppo-args.ts";

/** One line of the learning curve, reported after each update. */
export interface IterationStats {
  readonly iteration: number;
  readonly globalStep: number;
  readonly learningRate: number;
  /** Mean return of the episodes that ended in this rollout (NaN if none did). */
  readonly episodeReturn: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  /** Fraction of the last minibatch whose ratio was clipped. */
  readonly clipFraction: number;
  /** Milliseconds of the rollout and of the update, by `hooks.clock` (NaN without one). */
  readonly rolloutMs: number;
  readonly updateMs: number;
}

/**
 * Everything a run needs to continue after an iteration: weights, Adam's moments and step count,
 * the observation statistics and the curve so far, and, when every env can be snapshotted, `exact`.
 * With it a resumed run is the uninterrupted run; without it the resumed run re-seeds its streams
 * and envs by a rule of (seed, iteration), so resuming one state always gives the same result,
 * though not the uninterrupted run's.
 */
export interface PpoState {
  /** Iterations done. */
  readonly iteration: number;
  readonly globalStep: number;
  readonly actor: MlpParams;
  readonly critic: MlpParams;
  /** tfjs AdamOptimizer.getWeights(): the step count, then first and second moments per variable. */
  readonly optimizer: readonly { readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }[];
  readonly rms: { readonly mean: Float64Array; readonly var: Float64Array; readonly count: number };
  readonly curve: readonly IterationStats[];
  readonly exact?: ExactState;
}

/** What else an uninterrupted run holds between iterations. */
export interface ExactState {
  /** The minibatch stream's position. */
  readonly shuffler: RngState;
  /** The envs, their observations and running returns, and the action streams. */
  readonly rollouts: RolloutsState;
  /** Adam's β1^t and β2^t as it holds them (products, which its setWeights would recompute as powers, a bit off). */
  readonly adamBetaPowers: readonly [number, number];
}

/** Optional observers of a run; they decide nothing. */
export interface PpoHooks {
  /** Called after each update with its line of the learning curve; awaited. */
  readonly onIteration?: (s: IterationStats) => void | Promise<void>;
  /** Called after each update (after onIteration) with the state to resume from; awaited. */
  readonly onCheckpoint?: (state: PpoState) => Promise<void>;
  /** A millisecond clock (e.g. performance.now), injected because experiments/ reads no clock itself. */
  readonly clock?: () => number;
}

export interface PpoResult {
  readonly policy: Policy;
  readonly backend: BackendName;
  readonly curve: readonly IterationStats[];
}

/** An actor or critic as tfjs variables, one weight and one bias per layer. */
interface TfNet {
  readonly sizes: readonly number[];
  readonly vars: tf.Variable[];
}

/** Adam whose step size can be changed between updates (tfjs reads it at every applyGradients). */
class AnnealedAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  /** tfjs keeps β^t in private variables; reached by name, as only they are exact. */
  private get betaPowers(): [tf.Variable, tf.Variable] {
    const self = this as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    return [self.accBeta1, self.accBeta2];
  }

  getBetaPowers(): [number, number] {
    const [b1, b2] = this.betaPowers;
    return [b1.dataSync()[0], b2.dataSync()[0]];
  }

  setBetaPowers(p: readonly [number, number]): void {
    this.betaPowers.forEach((v, i) => v.assign(tf.scalar(p[i])));
  }
}

/**
 * Trains a categorical policy on an env with a Discrete action space, with PPO. `env` is a factory
 * when the run has one worker; with more, worker threads build their envs from a spec.
 * @throws RangeError if the env's actions are not Discrete, the batch does not split into minibatches,
 *   or `args.workers` is above 1 with a factory or outside 2 … numEnvs.
 */
export async function trainPpo(env: EnvFactory<number> | EnvSpec, args: PpoArgs, hooks: PpoHooks = {}, resume?: PpoState): Promise<PpoResult> {
  const clock = hooks.clock ?? ((): number => NaN);
  if (!Number.isSafeInteger(args.workers) || args.workers < 1) throw new RangeError(`ppo workers ${args.workers} must be a positive integer`);
  const make = typeof env === "function" ? env : (await resolveEnvSpec(env)).make;
  const backend = await useBackend(args.backend);
  const probe = make();
  const { observationSpace, actionSpace } = probe;
  if (actionSpace.kind !== "discrete") throw new RangeError(`ppo action space ${actionSpace.kind} must be discrete`);
  const obsDim = observationSpace.shape[0];
  const nActions = actionSpace.n;
  const batchSize = args.numEnvs * args.numSteps;
  const minibatchSize = batchSize / args.numMinibatches;
  if (!Number.isInteger(minibatchSize)) throw new RangeError(`ppo numMinibatches ${args.numMinibatches} must divide the batch ${batchSize}`);
  const numIterations = Math.floor(args.totalTimesteps / batchSize);

  // Seeded streams, one per purpose, so changing one use never shifts the others.
  const root = Rng.root(args.seed).fork("ppo");
  const start = resume?.iteration ?? 0;
  const exact = resume?.exact;
  // A resumed run without its streams' positions re-seeds them by where it resumed, never by the clock.
  const streams = resume === undefined || exact !== undefined ? root : root.fork(`resume/${start}`);
  const shuffler = exact === undefined ? streams.fork("minibatches") : Rng.restore(exact.shuffler);
  const actorInit = resume?.actor ?? initMlp([obsDim, ...args.hidden, nActions], 0.01, root.fork("init/actor"));
  const criticInit = resume?.critic ?? initMlp([obsDim, ...args.hidden, 1], 1, root.fork("init/critic"));
  if (actorInit.sizes.join() !== [obsDim, ...args.hidden, nActions].join() || criticInit.sizes.join() !== [obsDim, ...args.hidden, 1].join()) {
    throw new RangeError(`ppo resume: the saved networks ${actorInit.sizes.join("×")} / ${criticInit.sizes.join("×")} do not fit this env and args`);
  }
  const optimizer = new AnnealedAdam(args.learningRate, 0.9, 0.999, 1e-5);
  const rms = new RunningMeanStd(obsDim);
  if (resume !== undefined) {
    rms.mean.set(resume.rms.mean);
    rms.var.set(resume.rms.var);
    rms.count = resume.rms.count;
  }
  const envSeed = resume === undefined ? args.seed * 1000 : streams.fork("envs").int(0, 2 ** 40);
  const cfg = { numEnvs: args.numEnvs, numSteps: args.numSteps, gamma: args.gamma, normObs: args.normObs };
  const rollouts = await openRollouts(typeof env === "function" ? undefined : env, make, cfg, rms, streams, envSeed, args.workers, exact?.rollouts);
  try {
    return await learn();
  } finally {
    await rollouts.close();
  }

  async function learn(): Promise<PpoResult> {
    const actor = toTf(actorInit);
    const critic = toTf(criticInit);
    if (resume !== undefined) {
      const saved = resume.optimizer.map((w) => ({ name: w.name, tensor: tf.tensor(w.data, [...w.shape]) }));
      await optimizer.setWeights(saved);
      tf.dispose(saved.map((w) => w.tensor));
      if (exact !== undefined) optimizer.setBetaPowers(exact.adamBetaPowers);
    }
    const b = new RolloutBatch(args.numEnvs, args.numSteps, obsDim);
    const advantages = new Float32Array(batchSize);
    const returns = new Float32Array(batchSize);
    let actorParams = actorInit;
    let criticParams = criticInit;
    const curve: IterationStats[] = [...(resume?.curve ?? [])];
    let globalStep = resume?.globalStep ?? 0;

    for (let iteration = start + 1; iteration <= numIterations; iteration++) {
      const frac = 1 - (iteration - 1) / numIterations;
      const lr = args.annealLr ? frac * args.learningRate : args.learningRate;
      const clip = args.annealClip ? frac * args.clipCoef : args.clipCoef;
      optimizer.setLearningRate(lr);
      const t0 = clock();

      // 1. Rollout: numSteps steps of every env, the networks evaluated in plain JS.
      await rollouts.collect(actorParams, criticParams, b);
      globalStep += batchSize;
      const { obs: obsBuf, actions, logProbs, rewards, ended, values } = b;

      // 2. GAE(λ): advantages backwards in time; an ended step cuts the chain (its bootstrap is in the reward).
      for (let e = 0; e < args.numEnvs; e++) {
        let lastGae = 0;
        let nextValue = b.nextValues[e];
        for (let t = args.numSteps - 1; t >= 0; t--) {
          const i = t * args.numEnvs + e;
          const nonTerminal = 1 - ended[i];
          const delta = rewards[i] + args.gamma * nextValue * nonTerminal - values[i];
          lastGae = delta + args.gamma * args.gaeLambda * nonTerminal * lastGae;
          advantages[i] = lastGae;
          returns[i] = lastGae + values[i];
          nextValue = values[i];
        }
      }

      const t1 = clock();
      // 3. Update: updateEpochs passes of shuffled minibatches on tfjs.
      const batch = tf.tidy(() => ({
        obs: tf.tensor2d(obsBuf, [batchSize, obsDim]),
        oneHot: tf.oneHot(tf.tensor1d(actions, "int32"), nActions).toFloat(),
        logProbs: tf.tensor1d(logProbs),
        advantages: tf.tensor1d(advantages),
        returns: tf.tensor1d(returns),
        values: tf.tensor1d(values),
      }));
      let last: tf.Tensor[] = [];
      for (let epoch = 0; epoch < args.updateEpochs; epoch++) {
        const order = permutation(batchSize, shuffler);
        for (let start = 0; start < batchSize; start += minibatchSize) {
          tf.dispose(last);
          last = tf.tidy(() => {
            const idx = tf.tensor1d(order.subarray(start, start + minibatchSize), "int32");
            const mb = {
              obs: tf.gather(batch.obs, idx),
              oneHot: tf.gather(batch.oneHot, idx),
              logProbs: tf.gather(batch.logProbs, idx),
              advantages: tf.gather(batch.advantages, idx),
              returns: tf.gather(batch.returns, idx),
              values: tf.gather(batch.values, idx),
            };
            let adv = mb.advantages;
            if (args.normAdv) {
              const { mean, variance } = tf.moments(adv);
              adv = adv.sub(mean).div(variance.sqrt().add(1e-8));
            }
            let parts: tf.Scalar[] = [];
            const { grads } = tf.variableGrads(() => {
              const logits = forwardTf(actor, mb.obs);
              const logAll = tf.logSoftmax(logits);
              // One-hot × log-softmax, not tf.gather: the wasm backend cannot take gather's gradient (tfjs#8082).
              const newLogProb = mb.oneHot.mul(logAll).sum(1);
              const entropy = logAll.exp().mul(logAll).sum(1).neg().mean() as tf.Scalar;
              const ratio = newLogProb.sub(mb.logProbs).exp();
              const pg1 = adv.neg().mul(ratio);
              const pg2 = adv.neg().mul(ratio.clipByValue(1 - clip, 1 + clip));
              const policyLoss = tf.maximum(pg1, pg2).mean() as tf.Scalar;
              const v = forwardTf(critic, mb.obs).reshape([-1]);
              let valueLoss: tf.Scalar;
              if (args.clipVloss) {
                const unclipped = v.sub(mb.returns).square();
                const vClipped = mb.values.add(v.sub(mb.values).clipByValue(-clip, clip));
                const clipped = vClipped.sub(mb.returns).square();
                valueLoss = tf.maximum(unclipped, clipped).mean().mul(0.5) as tf.Scalar;
              } else {
                valueLoss = v.sub(mb.returns).square().mean().mul(0.5) as tf.Scalar;
              }
              const clipFraction = ratio.sub(1).abs().greater(clip).toFloat().mean() as tf.Scalar;
              // variableGrads disposes what f makes but the loss; keep the parts for the learning curve.
              parts = [policyLoss, valueLoss, entropy, clipFraction].map((t) => tf.keep(t));
              return policyLoss.sub(entropy.mul(args.entCoef)).add(valueLoss.mul(args.vfCoef)) as tf.Scalar;
            }, [...actor.vars, ...critic.vars]);
            // Scale all gradients together so their global norm is at most maxGradNorm.
            const list = [...actor.vars, ...critic.vars].map((v) => ({ name: v.name, tensor: grads[v.name] }));
            const norm2 = tf.addN(list.map((g) => g.tensor.square().sum()));
            const scale = tf.minimum(1, tf.div(args.maxGradNorm, norm2.sqrt().add(1e-6)));
            optimizer.applyGradients(list.map((g) => ({ name: g.name, tensor: g.tensor.mul(scale) })));
            return parts;
          });
        }
      }
      const [policyLoss, valueLoss, entropy, clipFraction] = last.map((t) => t.dataSync()[0]);
      tf.dispose([last, Object.values(batch)]);
      actorParams = fromTf(actor);
      criticParams = fromTf(critic);
      const t2 = clock();

      const stats: IterationStats = {
        iteration,
        globalStep,
        learningRate: lr,
        episodeReturn: b.finishedCount === 0 ? NaN : b.finishedSum / b.finishedCount,
        policyLoss,
        valueLoss,
        entropy,
        clipFraction,
        rolloutMs: t1 - t0,
        updateMs: t2 - t1,
      };
      curve.push(stats);
      await hooks.onIteration?.(stats);
      if (hooks.onCheckpoint !== undefined) {
        const weights = await optimizer.getWeights();
        const saved = await Promise.all(weights.map(async (w) => ({ name: w.name, shape: w.tensor.shape, data: Float32Array.from(await w.tensor.data()) })));
        // The first entry is a fresh scalar (the step count); the others are the optimizer's own variables.
        weights[0].tensor.dispose();
        const where = await rollouts.save();
        await hooks.onCheckpoint({
          iteration, globalStep, actor: fromTf(actor), critic: fromTf(critic), optimizer: saved,
          rms: { mean: Float64Array.from(rms.mean), var: Float64Array.from(rms.var), count: rms.count }, curve: [...curve],
          exact: where === undefined ? undefined : { shuffler: shuffler.state(), rollouts: where, adamBetaPowers: optimizer.getBetaPowers() },
        });
      }
    }

    const policy = new Policy(fromTf(actor), rollouts.normalizer());
    tf.dispose([...actor.vars, ...critic.vars]);
    optimizer.dispose();
    return { policy, backend, curve };
  }
}

function toTf(p: MlpParams): TfNet {
  const vars: tf.Variable[] = [];
  for (let l = 0; l < p.weights.length; l++) {
    vars.push(tf.variable(tf.tensor2d(p.weights[l], [p.sizes[l], p.sizes[l + 1]])));
    vars.push(tf.variable(tf.tensor1d(p.biases[l])));
  }
  return { sizes: p.sizes, vars };
}

/** Copies the weights out of tfjs, for the plain-JS forward pass of the next rollout. */
function fromTf(net: TfNet): MlpParams {
  const data = net.vars.map((v) => v.dataSync() as Float32Array);
  return {
    sizes: net.sizes,
    weights: data.filter((_, i) => i % 2 === 0),
    biases: data.filter((_, i) => i % 2 === 1),
  };
}

function forwardTf(net: TfNet, x: tf.Tensor): tf.Tensor {
  let h = x;
  const layers = net.vars.length / 2;
  for (let l = 0; l < layers; l++) {
    h = h.matMul(net.vars[2 * l]).add(net.vars[2 * l + 1]);
    if (l + 1 < layers) h = h.tanh();
  }
  return h;
}

/** A uniformly shuffled 0 … n−1 (Fisher–Yates) from `rng`. */
function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}
