// How much memory and disk runs will take, from their activity and duration, and the refusal past a limit.
import { HOUR } from "../sim/clock.ts";

/** A run's memory before it records anything: the process, the code, the world. */
export const RUN_BASE_BYTES = 200_000_000;
/** Memory a run's recording grows by per order its populations may send (the calibration is in the README). */
export const MEMORY_BYTES_PER_ORDER = 90;
/** Bytes of Arrow files written per order its populations may send. */
export const DISK_BYTES_PER_ORDER = 60;

/** Runs longer than a day (in hours) print their estimate before they start. */
export const LONG_RUN_HOURS = 24;

/** Default limits: what `--max-memory` and `--max-disk` raise. */
export const DEFAULT_MAX_MEMORY_BYTES = 4e9;
export const DEFAULT_MAX_DISK_BYTES = 10e9;

/** One run's estimate, bytes. */
export interface RunEstimate {
  readonly ordersPerHour: number;
  readonly hours: number;
  readonly memoryBytes: number;
  readonly diskBytes: number;
}

/** Estimates a run of `durationNs` whose populations may send `ordersPerHour` orders an hour. */
export function estimateRun(ordersPerHour: number, durationNs: number): RunEstimate {
  const orders = ordersPerHour * (durationNs / HOUR);
  return { ordersPerHour, hours: durationNs / HOUR, memoryBytes: RUN_BASE_BYTES + MEMORY_BYTES_PER_ORDER * orders, diskBytes: DISK_BYTES_PER_ORDER * orders };
}

/** Several runs on `workers` threads: memory of the largest runs at once, disk of them all. */
export function estimateMany(runs: readonly RunEstimate[], workers: number): { readonly memoryBytes: number; readonly diskBytes: number } {
  const largest = [...runs].map((r) => r.memoryBytes).sort((a, b) => b - a).slice(0, Math.max(1, workers));
  return { memoryBytes: largest.reduce((a, b) => a + b, 0), diskBytes: runs.reduce((a, r) => a + r.diskBytes, 0) };
}

/** "1.3 GB", "750 MB": bytes in decimal units, as the size flags take them. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [[1e12, "TB"], [1e9, "GB"], [1e6, "MB"], [1e3, "KB"]];
  for (const [u, name] of units) if (n >= u) return `${Number((n / u).toPrecision(3))} ${name}`;
  return `${Math.round(n)} B`;
}

/** "104 d", "36 h": a run's length as the estimate messages show it. */
export function formatDuration(durationNs: number): string {
  const hours = durationNs / HOUR;
  return hours >= 48 ? `${Number((hours / 24).toPrecision(4))} d` : `${Number(hours.toPrecision(4))} h`;
}

/** How an estimate was made, for messages: the model and the run's activity. */
export function basis(e: RunEstimate): string {
  return `${formatBytes(RUN_BASE_BYTES)} + ${MEMORY_BYTES_PER_ORDER} B of memory and ${DISK_BYTES_PER_ORDER} B of disk per order, at most ${Math.round(e.ordersPerHour).toLocaleString("en-US")} orders an hour × ${Number(e.hours.toPrecision(4))} h`;
}

/**
 * Refuses work whose estimate passes a limit.
 * @throws Error naming the flag, the estimate and the limit.
 */
export function checkEstimate(what: string, e: { readonly memoryBytes: number; readonly diskBytes: number }, limits: { readonly maxMemoryBytes: number; readonly maxDiskBytes: number }, why: string): void {
  if (e.memoryBytes > limits.maxMemoryBytes) {
    throw new Error(`--max-memory: ${what} needs about ${formatBytes(e.memoryBytes)} of memory (${why}), past the limit of ${formatBytes(limits.maxMemoryBytes)}; give a shorter --duration or raise --max-memory`);
  }
  if (e.diskBytes > limits.maxDiskBytes) {
    throw new Error(`--max-disk: ${what} writes about ${formatBytes(e.diskBytes)} (${why}), past the limit of ${formatBytes(limits.maxDiskBytes)}; give a shorter --duration or raise --max-disk`);
  }
}
