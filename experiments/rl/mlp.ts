// A small tanh MLP in plain JS: seeded orthogonal init; the forward pass rollouts use lives in agents/policy (no tfjs per step).
import type { Rng } from "../../sim/rng.ts";
import type { MlpParams } from "../../agents/policy/mlp-forward.ts";

export { MlpForward, type MlpParams } from "../../agents/policy/mlp-forward.ts";

/**
 * Orthogonal weights (gain √2 on hidden layers, `outGain` on the last) and zero biases, as CleanRL's
 * and Stable-Baselines3's `layer_init`; drawn from `rng`, so the same on every backend.
 */
export function initMlp(sizes: readonly number[], outGain: number, rng: Rng): MlpParams {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const gain = l + 2 === sizes.length ? outGain : Math.SQRT2;
    weights.push(orthogonal(sizes[l], sizes[l + 1], gain, rng));
    biases.push(new Float32Array(sizes[l + 1]));
  }
  return { sizes, weights, biases };
}

/**
 * A rows × cols matrix with orthonormal rows or columns (whichever are fewer), times `gain`:
 * Gram–Schmidt on a Gaussian matrix, signs as in the QR convention (positive diagonal of R).
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const n = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const vecs: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = new Float64Array(len);
    for (let k = 0; k < len; k++) v[k] = rng.normal();
    for (const u of vecs) {
      let dot = 0;
      for (let k = 0; k < len; k++) dot += u[k] * v[k];
      for (let k = 0; k < len; k++) v[k] -= dot * u[k];
    }
    let norm = 0;
    for (let k = 0; k < len; k++) norm += v[k] * v[k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < len; k++) v[k] /= norm;
    vecs.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows <= cols ? vecs[r][c] : vecs[c][r]);
  }
  return out;
}
