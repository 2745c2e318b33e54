// Workers load a prebuilt bundle of their task module; each bundled module keeps its own URL.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runParallel } from "../../sim/parallel.ts";
import { workerBundle } from "../../sim/worker-bundle.ts";

const ENTRY = new URL("../fixtures/worker-bundle/entry.ts", import.meta.url);

test("the bundle is one JavaScript file in node_modules/.cache, built once per process", async () => {
  const a = await workerBundle(ENTRY);
  assert.ok(a !== undefined, "the bundle is built");
  assert.match(a.href, /\/node_modules\/\.cache\/btc-arena\/entry-[0-9a-f]{16}\.mjs$/);
  assert.equal(await workerBundle(ENTRY), a);
});

test("bundled modules keep their own import.meta.url and import packages from node_modules", async () => {
  const url = await workerBundle(ENTRY);
  const { default: task } = (await import(url!.href)) as { default: (x: number) => { doubled: number; entryUrl: string; nestedUrl: string } };
  assert.deepEqual(task(21), {
    doubled: 42,
    entryUrl: ENTRY.href,
    nestedUrl: new URL("../fixtures/worker-bundle/nested/where.ts", import.meta.url).href,
  });
});

test("a module that cannot be bundled gives undefined, and the pool falls back to the tsx entry", async () => {
  const missing = new URL("../fixtures/worker-bundle/no-such-module.ts", import.meta.url);
  assert.equal(await workerBundle(missing), undefined);
  // The fallback is the suite's tsx entry; a bad task rejects from inside it,
  // which proves the pool started on that entry rather than failing to start.
  await assert.rejects(
    runParallel({ worker: new URL("../../experiments/run-worker.mjs", import.meta.url), module: missing, tasks: [{ scenario: "no-such-world", seed: 1, out: "/nonexistent" }], workers: 1 }),
    /"no-such-world" is not a built-in/,
  );
});
