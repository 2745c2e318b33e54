// A trained categorical policy as plain JS (normaliser + actor weights): logits and the greedy action.
import { MlpForward, type MlpParams } from "./mlp-forward.ts";
import type { ObsNormalizer } from "./obs-normalizer.ts";

/** The policy a PPO run produces: no tfjs needed to act. */
export class Policy {
  private readonly forward: MlpForward;
  private readonly scratch: Float32Array;

  constructor(
    readonly actor: MlpParams,
    readonly normalizer: ObsNormalizer | undefined,
  ) {
    this.forward = new MlpForward(actor);
    this.scratch = new Float32Array(actor.sizes[0]);
  }

  /** The action logits for a raw observation; the buffer is reused by the next call. */
  logits(obs: Float32Array): Float32Array {
    return this.forward.run(this.normalizer === undefined ? obs : this.normalizer.apply(obs, this.scratch));
  }

  /** The most probable action (ties to the lowest index). */
  act(obs: Float32Array): number {
    const l = this.logits(obs);
    let best = 0;
    for (let i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
    return best;
  }
}
