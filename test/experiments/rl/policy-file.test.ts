// policy.json: a saved policy acts as the trained one; wrong version, corrupt JSON and an obs-size mismatch are refused by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../../sim/rng.ts";
import { CartPole } from "../../../experiments/rl/envs/cartpole.ts";
import { DiscreteAvellanedaStoikovEnv } from "../../../experiments/rl/envs/avellaneda-stoikov.ts";
import { initMlp } from "../../../experiments/rl/mlp.ts";
import { ObsNormalizer } from "../../../experiments/rl/normalize.ts";
import { Policy } from "../../../experiments/rl/policy.ts";
import { loadPolicy, PolicyFileError, savePolicy } from "../../../experiments/rl/policy-file.ts";

const tmp = await mkdtemp(join(tmpdir(), "arena-policy-"));
test.after(() => rm(tmp, { recursive: true, force: true }));

const env = new CartPole();
const policy = new Policy(initMlp([4, 8, 2], 1, Rng.root(3)), new ObsNormalizer(Float64Array.from([0.1, -2, 0.3, 4]), Float64Array.from([1, 0.5, 2, 3])));

test("a saved policy loads with the same weights and normaliser, so it takes the same actions", async () => {
  const path = join(tmp, "p.json");
  await savePolicy(path, "cartpole", env, policy);
  const back = await loadPolicy(path, env);
  assert.deepEqual(back.actor, policy.actor);
  assert.deepEqual(back.normalizer, policy.normalizer);
  const rng = Rng.root(5);
  for (let i = 0; i < 200; i++) {
    const obs = Float32Array.from({ length: 4 }, () => rng.normal() * 3);
    assert.deepEqual(back.logits(obs), policy.logits(obs));
  }
});

test("refusals name the file and the fault: corrupt JSON, a wrong version, a missing field, an observation size that does not match", async () => {
  const path = join(tmp, "q.json");
  await savePolicy(path, "cartpole", env, policy);
  const good = JSON.parse(await readFile(path, "utf8"));
  const cases: [string, RegExp][] = [
    ["{\"format\":", /q\.json is corrupt: not valid JSON/],
    [JSON.stringify({ ...good, version: 2 }), /q\.json has format version 2; this arena reads version 1/],
    [JSON.stringify({ ...good, actor: undefined }), /q\.json is corrupt or not a policy file: actor/],
    [JSON.stringify({ ...good, actor: { ...good.actor, biases: [[0], [0, 0]] } }), /biases\.0: has 1 numbers, must be 8/],
  ];
  for (const [text, re] of cases) {
    await writeFile(path, text);
    await assert.rejects(loadPolicy(path, env), (e: Error) => e instanceof PolicyFileError && re.test(e.message));
  }
  await writeFile(path, JSON.stringify(good));
  await assert.rejects(loadPolicy(path, new DiscreteAvellanedaStoikovEnv()), /observes 4 values \(trained on cartpole\), but this environment's observation has 3/);
});
