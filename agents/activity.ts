// Market activity: a shared, slowly varying multiplier of the noise flow's rate, so volume has a life of its own beside volatility.
import type { Rng } from "../sim/rng.ts";

export interface ActivityParams {
  /** Noise of the log multiplier per square-root hour; 0 keeps the flow's rate constant. */
  readonly volOfVolPerSqrtHour: number;
  /** Reversion of the log multiplier to its mean, per hour. */
  readonly reversionPerHour: number;
}

export const ACTIVITY_DEFAULTS: ActivityParams = Object.freeze({ volOfVolPerSqrtHour: 0, reversionPerHour: 1 });

const MINUTE = 60_000_000_000;
const HOUR = 60 * MINUTE;

/**
 * A log-normal multiplier stepped once a simulated minute from its stationary spread, its mean
 * 1 so the flow's average rate stays what the population asks for. Stepped on demand like the
 * fundamental: the same numbers whatever the pattern of questions.
 */
export class Activity {
  private x: number;
  private t = 0;
  private readonly sd: number;
  private readonly decay: number;
  private readonly shift: number;

  constructor(private readonly p: ActivityParams, private readonly rng: Rng) {
    const stationary = p.volOfVolPerSqrtHour / Math.sqrt(2 * p.reversionPerHour);
    this.shift = (stationary * stationary) / 2;
    this.x = rng.normal() * stationary;
    const dtH = MINUTE / HOUR;
    this.decay = 1 - p.reversionPerHour * dtH;
    this.sd = p.volOfVolPerSqrtHour * Math.sqrt(dtH);
  }

  /** The multiplier at time `t` ns (t must not go backwards). */
  at(t: number): number {
    while (this.t + MINUTE <= t) {
      this.t += MINUTE;
      this.x = this.x * this.decay + this.sd * this.rng.normal();
    }
    return Math.exp(this.x - this.shift);
  }
}
