// A run's memory and disk are estimated from its activity and duration, and work past a limit is refused naming the flag.
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkEstimate, estimateMany, estimateRun, formatBytes, formatDuration } from "../../experiments/estimate.ts";
import { runWorld } from "../../experiments/run.ts";
import { ordersPerHour } from "../../scenarios/activity.ts";
import { builtinSpec } from "../../scenarios/builtins.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const HOUR = 3600e9;

test("the estimate grows with the populations' activity and the duration", () => {
  const normal = ordersPerHour(builtinSpec("normal"));
  // 60 noise × 3/min, 4 makers × 6 quotes every 3 s, 20 value traders × 10/min, 10 momentum × 1/min.
  assert.equal(normal, 60 * 180 + 4 * 1200 * 6 + 20 * 600 + 10 * 60);
  assert.ok(ordersPerHour(builtinSpec("pump-and-dump")) > normal, "the manipulators add orders");
  const day = estimateRun(normal, 24 * HOUR);
  const long = estimateRun(normal, 104 * 24 * HOUR);
  assert.ok(long.memoryBytes > 4e9 && long.memoryBytes < 20e9, formatBytes(long.memoryBytes));
  assert.ok(day.memoryBytes < 1e9);
  assert.equal(estimateMany([day, day, long], 2).memoryBytes, long.memoryBytes + day.memoryBytes);
  assert.equal(estimateMany([day, day, long], 2).diskBytes, 2 * day.diskBytes + long.diskBytes);
  assert.equal(formatBytes(11_900_000_000), "11.9 GB");
  assert.equal(formatDuration(104 * 24 * HOUR), "104 d");
  assert.equal(formatDuration(36 * HOUR), "36 h");
});

test("past a limit the refusal names the flag, the estimate and the limit", () => {
  const e = estimateRun(52_200, 104 * 24 * HOUR);
  assert.throws(() => checkEstimate("normal over 104 d", e, { maxMemoryBytes: 4e9, maxDiskBytes: 1e12 }, "why"), /^Error: --max-memory: normal over 104 d needs about 11\.9 GB of memory \(why\), past the limit of 4 GB; give a shorter --duration or raise --max-memory$/);
  assert.throws(() => checkEstimate("x", e, { maxMemoryBytes: 1e12, maxDiskBytes: 1e9 }, "why"), /^Error: --max-disk: x writes about 7\.82 GB \(why\), past the limit of 1 GB/);
  checkEstimate("x", e, { maxMemoryBytes: 1e12, maxDiskBytes: 1e12 }, "why");
});

test("the disk estimate is within a factor of two of what a run of normal writes", async () => {
  const out = join(tempDir("arena-estimate-"), "run");
  await runWorld({ scenario: "normal", seed: 1, durationNs: HOUR, out });
  const written = readdirSync(out).reduce((a, f) => a + statSync(join(out, f)).size, 0);
  const estimated = estimateRun(ordersPerHour(builtinSpec("normal")), HOUR).diskBytes;
  assert.ok(estimated > written / 2 && estimated < written * 2, `estimated ${estimated}, written ${written}`);
});
