// CartPole-v1 with Gymnasium's physics: the same constants, Euler step, thresholds, start and 500-step limit.
import { z } from "zod";
import { Rng } from "../../../sim/rng.ts";
import type { Env, ResetResult, StepResult } from "../env.ts";
import { box, discrete, outside, type Box, type Discrete } from "../spaces.ts";
import { RngStateJson } from "../rng-json.ts";

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
/** Half the pole's length (Gymnasium's `length`). */
const HALF_LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between state updates. */
const TAU = 0.02;
/** 12 degrees, written as Gymnasium writes it so the float is the same. */
export const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
export const X_THRESHOLD = 2.4;
/** CartPole-v1's TimeLimit. */
export const MAX_EPISODE_STEPS = 500;
const FLOAT32_MAX = 3.4028234663852886e38;
const NO_INFO: Readonly<Record<string, unknown>> = Object.freeze({});

const Snapshot = z.object({
  state: z.array(z.number()).length(4), steps: z.number().int().nonnegative(), done: z.boolean(), started: z.boolean(), rng: RngStateJson.nullable(),
});

/**
 * Balance a pole on a cart by pushing left (0) or right (1); reward 1 per step including the
 * last. Observation: cart position, cart velocity, pole angle (rad), pole angular velocity.
 * The state is kept in float64 and observed as float32, as in Gymnasium.
 */
export class CartPole implements Env<number> {
  readonly observationSpace: Box = box(
    4,
    [-X_THRESHOLD * 2, -FLOAT32_MAX, -THETA_THRESHOLD * 2, -FLOAT32_MAX],
    [X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD * 2, FLOAT32_MAX],
  );
  readonly actionSpace: Discrete = discrete(2);
  readonly maxEpisodeSteps = MAX_EPISODE_STEPS;
  private rng: Rng | undefined;
  private readonly state = new Float64Array(4);
  private readonly obs = new Float32Array(4);
  private steps = 0;
  private done = true;
  private started = false;

  reset(options?: { readonly seed?: number }): ResetResult {
    if (options?.seed !== undefined) this.rng = Rng.root(options.seed).fork("cartpole");
    if (this.rng === undefined) throw new Error("cartpole: the first reset needs a seed (reset({ seed }))");
    for (let i = 0; i < 4; i++) this.state[i] = -0.05 + 0.1 * this.rng.next();
    this.steps = 0;
    this.done = false;
    this.started = true;
    this.obs.set(this.state);
    return { obs: this.obs, info: NO_INFO };
  }

  snapshot(): z.infer<typeof Snapshot> {
    return { state: Array.from(this.state), steps: this.steps, done: this.done, started: this.started, rng: this.rng?.state() ?? null };
  }

  /** @throws Error if `s` is not a CartPole snapshot. */
  restore(s: unknown): void {
    const r = Snapshot.safeParse(s);
    if (!r.success) throw new Error(`cartpole restore: not a cartpole snapshot (${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
    this.state.set(r.data.state);
    this.steps = r.data.steps;
    this.done = r.data.done;
    this.started = r.data.started;
    this.rng = r.data.rng === null ? undefined : Rng.restore(r.data.rng);
  }

  /** @throws RangeError if action is not 0 or 1; Error before reset or after the episode ended. */
  step(action: number): StepResult {
    const bad = outside(this.actionSpace, action);
    if (bad !== undefined) throw new RangeError(`cartpole action ${bad}`);
    if (this.done) {
      throw new Error(this.started ? "cartpole: step after the episode ended; call reset()" : "cartpole: step before reset()");
    }
    const s = this.state;
    const [x, xDot, theta, thetaDot] = s;
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + POLE_MASS_LENGTH * thetaDot ** 2 * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4.0 / 3.0 - (MASS_POLE * cos ** 2) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    s[0] = x + TAU * xDot;
    s[1] = xDot + TAU * xAcc;
    s[2] = theta + TAU * thetaDot;
    s[3] = thetaDot + TAU * thetaAcc;
    this.steps++;
    const terminated = s[0] < -X_THRESHOLD || s[0] > X_THRESHOLD || s[2] < -THETA_THRESHOLD || s[2] > THETA_THRESHOLD;
    const truncated = this.steps >= MAX_EPISODE_STEPS;
    this.done = terminated || truncated;
    this.obs.set(s);
    return { obs: this.obs, reward: 1, terminated, truncated, info: NO_INFO };
  }
}
