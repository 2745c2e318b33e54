// Running mean and variance of observations (Stable-Baselines3's RunningMeanStd); the clipped normalisation lives in agents/policy.
import { ObsNormalizer } from "../../agents/policy/obs-normalizer.ts";

export { ObsNormalizer };

/** Per-element running mean and variance, merged batch by batch (Chan et al.'s parallel update). */
export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  /** Starts at a tiny positive count so the first merge needs no special case. */
  count = 1e-4;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
  }

  /** Merges `rows` observations stored back to back in `batch` (rows × size). */
  update(batch: ArrayLike<number>, rows: number): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let r = 0; r < rows; r++) m += batch[r * n + i];
      m /= rows;
      let v = 0;
      for (let r = 0; r < rows; r++) v += (batch[r * n + i] - m) ** 2;
      v /= rows;
      const delta = m - this.mean[i];
      const total = this.count + rows;
      this.mean[i] += (delta * rows) / total;
      this.var[i] = (this.var[i] * this.count + v * rows + (delta * delta * this.count * rows) / total) / total;
    }
    this.count += rows;
  }

  /** A frozen copy, for a trained policy to carry. */
  snapshot(): ObsNormalizer {
    return new ObsNormalizer(Float64Array.from(this.mean), Float64Array.from(this.var));
  }
}
