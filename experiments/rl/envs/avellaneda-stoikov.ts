// The Avellaneda–Stoikov (2008) market-making environment: a binomial mid, Poisson fills at A·exp(−kδ), cash and inventory.
import { z } from "zod";
import { Rng } from "../../../sim/rng.ts";
import type { Env } from "../env.ts";
import { RngStateJson } from "../rng-json.ts";
import { box, discrete, outside, type Box, type Discrete } from "../spaces.ts";

/**
 * The model's parameters. Prices and offsets in the asset's price units, time in the paper's units
 * (T = 1), inventory in whole units. `AS_PAPER` is the paper's section 4 setup.
 */
export interface AsParams {
  /** Mid at t = 0. */
  readonly s0: number;
  /** Volatility of the mid: each step moves it by ±σ√dt. */
  readonly sigma: number;
  /** Horizon; the episode is truncated at T. */
  readonly horizon: number;
  /** Steps per episode; dt = horizon / steps. */
  readonly steps: number;
  /** Order-arrival scale A of λ(δ) = A·exp(−kδ), per unit of time. */
  readonly a: number;
  /** Order-arrival decay k of λ(δ) = A·exp(−kδ), per price unit. */
  readonly k: number;
}

/** Avellaneda & Stoikov (2008), section 4: s = 100, σ = 2, T = 1, dt = 0.005, A = 140, k = 1.5, q0 = 0. */
export const AS_PAPER: AsParams = Object.freeze({ s0: 100, sigma: 2, horizon: 1, steps: 200, a: 140, k: 1.5 });

/**
 * Bounds of each quote offset δ (bid: s − δb, ask: s + δa), in price units. Below −0.24 a side fills
 * with certainty at the paper's values (A·exp(−kδ)·dt ≥ 1), so a lower quote only pays more; above 8
 * it fills with probability under 1e-5 a step. The analytic agent still quotes down to about −1.7 at
 * γ = 1 when it sheds inventory, and the bounds leave it that room: its quotes at the paper's three γ
 * never reach them (test/experiments/rl/as-table.test.ts).
 */
export const DELTA_LOW = -2;
export const DELTA_HIGH = 8;

/**
 * The discrete variant's offsets, per side: action i quotes δb = DELTA_GRID[⌊i / G⌋] and
 * δa = DELTA_GRID[i mod G] (G = DELTA_GRID.length, G² actions). Dense where the analytic quotes
 * live (0.5 to 1.5 at the paper's values), with a negative and a far value to shed inventory.
 */
const AsSnapshot = z.object({
  seeded: z.boolean(), live: z.boolean(), n: z.number().int().nonnegative(), s: z.number(), cash: z.number(), q: z.number().int(),
  mid: RngStateJson.nullable(), fills: RngStateJson.nullable(),
});

export const DELTA_GRID: readonly number[] = Object.freeze([-0.5, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 5]);

/** Observation scaling: obs[1] = q / INVENTORY_SCALE. */
export const INVENTORY_SCALE = 10;

/** What `info` carries after reset and every step: the state in model units. */
// A type, not an interface, so that it is a Record<string, unknown> as Env's info is.
export type AsInfo = {
  readonly step: number;
  readonly time: number;
  readonly mid: number;
  readonly cash: number;
  readonly inventory: number;
  /** cash + inventory·mid: the profit so far (q0 = 0, no starting cash). */
  readonly pnl: number;
  readonly bidFilled: boolean;
  readonly askFilled: boolean;
};

export interface AsResult {
  readonly obs: Float32Array;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: AsInfo;
}

