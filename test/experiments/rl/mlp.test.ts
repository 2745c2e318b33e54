// The plain-JS forward pass rollouts use gives tfjs's answer, and the init is orthogonal and seeded.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initMlp, MlpForward, orthogonal } from "../../../experiments/rl/mlp.ts";
import { useBackend } from "../../../experiments/rl/tf-backend.ts";
import { Rng } from "../../../sim/rng.ts";

test("MlpForward matches the same tanh MLP computed by tfjs (wasm)", async () => {
  await useBackend("wasm");
  const p = initMlp([4, 16, 8, 3], 1, Rng.root(5));
  for (const b of p.biases) b.forEach((_, i) => (b[i] = 0.1 * i - 0.3));
  const x = Float32Array.from([0.3, -1.2, 0.05, 2]);
  const js = Array.from(new MlpForward(p).run(x));
  const expected = tf.tidy(() => {
    let h: tf.Tensor = tf.tensor2d(x, [1, 4]);
    for (let l = 0; l < p.weights.length; l++) {
      h = h.matMul(tf.tensor2d(p.weights[l], [p.sizes[l], p.sizes[l + 1]])).add(tf.tensor1d(p.biases[l]));
      if (l + 1 < p.weights.length) h = h.tanh();
    }
    return Array.from(h.dataSync());
  });
  js.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `output ${i}: ${v} vs ${expected[i]}`));
});

test("orthogonal(r, c, gain) has orthonormal columns (r >= c) or rows, times gain, and is seeded", () => {
  for (const [r, c] of [[8, 3], [3, 8]] as const) {
    const w = orthogonal(r, c, 2, Rng.root(1));
    const n = Math.min(r, c);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let k = 0; k < Math.max(r, c); k++) dot += r >= c ? w[k * c + a] * w[k * c + b] : w[a * c + k] * w[b * c + k];
        assert.ok(Math.abs(dot - (a === b ? 4 : 0)) < 1e-5, `${r}x${c} [${a},${b}] = ${dot}`);
      }
    }
    assert.deepEqual(orthogonal(r, c, 2, Rng.root(1)), w);
  }
});
