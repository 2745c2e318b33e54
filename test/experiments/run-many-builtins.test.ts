// Every built-in world, run through its shocks on the suite's worker path, gives the same digests on 1 worker and on 2.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { runMany } from "../../experiments/run-many.ts";
import { builtinSpecOf, WORLDS } from "../../scenarios/registry.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const MINUTE = 60_000_000_000;

/**
 * Each world's run length: just past the last thing its timeline schedules (checked below), so
 * every shock and manipulator acts; 30 minutes for worlds without a timeline.
 */
const DURATION_MIN: Readonly<Record<string, number>> = {
  smoke: 10,
  normal: 30,
  // -30% and a 15-minute withdrawal at minute 30.
  crash: 50,
  // Pump at 30, dump at 90 (with a 20-minute withdrawal), the manipulator stops at 150.
  "pump-and-dump": 155,
  // Whale sale and a 10-minute withdrawal at 60, the cascade active for 30 minutes after.
  "flash-crash": 95,
  "high-volatility": 30,
  // Real paths, no timeline: long enough to follow a few 1-minute points or part of an hour's bridge.
  "banking-crisis-2023": 15,
  "ftx-collapse-2022": 15,
};

/** The latest time (ns) a spec's timeline schedules: shocks and their withdrawals, and manipulators' times. */
function lastScheduledNs(name: string): number {
  if (name === "smoke") return 0;
  const spec = builtinSpecOf(name)!;
  let last = 0;
  for (const s of spec.shocks) last = Math.max(last, s.at + ((s.params as { minutes?: number }).minutes ?? 0) * MINUTE);
  for (const p of spec.populations) {
    const params = p.params as Record<string, unknown>;
    for (const [k, v] of Object.entries(params)) if (/^(at|from|until)$|At$/.test(k) && typeof v === "number") last = Math.max(last, v);
    if (typeof params.at === "number" && typeof params.activeSec === "number") last = Math.max(last, params.at + params.activeSec * 1e9);
  }
  return last;
}

test("the table covers every built-in world, each run past the last event its timeline schedules", () => {
  assert.deepEqual(Object.keys(DURATION_MIN).sort(), Object.keys(WORLDS).sort());
  for (const [name, min] of Object.entries(DURATION_MIN)) {
    const last = lastScheduledNs(name);
    assert.ok(min * MINUTE > last, `${name}: ${min} min does not reach past its last scheduled event at minute ${last / MINUTE}`);
  }
});

test("every built-in world, through its shocks, gives the same digests and event counts on 1 worker and on 2, in task order", async () => {
  const dir = tempDir("arena-many-builtins-");
  const tasks = (w: number) =>
    Object.entries(DURATION_MIN).map(([scenario, min]) => ({ scenario, seed: 7, durationNs: min * MINUTE, out: join(dir, `w${w}`, scenario) }));
  const one = await runMany({ tasks: tasks(1), workers: 1 });
  const two = await runMany({ tasks: tasks(2), workers: 2 });
  assert.deepEqual(one.map((s) => s.scenario), Object.keys(DURATION_MIN));
  assert.deepEqual(two.map((s) => [s.scenario, s.digest]), one.map((s) => [s.scenario, s.digest]));
  assert.deepEqual(two.map((s) => s.events), one.map((s) => s.events));
  assert.deepEqual(two.map((s) => s.bots), one.map((s) => s.bots), "bot results too");
  assert.equal(new Set(one.map((s) => s.digest)).size, one.length, "each world has its own digest");
  for (const s of one) assert.ok(s.events.trade > 50, `${s.scenario} traded (${s.events.trade} trades)`);
});
