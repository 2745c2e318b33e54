// Resource flags shared by commands: worker threads against the cores, and memory and disk estimates against their limits.
import type { Command } from "commander";
import { availableParallelism } from "node:os";
import {
  basis, checkEstimate, DEFAULT_MAX_DISK_BYTES, DEFAULT_MAX_MEMORY_BYTES, DISK_BYTES_PER_ORDER, formatBytes, LONG_RUN_HOURS,
  MEMORY_BYTES_PER_ORDER, RUN_BASE_BYTES, type RunEstimate,
} from "../experiments/estimate.ts";
import { UsageError } from "./args.ts";

/** Most worker threads a command starts: twice the cores, since each run keeps one core busy. */
export function maxWorkers(): number {
  return 2 * availableParallelism();
}

/** Help text of `--workers`, with the reason for its cap. */
export function workersHelp(what: string): string {
  return `worker threads for ${what}, 1 to ${maxWorkers()} (2 × the ${availableParallelism()} cores here): runs are CPU-bound, one per worker, so more threads than cores add memory, not speed`;
}

/** `--workers`: an integer from 1 to maxWorkers(). */
export function parseWorkers(flag: string, raw: string): number {
  const s = raw.trim();
  const n = /^\d{1,7}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1)) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a positive integer`);
  if (n > maxWorkers()) {
    throw new UsageError(`${flag}: ${n} is more than ${maxWorkers()}, twice the ${availableParallelism()} cores here: runs are CPU-bound, one per worker, so more threads only add memory`);
  }
  return n;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)$/i;
const UNIT: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** A size such as "8GB", "500MB" or "1.5TB" (decimal units), in bytes. */
export function parseSize(flag: string, raw: string): number {
  const m = SIZE.exec(raw.trim());
  if (m === null) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a size such as 500MB, 8GB or 1TB`);
  return Number(m[1]) * UNIT[m[2].toUpperCase()];
}

/** The limit flags as the commands receive them. */
export interface SizeLimits {
  readonly maxMemory: number;
  readonly maxDisk: number;
}

/** Adds `--max-memory` and `--max-disk` to `cmd`, with the basis of the estimate in their help. */
export function addSizeLimitOptions(cmd: Command, per: string): Command {
  const model = `estimated as ${formatBytes(RUN_BASE_BYTES)} + ${MEMORY_BYTES_PER_ORDER} B a run per order its populations may send (normal: at most 52,200 an hour, measured about 4.5 MB an hour)`;
  return cmd
    .option("--max-memory <size>", `refuse ${per} whose memory is ${model} past this`, (v) => parseSize("--max-memory", v), DEFAULT_MAX_MEMORY_BYTES)
    .option("--max-disk <size>", `refuse ${per} whose files, at ${DISK_BYTES_PER_ORDER} B per order (normal: about 3 MB an hour), come past this`, (v) => parseSize("--max-disk", v), DEFAULT_MAX_DISK_BYTES);
}

/**
 * Refuses work whose estimate passes a limit, and prints the estimate to stderr when any run is longer than a day.
 * @throws UsageError naming the flag, the estimate and the limit.
 */
export function checkSize(what: string, runs: readonly RunEstimate[], total: { readonly memoryBytes: number; readonly diskBytes: number }, limits: SizeLimits): void {
  const longest = runs.reduce((a, r) => (r.hours > a.hours ? r : a), runs[0]);
  const why = basis(longest);
  try {
    checkEstimate(what, total, { maxMemoryBytes: limits.maxMemory, maxDiskBytes: limits.maxDisk }, why);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (longest.hours > LONG_RUN_HOURS) {
    process.stderr.write(`arena: estimate for ${what}: about ${formatBytes(total.memoryBytes)} of memory and ${formatBytes(total.diskBytes)} of disk (${why})\n`);
  }
}
