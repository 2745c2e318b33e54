// The standard normal CDF Φ and its inverse to ~1e-15, for the probabilistic and deflated Sharpe ratios.

/*
 * Why not simple-statistics: its `cumulativeStdNormalProbability` reads a 2-decimal table
 * (Φ(1.96) = 0.975 exactly, Φ(1.955) unresolved) and its `probit` gives Φ⁻¹(0.975) = 1.9572
 * instead of 1.959964. The deflated Sharpe ratio feeds Φ⁻¹(1 − 1/N) into a benchmark and then
 * Φ of a z-score into a probability, so both ends need full precision.
 */

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * erf(z) for 0 ≤ z < 2 by the series erf z = (2/√π) e^{−z²} Σ_{n≥0} 2ⁿ z^{2n+1} / (1·3·…·(2n+1))
 * (Abramowitz & Stegun 7.1.6). Every term is positive, so there is no cancellation and the
 * sum is accurate to a few ulps; at z = 2 it needs about 35 terms.
 */
function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-z2) * sum;
}

/**
 * erfc(z) for z ≥ 2 by the continued fraction (A&S 7.1.14)
 * erfc z = (e^{−z²}/√π) · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))),
 * evaluated bottom-up from a fixed depth; at z ≥ 2 depth 100 converges to ~1e-16 relative
 * (depth 40 would leave 5e-14 at z = 2), so tail probabilities keep full relative precision.
 */
function erfcContinuedFraction(z: number): number {
  let f = z;
  for (let k = 100; k >= 1; k--) f = z + k / 2 / f;
  return Math.exp(-z * z) / SQRT_PI / f;
}

/** erfc(z) = 1 − erf(z) for any real z, with relative precision in the upper tail. */
export function erfc(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("erfc of NaN");
  if (z < 0) return 2 - erfc(-z);
  return z < 2 ? 1 - erfSeries(z) : erfcContinuedFraction(z);
}

/**
 * Φ(x), the standard normal CDF: Φ(x) = erfc(−x/√2)/2. Absolute error below 1e-15 everywhere and
 * relative error below ~1e-13 for x < 0 (1 − erf(z) is formed only where erfc(z) > 0.0046).
 * @throws RangeError for NaN.
 */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / SQRT2);
}

// Acklam's rational approximation of Φ⁻¹ (relative error 1.15e-9), polished by Halley steps below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * Φ⁻¹(p), the standard normal quantile: Acklam's approximation followed by two Halley steps
 * on Φ(x) − p (Acklam's own refinement), which bring it to the precision of `normalCdf`.
 * Upper-tail p are solved by symmetry, Φ⁻¹(p) = −Φ⁻¹(1 − p), so the refinement works on the
 * small probability where `normalCdf` keeps relative precision.
 * @returns −Infinity at p = 0, +Infinity at p = 1.
 * @throws RangeError for p outside [0, 1] or NaN.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} must be in [0, 1]`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  for (let i = 0; i < 2; i++) {
    const e = normalCdf(x) - p;
    const u = e * SQRT_2PI * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}
