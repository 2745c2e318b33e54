// A run resumed from a checkpoint file is the uninterrupted run, on one worker or on threads; envs that cannot be snapshotted still resume, re-seeded.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadCheckpoint, saveCheckpoint } from "../../../experiments/rl/checkpoint.ts";
import type { Env } from "../../../experiments/rl/env.ts";
import { CartPole } from "../../../experiments/rl/envs/cartpole.ts";
import { trainPpo, type IterationStats, type PpoArgs, type PpoState } from "../../../experiments/rl/ppo.ts";
import { CARTPOLE_ZOO } from "../../../experiments/rl/zoo.ts";

const tmp = await mkdtemp(join(tmpdir(), "arena-resume-"));
test.after(() => rm(tmp, { recursive: true, force: true }));

/** 6 iterations of 256 steps; CartPole's episodes run across iteration boundaries. */
const ARGS: PpoArgs = { ...CARTPOLE_ZOO, backend: "wasm", totalTimesteps: 1536, updateEpochs: 4, seed: 5 };
const CARTPOLE = { kind: "env", name: "cartpole" } as const;
const untimed = (c: readonly IterationStats[]) => c.map((s) => ({ ...s, rolloutMs: 0, updateMs: 0 }));

/** Trains straight through, keeping the checkpoint after iteration `at` as written to and read back from a file. */
async function straightAndSaved(args: PpoArgs, at: number, file: string) {
  const straight = await trainPpo(CARTPOLE, args, {
    onCheckpoint: async (state) => {
      if (state.iteration === at) await saveCheckpoint(file, { env: "cartpole", args, state });
    },
  });
  return { straight, saved: (await loadCheckpoint(file)).state };
}

for (const workers of [1, 2]) {
  test(`on ${workers} worker(s): 6 iterations straight and 3 + a resume from the checkpoint file give the same weights, statistics and curve`, async () => {
    const args = { ...ARGS, workers };
    const { straight, saved } = await straightAndSaved(args, 3, join(tmp, `w${workers}.json`));
    assert.ok(saved.exact !== undefined, "the checkpoint holds the envs and streams");
    const resumed = await trainPpo(CARTPOLE, args, {}, saved);
    assert.deepEqual(resumed.policy.actor, straight.policy.actor);
    assert.deepEqual(resumed.policy.normalizer, straight.policy.normalizer);
    assert.deepEqual(untimed(resumed.curve), untimed(straight.curve));
  });
}

test("an env without snapshot() resumes re-seeded: no exact state is saved, and the run still completes its iterations", async () => {
  // CartPole as an env that only resets and steps.
  const opaque = (): Env<number> => {
    const c = new CartPole();
    return { observationSpace: c.observationSpace, actionSpace: c.actionSpace, reset: (o) => c.reset(o), step: (a) => c.step(a) };
  };
  let mid: PpoState | undefined;
  const straight = await trainPpo(opaque, ARGS, { onCheckpoint: async (s) => void (s.iteration === 3 && (mid = s)) });
  assert.ok(mid !== undefined);
  assert.equal(mid.exact, undefined);
  const resumed = await trainPpo(opaque, ARGS, {}, mid);
  assert.equal(resumed.curve.length, 6);
  assert.notDeepEqual(resumed.policy.actor.weights, straight.policy.actor.weights);
});
