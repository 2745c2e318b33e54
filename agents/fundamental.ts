// The latent fundamental price: mean-reverting in log space with jumps; the lever scenarios pull.
import type { Rng } from "../sim/rng.ts";

export interface FundamentalParams {
  /** Starting value, quote coins. */
  readonly initial: number;
  /** Mean-reversion speed toward the anchor, per hour. */
  readonly kappaPerHour: number;
  /** Volatility of log value, per square-root hour (0.005 ≈ 0.5% an hour). */
  readonly sigmaPerSqrtHour: number;
  /** Spontaneous jumps per day, and their size's standard deviation in log terms. */
  readonly jumpsPerDay: number;
  readonly jumpSigma: number;
  /** Time step of the simulated path, ns. */
  readonly stepNs: number;
  /** Stochastic volatility: log-volatility is mean-reverting (per hour) with this noise per
   * square-root hour; 0 keeps the volatility constant. Calm and turbulent stretches then
   * alternate, which is where volatility clustering comes from. */
  readonly volOfVolPerSqrtHour: number;
  readonly volReversionPerHour: number;
  /** A second, slow log-volatility factor (calm and turbulent days rather than hours), drawn at
   * the start from its stationary spread so each run begins somewhere in the market's slow
   * cycle; 0 turns it off. */
  readonly slowVolOfVolPerSqrtHour: number;
  readonly slowVolReversionPerHour: number;
  /** A third log-volatility factor between the two (calm and turbulent stretches of a few
   * hours), started like the slow one from its stationary spread; 0 turns it off. */
  readonly midVolOfVolPerSqrtHour: number;
  readonly midVolReversionPerHour: number;
  /**
   * Whether jumps scale with the volatility state, in rate and in size: turbulent stretches
   * bring more and larger jumps (as in real markets, where news and liquidations cluster), so
   * fat tails survive a high-volatility day instead of drowning in its diffusion.
   */
  readonly jumpsFollowVol: boolean;
  /**
   * News: episodes in which the value drifts one way for `newsMinutes` (a repricing traded over
   * the better part of an hour, not a gap), `newsPerDay` of them, the total move's standard
   * deviation `newsSigma` in log terms; fat tails at the hour without fattening the minute's.
   */
  readonly newsPerDay: number;
  readonly newsSigma: number;
  readonly newsMinutes: number;
}

export const FUNDAMENTAL_DEFAULTS: Omit<FundamentalParams, "initial"> = Object.freeze({
  kappaPerHour: 0.05,
  sigmaPerSqrtHour: 0.005,
  jumpsPerDay: 2,
  jumpSigma: 0.004,
  stepNs: 1_000_000_000,
  volOfVolPerSqrtHour: 0,
  volReversionPerHour: 0.5,
  jumpsFollowVol: false,
  slowVolOfVolPerSqrtHour: 0,
  slowVolReversionPerHour: 0.04,
  midVolOfVolPerSqrtHour: 0,
  midVolReversionPerHour: 0.15,
  newsPerDay: 0,
  newsSigma: 0.02,
  newsMinutes: 30,
});

const HOUR = 3_600_000_000_000;

/**
 * A deterministic path, stepped on demand: `valueAt(t)` advances in fixed steps from the last
 * time asked, drawing the same numbers for the same step whatever the pattern of questions,
 * so agents asking at different moments see one consistent world. Scenario shocks move the
 * anchor (a lasting repricing) with `jump`, optionally reverting it later.
 */
export class Fundamental {
  private readonly p: FundamentalParams;
  private readonly rng: Rng;
  private logValue: number;
  private logAnchor: number;
  /** log of (current volatility / base volatility). */
  private logVolRatio = 0;
  private logSlowVol = 0;
  private logMidVol = 0;
  private t = 0;
  /** The news under way: log drift per step, and steps left. */
  private newsDrift = 0;
  private newsLeft = 0;

  constructor(params: FundamentalParams, rng: Rng) {
    if (!(params.initial > 0)) throw new Error(`fundamental.initial: ${params.initial} must be positive`);
    this.p = params;
    this.rng = rng;
    this.logValue = Math.log(params.initial);
    this.logAnchor = this.logValue;
    if (params.slowVolOfVolPerSqrtHour > 0) {
      this.logSlowVol = (this.rng.normal() * params.slowVolOfVolPerSqrtHour) / Math.sqrt(2 * params.slowVolReversionPerHour);
    }
    if (params.midVolOfVolPerSqrtHour > 0) {
      this.logMidVol = (this.rng.normal() * params.midVolOfVolPerSqrtHour) / Math.sqrt(2 * params.midVolReversionPerHour);
    }
  }

  /** The fundamental value at time `t` ns (t must not go backwards). */
  valueAt(t: number): number {
    const p = this.p;
    const dtH = p.stepNs / HOUR;
    const jumpP = (p.jumpsPerDay / 24) * dtH;
    const sd = p.sigmaPerSqrtHour * Math.sqrt(dtH);
    const volSd = p.volOfVolPerSqrtHour * Math.sqrt(dtH);
    const slowSd = p.slowVolOfVolPerSqrtHour * Math.sqrt(dtH);
    const midSd = p.midVolOfVolPerSqrtHour * Math.sqrt(dtH);
    const newsP = (p.newsPerDay / 24) * dtH;
    const newsSteps = Math.max(1, Math.round((p.newsMinutes * 60e9) / p.stepNs));
    while (this.t + p.stepNs <= t) {
      this.t += p.stepNs;
      const z = this.rng.normal();
      const scale = p.jumpsFollowVol ? Math.exp(this.logVolRatio) : 1;
      const jump = this.rng.next() < jumpP * scale ? this.rng.normal() * p.jumpSigma * scale : 0;
      if (volSd > 0) this.logVolRatio += -p.volReversionPerHour * dtH * this.logVolRatio + volSd * this.rng.normal();
      if (slowSd > 0) this.logSlowVol += -p.slowVolReversionPerHour * dtH * this.logSlowVol + slowSd * this.rng.normal();
      if (midSd > 0) this.logMidVol += -p.midVolReversionPerHour * dtH * this.logMidVol + midSd * this.rng.normal();
      const vol = sd * Math.exp(this.logVolRatio + this.logSlowVol + this.logMidVol);
      // Drawn only when news is on, so worlds without it keep their random stream.
      if (newsP > 0 && this.newsLeft === 0 && this.rng.next() < newsP) {
        this.newsDrift = (this.rng.normal() * p.newsSigma) / newsSteps;
        this.newsLeft = newsSteps;
      }
      let drift = 0;
      if (this.newsLeft > 0) {
        drift = this.newsDrift;
        this.newsLeft--;
        // News moves the anchor too, or the mean reversion would slowly undo it.
        this.logAnchor += drift;
      }
      this.logValue += p.kappaPerHour * dtH * (this.logAnchor - this.logValue) + vol * z + jump + drift;
    }
    return Math.exp(this.logValue);
  }

  /** Moves value and anchor by `pct` percent at once (e.g. -30 for a crash). */
  jump(pct: number): void {
    const d = Math.log1p(pct / 100);
    this.logValue += d;
    this.logAnchor += d;
  }
}
