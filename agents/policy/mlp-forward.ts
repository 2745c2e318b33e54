// A small tanh MLP's forward pass on Float32Arrays: what a trained policy runs to act, in any venue (no tfjs).

/**
 * Dense layers in tfjs's layout: `weights[l]` is row-major [sizes[l], sizes[l+1]] (input × output),
 * `biases[l]` has sizes[l+1] elements. Hidden layers apply tanh; the last layer is linear.
 */
export interface MlpParams {
  readonly sizes: readonly number[];
  readonly weights: readonly Float32Array[];
  readonly biases: readonly Float32Array[];
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
