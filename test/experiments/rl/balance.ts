// A hand-written CartPole controller that survives to the time limit, for the tests that need a long episode.

/** Push towards where the pole is falling, with a little cart-centring. */
export function balance(obs: Float32Array): number {
  return obs[2] + 0.5 * obs[3] + 0.01 * obs[0] + 0.05 * obs[1] > 0 ? 1 : 0;
}