/**
 * The environment, with Gymnasium's contract (experiments/rl/env.ts: reset({seed}) then step until truncated).
 *
 * Observation (3 float32): [ (T − t)/T in [0, 1], q / 10, (s − s0)/σ ]. One fill per side and step
 * bounds |q| by `steps`, and the binomial mid bounds |s − s0| by steps·σ√dt; the declared bounds are
 * exactly those.
 *
 * Action: Float32Array [δb, δa], each in [DELTA_LOW, DELTA_HIGH]. A step quotes s − δb and s + δa
 * around the current mid; each side fills (one unit) with probability min(1, A·exp(−kδ)·dt), the
 * bid drawn before the ask; then the mid moves ±σ√dt with probability 1/2 each (the paper's binomial).
 * Reward: the change of cash + q·s over the step, so an episode's rewards sum to its profit with the
 * terminal inventory valued at the mid. terminated is always false; truncated is true at T.
 *
 * Randomness: `reset({ seed })` makes `Rng.root(seed)` and forks "mid" and "fills" from it; a reset
 * without a seed continues those streams, so a seeded reset followed by unseeded ones is reproducible.
 */
export class AvellanedaStoikovEnv implements Env<Float32Array> {
  readonly params: AsParams;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly maxEpisodeSteps: number;
  private readonly dt: number;
  private readonly move: number;
  private readonly obs = new Float32Array(3);
  private mid!: Rng;
  private fills!: Rng;
  private seeded = false;
  private live = false;
  private n = 0;
  private s = 0;
  private cash = 0;
  private q = 0;

