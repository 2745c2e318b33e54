// A rollout worker thread's task: build this thread's envs once, then step them for each iteration it is sent.
import { Piscina } from "piscina";
import { chunkBuffers, EnvGroup, type GroupChunk, type GroupInit, type GroupRollout } from "./env-group.ts";
import type { RolloutsState } from "./rollout.ts";

/** The requests a rollout thread serves: init once, then rollout per iteration, and save between two. */
export type RolloutTask = { readonly op: "init"; readonly init: GroupInit } | { readonly op: "rollout"; readonly rollout: GroupRollout } | { readonly op: "save" };

/** The envs of this thread: each rollout pool has one thread, so its envs persist between tasks. */
let group: EnvGroup | undefined;

/** Returns the envs' first observations (init), the iteration's chunk (rollout, its arrays moved, not copied) or the envs' state (save). */
export default async function rolloutTask(task: RolloutTask): Promise<Float32Array | GroupChunk | RolloutsState | undefined> {
  if (task.op === "init") {
    group = await EnvGroup.create(task.init);
    return Float32Array.from(group.initialObs);
  }
  if (group === undefined) throw new Error("rollout worker: a rollout before init (was the thread restarted?); the run cannot continue");
  if (task.op === "save") return group.save();
  const chunk = group.rollout(task.rollout);
  const movable = { [Piscina.transferableSymbol]: chunkBuffers(chunk), [Piscina.valueSymbol]: chunk };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as GroupChunk;
}
