// The seed's memory-enhanced strategy: RSI(14) < 40 enters only when the market memory says low risk, high confidence and no anomaly.
import { z } from "zod";
import { MEMORY_FILTER_DEFAULTS, MemoryFilter, MemoryFiltered } from "../memory/memory-filter.ts";
import { openMemorySync } from "../memory/opened-memories.ts";
import { commonFields, DEFAULT_EXITS } from "./params.ts";
import { RsiThreshold, rsiLevels, rsiThresholdShape } from "./rsi-threshold.ts";
import type { Strategy } from "./strategy.ts";

const TIMEFRAME_MINUTES: Readonly<Record<string, number>> = { "1m": 1, "5m": 5, "15m": 15, "1h": 60, "4h": 240, "1d": 1440 };

/** Opens the folder while params are parsed, so a bad one is refused as `params.memory` with its value. */
function loadable(dir: string, ctx: z.RefinementCtx): void {
  try {
    openMemorySync(dir);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `not a usable memory folder: ${(err as Error).message}` });
  }
}

export const MemoryRsiParams = z
  .strictObject({
    /** A memory folder written by `arena memory build` (path as given, relative to the working directory). */
    memory: z.string().min(1).superRefine(loadable),
    ...rsiThresholdShape,
    /** Neighbours asked for, and the entry thresholds (blocked when risk >= maxRisk or confidence <= minConfidence; an anomaly always blocks). */
    k: z.number().int().min(1).max(1000).default(MEMORY_FILTER_DEFAULTS.k),
    maxRisk: z.number().min(0).max(1).default(MEMORY_FILTER_DEFAULTS.maxRisk),
    minConfidence: z.number().min(0).max(1).default(MEMORY_FILTER_DEFAULTS.minConfidence),
    /** Remember each trade on close and count it in later queries (kept beside the folder's states, never written to the folder). */
    recordTrades: z.boolean().default(true),
    ...commonFields(DEFAULT_EXITS),
  })
  .superRefine(rsiLevels);
export type MemoryRsiParams = z.infer<typeof MemoryRsiParams>;

/**
 * RSI(`rsiPeriod`) < `entryBelow` enters when the memory filter allows it; RSI > `exitAbove`
 * exits, as do the stop-loss and ROI table (defaults -5%, +10%). The memory is the folder
 * `memory`, opened synchronously (create() is synchronous) once per process and shared
 * (agents/memory/opened-memories.ts) and only read: with `recordTrades` (default) the strategy's
 * closed trades are remembered by its own filter, beside the folder's states, for this run only.
 */
export function createMemoryRsi(p: MemoryRsiParams): Strategy {
  const { memory, store } = openMemorySync(p.memory);
  const filter = new MemoryFilter({ store, lossScale: memory.lossScale }, {
    k: p.k, maxRisk: p.maxRisk, minConfidence: p.minConfidence, barMinutes: TIMEFRAME_MINUTES[p.timeframe],
  });
  return new MemoryFiltered(new RsiThreshold(p, "rsi-threshold"), filter, "memory-rsi", { recordTrades: p.recordTrades });
}
