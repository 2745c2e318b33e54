// The memory filter: around any strategy, an "enter" passes only when the memory's neighbours of the state of now say low risk, high confidence, no anomaly.
import { type MemoryAssessment, assess } from "./assessment.ts";
import { EMBEDDING_STARTUP_BARS, StateEmbedder } from "./embedding.ts";
import { EMBEDDING_DIM } from "./embedding-layout.ts";
import { type ClosedTrade, MEMORY_K, tradePoint } from "./market-memory.ts";
import type { Filter, Hit, VectorPoint } from "./vector-store.ts";
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
  /** Id of the first trade recorded (above every id of the memory), default 2^48. */
  readonly firstTradeId?: number;
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
 * `extra` are points searched beside the store (a filter's own closed trades), merged by score then id.
 * @param at Unix ms; outcomes that ended after it are never seen (no look-ahead).
 */
export function querySync(memory: SyncMemory, state: ArrayLike<number>, at: number, k: number = MEMORY_K, extra: readonly VectorPoint[] = []): MemoryAssessment & { hits: Hit[] } {
  let hits = memory.store.searchSync(state, k, { must: [{ key: "end", range: { lte: at } }] });
  if (extra.length > 0) {
    const own: Hit[] = [];
    for (const t of extra) if ((t.payload.end as number) <= at) own.push({ id: t.id, score: cosine(state, t.vector), payload: t.payload });
    hits = [...hits, ...own].sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }
  return { ...assess(hits, k, memory.lossScale), hits };
}

/** Dot product of unit vectors (embeddings are unit length): the cosine similarity, summed in float64 as the store scores. */
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < EMBEDDING_DIM; i++) s += a[i] * b[i];
  return s;
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
  /** Trades recorded on close: searched beside the memory's store, never written into it (the store may be shared by other runs). */
  private readonly trades: VectorPoint[] = [];
  private nextTradeId: number;
  /** Entries judged, let through and blocked by reason. */
  readonly counts: Record<FilterReason, number> = { allowed: 0, "warming-up": 0, anomaly: 0, risk: 0, confidence: 0 };

  constructor(memory: SyncMemory, o: MemoryFilterOptions = {}) {
    this.memory = memory;
    this.k = o.k ?? MEMORY_FILTER_DEFAULTS.k;
    this.maxRisk = o.maxRisk ?? MEMORY_FILTER_DEFAULTS.maxRisk;
    this.minConfidence = o.minConfidence ?? MEMORY_FILTER_DEFAULTS.minConfidence;
    if (!Number.isSafeInteger(this.k) || this.k < 1) throw new RangeError(`k: ${this.k} is invalid: must be a positive integer`);
    this.embedder = new StateEmbedder(o.barMinutes);
    this.nextTradeId = o.firstTradeId ?? 2 ** 48;
  }

  /** The embedding of the latest bar, or null while warming up. */
  get current(): Float32Array | null {
    return this.state;
  }

  /** Trades recorded so far, oldest first, as the memory keeps them (payload kind "trade"). */
  get recorded(): readonly VectorPoint[] {
    return this.trades;
  }

  /**
   * Remembers a closed trade (the seed: outcomes are stored when a trade closes): from then on
   * a query at or after its exit sees it beside the memory's states, and `bestStrategy` counts it.
   * @throws RangeError for a non-finite figure, an exit before the entry or a state of the wrong dimension.
   */
  record(t: ClosedTrade): void {
    const point = tradePoint(this.nextTradeId, t);
    if (t.entryState.length !== EMBEDDING_DIM) throw new RangeError(`trade.entryState: length ${t.entryState.length} is invalid: must be ${EMBEDDING_DIM}`);
    this.trades.push(point);
    this.nextTradeId++;
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
    const { hits: _hits, ...a } = querySync(this.memory, this.state, at, this.k, this.trades);
    if (a.anomaly) return { allowed: false, reason: "anomaly", assessment: a };
    if (a.risk >= this.maxRisk) return { allowed: false, reason: "risk", assessment: a };
    if (a.confidence <= this.minConfidence) return { allowed: false, reason: "confidence", assessment: a };
    return { allowed: true, reason: "allowed", assessment: a };
  }
}

/** A trade the wrapper follows by its own signals: entry state at the decision, prices at the next opens. */
interface FollowedTrade {
  readonly state: Float32Array;
  readonly regime: Regime;
  /** Open of the bar after the "enter" (NaN until that bar comes), and its time. */
  entryPrice: number;
  entryTime: number;
  low: number;
  /** An "exit" was given: the trade closes at the next bar's open. */
  closing: boolean;
}

/**
 * Any strategy behind the memory filter: the same signals, except that an "enter" the filter
 * blocks becomes "hold". Exits always pass. It says nothing before the embedding's warm-up
 * (240 bars) is over, so a backtest warms it up on bars before the period measured.
 *
 * With `recordTrades`, each trade its signals open and close is remembered on close (entry
 * state, return open to open, drawdown, duration, strategy, regime) and counts in later
 * queries. The trade is followed as its signals make it, filled at the next bar's open as the
 * runners fill them; a stop-loss, ROI or trailing exit the runner takes is not seen.
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
  private readonly recordTrades: boolean;
  private trade: FollowedTrade | null = null;
  private bars = 0;

  constructor(inner: Strategy, filter: MemoryFilter, name = `${inner.name}+memory`, o: { recordTrades?: boolean } = {}) {
    this.inner = inner;
    this.filter = filter;
    this.name = name;
    this.timeframe = inner.timeframe;
    this.exits = inner.exits;
    this.startupBars = Math.max(inner.startupBars, EMBEDDING_STARTUP_BARS);
    this.recordTrades = o.recordTrades ?? false;
    if (inner.regime !== undefined) this.regime = () => inner.regime!();
  }

  update(bar: Candle): Signal {
    if (this.recordTrades) this.follow(bar);
    const signal = this.inner.update(bar);
    this.filter.observe(bar);
    if (++this.bars < this.startupBars) return "hold";
    if (signal === "exit" && this.trade !== null) this.trade.closing = true;
    if (signal !== "enter") return signal;
    if (!this.filter.judge(bar.time).allowed) return "hold";
    const state = this.filter.current;
    if (this.recordTrades && this.trade === null && state !== null) {
      this.trade = { state: Float32Array.from(state), regime: this.filter.regime, entryPrice: NaN, entryTime: NaN, low: Infinity, closing: false };
    }
    return "enter";
  }

  /** At a new bar's open: fills the followed trade's entry, or closes it and records it. */
  private follow(bar: Candle): void {
    const t = this.trade;
    if (t === null) return;
    if (Number.isNaN(t.entryPrice)) {
      t.entryPrice = bar.open;
      t.entryTime = bar.time;
    } else if (t.closing) {
      this.filter.record({
        entryState: t.state, entryTime: t.entryTime, exitTime: bar.time, pnl: bar.open / t.entryPrice - 1,
        drawdown: t.low / t.entryPrice - 1, strategy: this.inner.name, regime: t.regime,
      });
      this.trade = null;
      return;
    }
    t.low = Math.min(t.low, bar.low);
  }
}
