// Many runs on worker threads give the same results, in the same order, on 1 worker or 2.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { runMany } from "../../experiments/run-many.ts";
import { runWorld } from "../../experiments/run.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const MINUTE = 60_000_000_000;

test("digests are identical on 1 worker and on 2, in task order, and equal to an in-process run", async () => {
  const dir = tempDir("arena-many-");
  const tasks = (w: number) =>
    [3, 1, 4, 2].map((seed) => ({ scenario: "smoke", seed, durationNs: 2 * MINUTE, out: join(dir, `w${w}-s${seed}`) }));
  const one = await runMany({ tasks: tasks(1), workers: 1 });
  const seen: number[] = [];
  const two = await runMany({ tasks: tasks(2), workers: 2, onDone: (done) => seen.push(done) });
  assert.deepEqual(one.map((s) => s.seed), [3, 1, 4, 2]);
  assert.deepEqual(two.map((s) => s.digest), one.map((s) => s.digest));
  assert.deepEqual(two.map((s) => s.events), one.map((s) => s.events));
  assert.equal(new Set(one.map((s) => s.digest)).size, 4, "different seeds, different digests");
  assert.deepEqual(seen, [1, 2, 3, 4], "progress is reported once per finished run");
  const local = await runWorld({ scenario: "smoke", seed: 4, durationNs: 2 * MINUTE, out: join(dir, "local") });
  assert.equal(local.digest, one[2].digest);
});

test("zero workers is refused, naming the field and the value", async () => {
  await assert.rejects(runMany({ tasks: [], workers: 0 }), /workers: 0 must be a positive integer/);
  await assert.rejects(runMany({ tasks: [], workers: 1.5 }), /workers: 1.5 must be a positive integer/);
});

test("a failing run rejects with its error and leaves no thread running", async () => {
  const dir = tempDir("arena-many-");
  await assert.rejects(
    runMany({ tasks: [{ scenario: "no-such-world", seed: 1, out: join(dir, "x") }], workers: 1 }),
    /"no-such-world" is not a built-in/,
  );
});
