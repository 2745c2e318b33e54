// The market memory as the market state's 4 memory features: a StateEmbedder over the venue's candles, the memory asked synchronously at the decision time.
import { assess, type MemoryAssessment } from "../memory/assessment.ts";
import { type BookTop, StateEmbedder } from "../memory/embedding.ts";
import { MEMORY_K } from "../memory/market-memory.ts";
import type { Filter, Hit } from "../memory/vector-store.ts";
import type { Candle } from "../strategies/strategy.ts";

/** What the market state asks a memory: synchronously, since the RL env steps without awaiting. */
export interface MemoryReader {
  /** What the memory says about `state`, counting only outcomes known at `atMs` (Unix ms: payload `end <= atMs`). */
  ask(state: Float32Array, atMs: number): MemoryAssessment;
}

/**
 * A memory's store read synchronously: the same answer as `MarketMemory.query(state, {at: atMs, k})`
 * over the same store and loss scale (agents/memory/market-memory.ts).
 */
export function storeReader(store: { searchSync(vector: ArrayLike<number>, k: number, filter?: Filter): Hit[] }, lossScale: number, k: number = MEMORY_K): MemoryReader {
  return { ask: (state, atMs) => assess(store.searchSync(state, k, { must: [{ key: "end", range: { lte: atMs } }] }), k, lossScale) };
}

/**
 * Streams the venue's closed candles into a StateEmbedder and asks the memory once per new
 * candle: at the first decision that sees it, with that decision's top of book and time. The
 * newest candle is held until then (the book belongs to it alone; older ones of a batch are
 * embedded without one), so the env and the PolicyBot, which fold candles in before observing,
 * ask the same question at the same time.
 */
export class MemoryFeatures {
  private readonly embedder = new StateEmbedder();
  private pending: Candle | null = null;
  /** Questions asked so far (one per candle once the embedding is warm). */
  queries = 0;

  constructor(private readonly reader: MemoryReader) {}

  /** A closed candle, oldest first (the caller has dropped repeats). */
  candle(c: Candle): void {
    if (this.pending !== null) this.embedder.update(this.pending, null);
    this.pending = c;
  }

  /**
   * At a decision: embeds the candle held, if any, with `book` (null where a side is empty) and
   * asks the memory at `atMs`. Null when no new candle came or the embedding is still warming up
   * (its first 240 candles): the features keep what they held.
   */
  observe(atMs: number, book: BookTop | null): MemoryAssessment | null {
    const c = this.pending;
    if (c === null) return null;
    this.pending = null;
    const v = this.embedder.update(c, book);
    if (v === null) return null;
    this.queries++;
    return this.reader.ask(v, atMs);
  }
}
