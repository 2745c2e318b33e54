// Probabilistic and deflated Sharpe ratios (Bailey & López de Prado 2012, 2014): is the best of N trials skill or luck?
import { normalCdf, normalQuantile } from "./normal.ts";

/** Euler–Mascheroni constant γ. */
export const EULER_GAMMA = 0.5772156649015329;

/**
 * Moments of one return series in the form the PSR takes. All per period (never annualised),
 * as in the paper: SR, skewness γ3 and raw, non-excess kurtosis γ4 (3 for a normal law).
 */
export interface SharpeMoments {
  /** mean / sample sd (n − 1) per period. */
  readonly sharpe: number;
  /** γ3 = m3 / m2^{3/2}, population central moments mj = (1/T) Σ (r − r̄)^j. */
  readonly skew: number;
  /** γ4 = m4 / m2², raw (a normal law gives 3, not 0). */
  readonly kurtosis: number;
  /** T, the number of returns. */
  readonly observations: number;
}

/**
 * Sharpe ratio, skewness and raw kurtosis of per-period returns.
 * @throws RangeError with fewer than 2 returns or zero variance (no Sharpe ratio exists).
 */
export function sharpeMoments(r: ArrayLike<number>): SharpeMoments {
  const n = r.length;
  if (n < 2) throw new RangeError(`need at least 2 returns, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += r[i];
  const m = sum / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = r[i] - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  if (!(m2 > 0)) throw new RangeError("returns have zero variance: the Sharpe ratio is undefined");
  const sd = Math.sqrt(m2 / (n - 1));
  [m2, m3, m4] = [m2 / n, m3 / n, m4 / n];
  return { sharpe: m / sd, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2), observations: n };
}

/** Inputs of the probabilistic Sharpe ratio; SR and benchmark per period, not annualised. */
export interface PsrInput {
  /** Observed per-period Sharpe ratio SR̂. */
  readonly sharpe: number;
  /** Benchmark SR*, per period. */
  readonly benchmark: number;
  /** T, the number of returns SR̂ was estimated from (≥ 2). */
  readonly observations: number;
  /** γ3 of the returns. */
  readonly skew: number;
  /** γ4 of the returns, raw (normal = 3). */
  readonly kurtosis: number;
}

/**
 * PSR(SR*) = Φ( (SR̂ − SR*) √(T − 1) / √(1 − γ3·SR̂ + (γ4 − 1)/4 · SR̂²) ): the probability that
 * the true Sharpe ratio exceeds SR*, allowing for the sample length and for skewed, fat-tailed
 * returns (Bailey & López de Prado 2012, "The Sharpe Ratio Efficient Frontier"; eq. 9 of the 2014 DSR paper).
 * @throws RangeError when T < 2 or the variance term 1 − γ3·SR̂ + (γ4 − 1)/4·SR̂² is not positive
 * (moments that no distribution has, e.g. γ4 < 1 + γ3²).
 */
export function probabilisticSharpe(x: PsrInput): number {
  if (!(Number.isInteger(x.observations) && x.observations >= 2)) throw new RangeError(`observations = ${x.observations} must be an integer ≥ 2`);
  const v = 1 - x.skew * x.sharpe + ((x.kurtosis - 1) / 4) * x.sharpe ** 2;
  if (!(v > 0)) throw new RangeError(`variance term 1 − γ3·SR + (γ4 − 1)/4·SR² = ${v} must be > 0 (skew ${x.skew}, kurtosis ${x.kurtosis}, SR ${x.sharpe})`);
  return normalCdf(((x.sharpe - x.benchmark) * Math.sqrt(x.observations - 1)) / Math.sqrt(v));
}

/**
 * Expected maximum of N independent Sharpe estimates whose true value is 0 and whose variance
 * across trials is V: E[max SR_n] ≈ √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))),
 * γ the Euler–Mascheroni constant (the DSR paper's SR₀, from the false strategy theorem).
 * One trial selects nothing: SR₀ = 0.
 * @throws RangeError for N not an integer ≥ 1 or V negative.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(Number.isInteger(trials) && trials >= 1)) throw new RangeError(`trials = ${trials} must be an integer ≥ 1`);
  if (!(variance >= 0 && Number.isFinite(variance))) throw new RangeError(`variance of trial Sharpe ratios = ${variance} must be finite and ≥ 0`);
  if (trials === 1) return 0;
  const z = (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(variance) * z;
}

/** Inputs of the deflated Sharpe ratio; every Sharpe quantity per period, not annualised. */
export interface DsrInput {
  /** SR̂ of the selected (best) trial, per period. */
  readonly sharpe: number;
  readonly observations: number;
  readonly skew: number;
  /** Raw kurtosis (normal = 3). */
  readonly kurtosis: number;
  /** N, the number of independent trials the selection was made from. */
  readonly trials: number;
  /** V[SR_n], the variance of the per-period Sharpe ratios across the trials. */
  readonly trialSharpeVariance: number;
}

export interface DsrResult {
  /** DSR = PSR(SR₀): the probability that the selected strategy's true Sharpe ratio is above 0 after deflation. */
  readonly dsr: number;
  /** SR₀ = E[max SR_n], the per-period benchmark the selected Sharpe ratio had to beat. */
  readonly benchmark: number;
  /** PSR(0), the same probability without the correction for the number of trials. */
  readonly psr: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado 2014, "The Deflated Sharpe Ratio: Correcting
 * for Selection Bias, Backtest Overfitting and Non-Normality", JPM 40(5)): PSR with the benchmark
 * raised to the Sharpe ratio the best of N worthless trials would be expected to show.
 * @throws RangeError as `probabilisticSharpe` and `expectedMaxSharpe`.
 */
export function deflatedSharpe(x: DsrInput): DsrResult {
  const benchmark = expectedMaxSharpe(x.trials, x.trialSharpeVariance);
  const base = { sharpe: x.sharpe, observations: x.observations, skew: x.skew, kurtosis: x.kurtosis };
  return { dsr: probabilisticSharpe({ ...base, benchmark }), benchmark, psr: probabilisticSharpe({ ...base, benchmark: 0 }) };
}
