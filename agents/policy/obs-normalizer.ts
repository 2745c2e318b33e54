// The frozen observation normaliser a trained policy carries: (x − mean) / √(var + 1e-8), clipped.

/** (x − mean) / √(var + 1e-8), clipped to ±clip: what the policy sees. */
export class ObsNormalizer {
  constructor(
    readonly mean: Float64Array,
    readonly variance: Float64Array,
    readonly clip = 10,
  ) {}

  /** Writes the normalised `x` into `out` (same length) and returns it. */
  apply(x: ArrayLike<number>, out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) {
      const z = (x[i] - this.mean[i]) / Math.sqrt(this.variance[i] + 1e-8);
      out[i] = z > this.clip ? this.clip : z < -this.clip ? -this.clip : z;
    }
    return out;
  }
}
