// The memory filter: around any strategy, an "enter" passes only when the memory's neighbours of the state of now say low risk, high confidence, no anomaly.
import { type MemoryAssessment, assess } from "./assessment.ts";
import { EMBEDDING_STARTUP_BARS, StateEmbedder } from "./embedding.ts";
import { MEMORY_K } from "./market-memory.ts";
import type { Filter, Hit } from "./vector-store.ts";
import type { Candle, ExitRules, Regime, Signal, Strategy } from "../strategies/strategy.ts";

/** The seed's thresholds: an entry is blocked when risk >= maxRisk, confidence <= minConfidence, or the state is an anomaly. */
export const MEMORY_FILTER_DEFAULTS = Object.freeze({ k: MEMORY_K, maxRisk: 0.5, minConfidence: 0.6 });

/**
 * A memory that can be asked synchronously (Strategy.update is synchronous): the embedded
 * store's `searchSync` and the memory's loss scale. `MarketMemory` over an `EmbeddedStore` is one.
 */
export interface SyncMemory {
  readonly store: { searchSync(vector: ArrayLike<number>, k: number, filter?: Filter): Hit[] };
  readonly lossScale: number;
}

export interface MemoryFilterOptions {
  /** Neighbours asked for (default 20). */
  readonly k?: number;
  /** Entries are blocked when risk >= this (default 0.5). */
  readonly maxRisk?: number;
  /** Entries are blocked when confidence <= this (default 0.6). */
  readonly minConfidence?: number;
  /** Bar length in minutes, for the embedding's absolute levels; default the spacing of the first two bars. */
  readonly barMinutes?: number;
}

/** Why an entry was let through or blocked; "warming-up" when the embedding has no state yet. */
export type FilterReason = "allowed" | "warming-up" | "anomaly" | "risk" | "confidence";

export interface FilterVerdict {
  readonly allowed: boolean;
  readonly reason: FilterReason;
  /** What the memory said; null while warming up. */
  readonly assessment: MemoryAssessment | null;
}

/**
 * The k nearest states and trades whose outcome was known by `at` (payload `end <= at`), assessed.
 * @param at Unix ms; outcomes that ended after it are never seen (no look-ahead).
 */
export function querySync(memory: SyncMemory, state: ArrayLike<number>, at: number, k: number = MEMORY_K): MemoryAssessment & { hits: Hit[] } {
  const hits = memory.store.searchSync(state, k, { must: [{ key: "end", range: { lte: at } }] });
  return { ...assess(hits, k, memory.lossScale), hits };
}

/**
 * Embeds every bar it is shown (the same bars the strategy sees) and judges an entry at a
 * bar's time against the memory. `at` is the bar's open time: a remembered outcome whose `end`
 * (the open of its last bar) is at or before it closed at or before this bar's close, so the
 * decision, taken at that close, sees only what was known then.
 */
export class MemoryFilter {
  readonly k: number;
  readonly maxRisk: number;
  readonly minConfidence: number;
  private readonly memory: SyncMemory;
  private readonly embedder: StateEmbedder;
  private state: Float32Array | null = null;
  /** Entries judged, let through and blocked by reason. */
  readonly counts: Record<FilterReason, number> = { allowed: 0, "warming-up": 0, anomaly: 0, risk: 0, confidence: 0 };

  constructor(memory: SyncMemory, o: MemoryFilterOptions = {}) {
    this.memory = memory;
    this.k = o.k ?? MEMORY_FILTER_DEFAULTS.k;
    this.maxRisk = o.maxRisk ?? MEMORY_FILTER_DEFAULTS.maxRisk;
    this.minConfidence = o.minConfidence ?? MEMORY_FILTER_DEFAULTS.minConfidence;
    if (!Number.isSafeInteger(this.k) || this.k < 1) throw new RangeError(`k: ${this.k} is invalid: must be a positive integer`);
    this.embedder = new StateEmbedder(o.barMinutes);
  }

  /** Feeds the next closed bar to the embedding. @throws RangeError as StateEmbedder.update. */
  observe(bar: Candle): void {
    this.state = this.embedder.update(bar);
  }

  /** The embedder's regime label as of the latest bar. */
  get regime(): Regime {
    return this.embedder.regime;
  }

  /** Would an entry at the latest bar (open time `at`, Unix ms) pass? Counted in {@link counts}. */
  judge(at: number): FilterVerdict {
    const v = this.verdict(at);
    this.counts[v.reason]++;
    return v;
  }

  private verdict(at: number): FilterVerdict {
    if (this.state === null) return { allowed: false, reason: "warming-up", assessment: null };
    const { hits: _hits, ...a } = querySync(this.memory, this.state, at, this.k);
    if (a.anomaly) return { allowed: false, reason: "anomaly", assessment: a };
    if (a.risk >= this.maxRisk) return { allowed: false, reason: "risk", assessment: a };
    if (a.confidence <= this.minConfidence) return { allowed: false, reason: "confidence", assessment: a };
    return { allowed: true, reason: "allowed", assessment: a };
  }
}

/**
 * Any strategy behind the memory filter: the same signals, except that an "enter" the filter
 * blocks becomes "hold". Exits always pass. It says nothing before the embedding's warm-up
 * (240 bars) is over, so a backtest warms it up on bars before the period measured.
 */
export class MemoryFiltered implements Strategy {
  readonly name: string;
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  readonly filter: MemoryFilter;
  /** The inner strategy's regime, when it detects one. */
  readonly regime?: () => Regime;
  private readonly inner: Strategy;
  private bars = 0;

  constructor(inner: Strategy, filter: MemoryFilter, name = `${inner.name}+memory`) {
    this.inner = inner;
    this.filter = filter;
    this.name = name;
    this.timeframe = inner.timeframe;
    this.exits = inner.exits;
    this.startupBars = Math.max(inner.startupBars, EMBEDDING_STARTUP_BARS);
    if (inner.regime !== undefined) this.regime = () => inner.regime!();
  }

  update(bar: Candle): Signal {
    const signal = this.inner.update(bar);
    this.filter.observe(bar);
    if (++this.bars < this.startupBars) return "hold";
    if (signal !== "enter") return signal;
    return this.filter.judge(bar.time).allowed ? "enter" : "hold";
  }
}
