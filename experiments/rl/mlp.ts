// A small tanh MLP in plain JS: seeded orthogonal init, and the forward pass rollouts use (no tfjs per step).
import type { Rng } from "../../sim/rng.ts";

/**
 * Dense layers in tfjs's layout: `weights[l]` is row-major [sizes[l], sizes[l+1]] (input × output),
 * `biases[l]` has sizes[l+1] elements. Hidden layers apply tanh; the last layer is linear.
 */
export interface MlpParams {
  readonly sizes: readonly number[];
  readonly weights: readonly Float32Array[];
  readonly biases: readonly Float32Array[];
}

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

/** A forward pass with its scratch buffers allocated once. */
export class MlpForward {
  private readonly acts: Float32Array[];

  constructor(private params: MlpParams) {
    this.acts = params.sizes.map((n) => new Float32Array(n));
  }

  /** Swap in new weights of the same sizes (after an update). */
  load(params: MlpParams): void {
    this.params = params;
  }

  /** The output for input `x`; the returned buffer is reused by the next call. */
  run(x: ArrayLike<number>): Float32Array {
    const { sizes, weights, biases } = this.params;
    const last = sizes.length - 1;
    this.acts[0].set(x);
    for (let l = 0; l < last; l++) {
      const input = this.acts[l];
      const out = this.acts[l + 1];
      const w = weights[l];
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      out.set(biases[l]);
      for (let i = 0; i < nIn; i++) {
        const xi = input[i];
        const row = i * nOut;
        for (let j = 0; j < nOut; j++) out[j] += xi * w[row + j];
      }
      if (l + 1 < last) for (let j = 0; j < nOut; j++) out[j] = Math.tanh(out[j]);
    }
    return this.acts[last];
  }
}
