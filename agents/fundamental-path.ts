// A latent value that follows a given price path (a real episode), straight in log space between points, optionally with seeded bridge noise.
import type { Rng } from "../sim/rng.ts";
import type { LatentValue } from "./world.ts";

export interface FundamentalPathParams {
  /** Spacing of the points, ns: point k stands at time k × stepNs. */
  readonly stepNs: number;
  /** Prices of the points, quote coins, at least two. */
  readonly prices: readonly number[];
  /**
   * Volatility of a Brownian bridge added between points, per square-root hour (0 keeps the
   * straight lines). The bridge is pinned to 0 at every point, so the path still passes through
   * each one exactly.
   */
  readonly bridgeSigmaPerSqrtHour: number;
  /** Resolution of the bridge noise, ns; it divides the time between points into steps. */
  readonly bridgeStepNs: number;
}

const HOUR = 3_600_000_000_000;

/**
 * The path as a latent value: `valueAt(t)` interpolates log prices linearly between the points
 * around `t` and holds the last price after the end. Bridge segments are drawn in order of
 * their index, whatever the pattern of questions, so every agent sees one world. Scenario shocks
 * (`jump`) shift the whole rest of the path by a lasting factor.
 */
export class FundamentalPath implements LatentValue {
  private readonly logs: Float64Array;
  private readonly stepNs: number;
  private readonly sigma: number;
  private readonly bridgeStepNs: number;
  private readonly rng: Rng;
  /** The bridge of segment `seg` (between points seg and seg + 1), one value per bridge step. */
  private readonly bridge: Float64Array;
  private seg = -1;
  private logOffset = 0;

  constructor(params: FundamentalPathParams, rng: Rng) {
    const { stepNs, prices } = params;
    if (!(Number.isSafeInteger(stepNs) && stepNs > 0)) throw new Error(`fundamental.path.step: ${stepNs} ns must be a positive integer`);
    if (prices.length < 2) throw new Error(`fundamental.path.prices: ${prices.length} points; a path needs at least 2`);
    this.logs = Float64Array.from(prices, (p, i) => {
      if (!(p > 0 && Number.isFinite(p))) throw new Error(`fundamental.path.prices[${i}]: ${p} must be a positive number`);
      return Math.log(p);
    });
    this.stepNs = stepNs;
    this.sigma = params.bridgeSigmaPerSqrtHour;
    this.bridgeStepNs = Math.min(params.bridgeStepNs, stepNs);
    this.rng = rng;
    this.bridge = new Float64Array(this.sigma > 0 ? Math.ceil(stepNs / this.bridgeStepNs) + 1 : 0);
  }

  /** Time the path spans, ns: from its first point to its last. */
  get spanNs(): number {
    return (this.logs.length - 1) * this.stepNs;
  }

  /** The value at time `t` ns (t must not go back to an earlier segment once a later one was asked). */
  valueAt(t: number): number {
    const last = this.logs.length - 1;
    const k = Math.floor(t / this.stepNs);
    if (k >= last) return Math.exp(this.logs[last] + this.logOffset);
    const into = t - k * this.stepNs;
    let v = this.logs[k] + ((this.logs[k + 1] - this.logs[k]) * into) / this.stepNs;
    if (this.sigma > 0) {
      this.drawUntil(k);
      v += this.bridge[Math.floor(into / this.bridgeStepNs)];
    }
    return Math.exp(v + this.logOffset);
  }

  /** Moves the rest of the path by `pct` percent (e.g. -30 for a crash). */
  jump(pct: number): void {
    this.logOffset += Math.log1p(pct / 100);
  }

  /** Draws the bridges of the segments up to `k`, in order, keeping the last. */
  private drawUntil(k: number): void {
    if (k < this.seg) throw new Error(`fundamental path: asked for segment ${k} after segment ${this.seg} (time went backwards)`);
    const b = this.bridge;
    const m = b.length - 1;
    const sd = this.sigma * Math.sqrt(this.stepNs / m / HOUR);
    while (this.seg < k) {
      this.seg++;
      // A random walk from 0, then its end pulled back to 0 linearly: a Brownian bridge.
      b[0] = 0;
      for (let i = 1; i <= m; i++) b[i] = b[i - 1] + sd * this.rng.normal();
      const end = b[m];
      for (let i = 1; i <= m; i++) b[i] -= (end * i) / m;
    }
  }
}