  /** @throws RangeError if a parameter is not finite and positive, or `steps` is not a positive integer. */
  constructor(params: AsParams = AS_PAPER) {
    for (const [name, v] of Object.entries(params)) {
      if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`avellaneda-stoikov ${name} ${v} must be finite and positive`);
    }
    if (!Number.isSafeInteger(params.steps)) throw new RangeError(`avellaneda-stoikov steps ${params.steps} must be a positive integer`);
    this.params = params;
    this.dt = params.horizon / params.steps;
    this.move = params.sigma * Math.sqrt(this.dt);
    const qMax = params.steps / INVENTORY_SCALE;
    const sMax = (params.steps * this.move) / params.sigma;
    this.observationSpace = box(3, [0, -qMax, -sMax], [1, qMax, sMax]);
    this.actionSpace = box(2, DELTA_LOW, DELTA_HIGH);
    this.maxEpisodeSteps = params.steps;
  }

  /**
   * Starts an episode at s0 with no cash and no inventory.
   * @throws Error if the env's first reset has no seed.
   */
  reset(options: { readonly seed?: number } = {}): { readonly obs: Float32Array; readonly info: AsInfo } {
    if (options.seed !== undefined) {
      const root = Rng.root(options.seed);
      this.mid = root.fork("mid");
      this.fills = root.fork("fills");
      this.seeded = true;
    } else if (!this.seeded) {
      throw new Error("avellaneda-stoikov reset: the first reset needs a seed (an unseeded env would not be reproducible)");
    }
    this.n = 0;
    this.s = this.params.s0;
    this.cash = 0;
    this.q = 0;
    this.live = true;
    return { obs: this.observe(), info: this.info(false, false) };
  }

  /**
   * Quotes [δb, δa] for one step.
   * @throws RangeError if the action is not a Float32Array of 2 offsets in [DELTA_LOW, DELTA_HIGH].
   * @throws Error before reset or after the episode was truncated.
   */
  step(action: Float32Array): AsResult {
    if (!this.live) throw new Error("avellaneda-stoikov step: call reset first (no episode is running)");
    const why = outside(this.actionSpace, action);
    if (why !== undefined) throw new RangeError(`avellaneda-stoikov action ${why}`);
    const before = this.cash + this.q * this.s;
    const { a, k } = this.params;
    // Both draws are taken every step, so one side's quote never shifts the other's randomness.
    const bidFilled = this.fills.bernoulli(Math.min(1, a * Math.exp(-k * action[0]) * this.dt));
    const askFilled = this.fills.bernoulli(Math.min(1, a * Math.exp(-k * action[1]) * this.dt));
    if (bidFilled) {
      this.q += 1;
      this.cash -= this.s - action[0];
    }
    if (askFilled) {
      this.q -= 1;
      this.cash += this.s + action[1];
    }
    this.s += this.mid.bernoulli(0.5) ? this.move : -this.move;
    this.n += 1;
    const truncated = this.n >= this.params.steps;
    if (truncated) this.live = false;
    return { obs: this.observe(), reward: this.cash + this.q * this.s - before, terminated: false, truncated, info: this.info(bidFilled, askFilled) };
  }

  snapshot(): z.infer<typeof AsSnapshot> {
    return {
      seeded: this.seeded, live: this.live, n: this.n, s: this.s, cash: this.cash, q: this.q,
      mid: this.seeded ? this.mid.state() : null, fills: this.seeded ? this.fills.state() : null,
    };
  }

  /** @throws Error if `snap` is not an Avellaneda–Stoikov snapshot. */
  restore(snap: unknown): void {
    const r = AsSnapshot.safeParse(snap);
    if (!r.success) throw new Error(`avellaneda-stoikov restore: not an avellaneda-stoikov snapshot (${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
    const x = r.data;
    if (x.seeded && (x.mid === null || x.fills === null)) throw new Error("avellaneda-stoikov restore: a seeded snapshot without its streams");
    this.seeded = x.seeded;
    this.live = x.live;
    this.n = x.n;
    this.s = x.s;
    this.cash = x.cash;
    this.q = x.q;
    if (x.mid !== null) this.mid = Rng.restore(x.mid);
    if (x.fills !== null) this.fills = Rng.restore(x.fills);
  }

  private observe(): Float32Array {
    this.obs[0] = (this.params.steps - this.n) / this.params.steps;
    this.obs[1] = this.q / INVENTORY_SCALE;
    this.obs[2] = (this.s - this.params.s0) / this.params.sigma;
    return this.obs;
  }

  private info(bidFilled: boolean, askFilled: boolean): AsInfo {
    return {
      step: this.n, time: this.n * this.dt, mid: this.s, cash: this.cash, inventory: this.q,
      pnl: this.cash + this.q * this.s, bidFilled, askFilled,
    };
  }
}

/**
 * The discrete-action variant: action i in [0, G²) quotes δb = DELTA_GRID[⌊i / G⌋], δa = DELTA_GRID[i mod G]
 * on an `AvellanedaStoikovEnv`; same observation, reward and randomness.
 */
export class DiscreteAvellanedaStoikovEnv implements Env<number> {
  readonly inner: AvellanedaStoikovEnv;
  readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  readonly maxEpisodeSteps: number;
  private readonly quote = new Float32Array(2);

  constructor(params: AsParams = AS_PAPER) {
    this.inner = new AvellanedaStoikovEnv(params);
    this.observationSpace = this.inner.observationSpace;
    this.actionSpace = discrete(DELTA_GRID.length * DELTA_GRID.length);
    this.maxEpisodeSteps = this.inner.maxEpisodeSteps;
  }

  /** @throws Error if the env's first reset has no seed. */
  reset(options: { readonly seed?: number } = {}): { readonly obs: Float32Array; readonly info: AsInfo } {
    return this.inner.reset(options);
  }

  snapshot(): unknown {
    return this.inner.snapshot();
  }

  /** @throws Error if `s` is not an Avellaneda–Stoikov snapshot. */
  restore(s: unknown): void {
    this.inner.restore(s);
  }

  /**
   * @throws RangeError if `action` is not an integer in [0, G²).
   * @throws Error before reset or after the episode was truncated.
   */
  step(action: number): AsResult {
    const why = outside(this.actionSpace, action);
    if (why !== undefined) throw new RangeError(`avellaneda-stoikov discrete action ${why}`);
    const g = DELTA_GRID.length;
    this.quote[0] = DELTA_GRID[Math.floor(action / g)];
    this.quote[1] = DELTA_GRID[action % g];
    return this.inner.step(this.quote);
  }
}
