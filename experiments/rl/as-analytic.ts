// The Avellaneda–Stoikov analytic agents (inventory and symmetric), and their evaluation over seeded trajectories.
import { AvellanedaStoikovEnv, AS_PAPER, DELTA_HIGH, DELTA_LOW, INVENTORY_SCALE, type AsParams } from "./envs/avellaneda-stoikov.ts";

/** A policy on the env's observation: [δb, δa] for one step (it may reuse its output buffer). */
export type AsPolicy = (obs: Float32Array) => Float32Array;

export type AsStrategy = "inventory" | "symmetric";

/** The paper's spread δa + δb = γσ²(T − t) + (2/γ)·ln(1 + γ/k). */
export function asSpread(params: AsParams, gamma: number, timeLeft: number): number {
  return gamma * params.sigma ** 2 * timeLeft + (2 / gamma) * Math.log1p(gamma / params.k);
}

/**
 * The paper's agents, read from the observation (time left and inventory). "inventory" quotes
 * r ± spread/2 around the reservation price r = s − q·γσ²(T − t); "symmetric" quotes the same spread
 * around the mid. Offsets are clipped to the env's action bounds (a quote past them changes nothing
 * but its price: see DELTA_LOW, DELTA_HIGH).
 */
export function asAgent(strategy: AsStrategy, gamma: number, params: AsParams = AS_PAPER): AsPolicy {
  const out = new Float32Array(2);
  return (obs) => {
    const timeLeft = obs[0] * params.horizon;
    const half = asSpread(params, gamma, timeLeft) / 2;
    // r − s: the inventory strategy shades both quotes against its position.
    const shift = strategy === "inventory" ? -Math.round(obs[1] * INVENTORY_SCALE) * gamma * params.sigma ** 2 * timeLeft : 0;
    // bid = r − spread/2 and ask = r + spread/2, as offsets from s.
    out[0] = Math.min(DELTA_HIGH, Math.max(DELTA_LOW, half - shift));
    out[1] = Math.min(DELTA_HIGH, Math.max(DELTA_LOW, half + shift));
    return out;
  };
}

/** Mean and standard deviation (n − 1) of profit and terminal inventory, and the mean quoted spread. */
export interface AsStats {
  readonly meanPnl: number;
  readonly stdPnl: number;
  readonly meanTerminalInventory: number;
  readonly stdTerminalInventory: number;
  /** Mean of δa + δb over every step of every trajectory, as quoted. */
  readonly meanSpread: number;
  /** Quotes (one per side and step) on a bound of the action space, where a policy may have been clipped. */
  readonly quotesAtBounds: number;
  readonly trajectories: number;
}

/**
 * Runs `trajectories` episodes of `policy`: the first reset seeded with `seed`, the others continuing
 * its streams, so two policies evaluated with one seed meet the same mid paths.
 * @throws RangeError if `trajectories` is not a positive integer.
 */
export function evaluateAs(policy: AsPolicy, options: { readonly trajectories: number; readonly seed: number; readonly params?: AsParams }): AsStats {
  const { trajectories, seed } = options;
  if (!(Number.isSafeInteger(trajectories) && trajectories > 0)) throw new RangeError(`trajectories ${trajectories} must be a positive integer`);
  const env = new AvellanedaStoikovEnv(options.params ?? AS_PAPER);
  const pnl = new Float64Array(trajectories);
  const inv = new Float64Array(trajectories);
  let spreadSum = 0;
  let quotes = 0;
  let atBounds = 0;
  for (let i = 0; i < trajectories; i++) {
    let { obs } = env.reset(i === 0 ? { seed } : {});
    for (;;) {
      const action = policy(obs);
      spreadSum += action[0] + action[1];
      for (let j = 0; j < 2; j++) if (action[j] <= env.actionSpace.low[j] || action[j] >= env.actionSpace.high[j]) atBounds += 1;
      quotes += 1;
      const r = env.step(action);
      obs = r.obs;
      if (r.truncated || r.terminated) {
        pnl[i] = r.info.pnl;
        inv[i] = r.info.inventory;
        break;
      }
    }
  }
  const p = meanStd(pnl);
  const q = meanStd(inv);
  return { meanPnl: p.mean, stdPnl: p.std, meanTerminalInventory: q.mean, stdTerminalInventory: q.std, meanSpread: spreadSum / quotes, quotesAtBounds: atBounds, trajectories };
}

function meanStd(xs: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, std: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
}
