// The market memory: past states and what followed them in a VectorStore, loaded in bulk from bars, fed closed trades, asked before a decision.
import { type MemoryAssessment, assess } from "./assessment.ts";
import { type BarColumns, embedBars } from "./embedding.ts";
import { EMBEDDING_DIM } from "./embedding-layout.ts";
import type { Regime } from "../strategies/strategy.ts";
import type { Filter, VectorPoint, VectorStore } from "./vector-store.ts";

/** Neighbours a query asks for (the seed's k). */
export const MEMORY_K = 20;

/** A trade that closed, as the memory keeps it. Times in Unix ms; returns and drawdown as fractions. */
export interface ClosedTrade {
  /** The embedding of the state at entry. */
  readonly entryState: ArrayLike<number>;
  readonly entryTime: number;
  readonly exitTime: number;
  /** Profit or loss over the entry value (0.01 = +1%). */
  readonly pnl: number;
  /** Worst fall below the entry while the trade was open (<= 0). */
  readonly drawdown: number;
  readonly strategy: string;
  readonly regime: Regime;
}

/**
 * States embedded from bars, each with what followed it over `horizonBars`: `ret` the return
 * from its close to the close `horizonBars` later, `dd` the lowest low in between against its
 * close. A state whose horizon runs past the last bar is left out (its outcome is not known).
 * Payload: `{kind: "state", time, end, regime, ret, dd, source}`; `end` is when the outcome was
 * known (the bar `horizonBars` later), so a query at time T filters `end <= T` and never sees
 * the future. Ids `firstId`, `firstId + 1`, ... in bar order.
 */
export function statesFromBars(bars: BarColumns, o: { horizonBars: number; source: string; firstId?: number; barMinutes?: number }): VectorPoint[] {
  if (!Number.isSafeInteger(o.horizonBars) || o.horizonBars < 1) throw new RangeError(`horizonBars: ${o.horizonBars} is invalid: must be a positive integer`);
  const e = embedBars(bars, o.barMinutes);
  const n = bars.close.length;
  const points: VectorPoint[] = [];
  let id = o.firstId ?? 0;
  for (let r = 0; r < e.rows.length; r++) {
    const i = e.rows[r];
    const j = i + o.horizonBars;
    if (j >= n) break;
    let low = Infinity;
    for (let x = i + 1; x <= j; x++) low = Math.min(low, bars.low[x]);
    const c = bars.close[i];
    points.push({
      id: id++,
      vector: e.vectors.subarray(r * EMBEDDING_DIM, (r + 1) * EMBEDDING_DIM),
      payload: { kind: "state", time: bars.timestamps[i], end: bars.timestamps[j], regime: e.regimes[r], ret: bars.close[j] / c - 1, dd: Math.min(0, low / c - 1), source: o.source },
    });
  }
  return points;
}

/** A typical move of these outcomes: the median |ret|; the risk score counts a loss of 3 times it as the largest. */
export function lossScaleOf(points: readonly VectorPoint[]): number {
  const m = points.map((p) => Math.abs(p.payload.ret as number)).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const med = m.length === 0 ? 0 : m[Math.floor(m.length / 2)];
  return med > 0 ? 3 * med : 0.01;
}

/** The memory over a store: ask it about a state, tell it about a closed trade. */
export class MarketMemory {
  readonly store: VectorStore;
  readonly lossScale: number;
  private nextId: number;

  /**
   * @param nextId the id the next recorded trade takes (above every id in the store).
   * @param lossScale see {@link lossScaleOf}.
   */
  constructor(store: VectorStore, o: { nextId: number; lossScale: number }) {
    if (store.dimension !== EMBEDDING_DIM) throw new RangeError(`store.dimension: ${store.dimension} is invalid: the market memory holds ${EMBEDDING_DIM}-dimensional embeddings`);
    if (!Number.isSafeInteger(o.nextId) || o.nextId < 0) throw new RangeError(`nextId: ${o.nextId} is invalid: must be a non-negative integer`);
    this.store = store;
    this.lossScale = o.lossScale;
    this.nextId = o.nextId;
  }

  /** The id the next recorded trade will take. */
  get next(): number {
    return this.nextId;
  }

  /**
   * The k nearest remembered states and trades whose outcome was known by `at` (Unix ms), and what they say.
   * @param at the time of the decision: only outcomes with `end <= at` are seen. Omit only for a memory built from other data.
   */
  async query(state: ArrayLike<number>, o: { at?: number; k?: number } = {}): Promise<MemoryAssessment & { hits: Awaited<ReturnType<VectorStore["search"]>> }> {
    const k = o.k ?? MEMORY_K;
    const filter: Filter | undefined = o.at === undefined ? undefined : { must: [{ key: "end", range: { lte: o.at } }] };
    const hits = await this.store.search(state, k, filter);
    return { ...assess(hits, k, this.lossScale), hits };
  }

  /** Stores a closed trade as {@link tradePoint} makes it. @returns its id. @throws RangeError as tradePoint. */
  async recordTrade(t: ClosedTrade): Promise<number> {
    const id = this.nextId;
    await this.store.upsert([tradePoint(id, t)]);
    this.nextId++;
    return id;
  }
}

/**
 * A closed trade as a memory point: its entry state with
 * `{kind: "trade", time, end, regime, ret, dd, durationMs, strategy}`.
 * @throws RangeError for a non-finite figure or an exit before the entry.
 */
export function tradePoint(id: number, t: ClosedTrade): VectorPoint {
  for (const f of ["entryTime", "exitTime", "pnl", "drawdown"] as const) {
    if (!Number.isFinite(t[f])) throw new RangeError(`trade.${f}: ${t[f]} is invalid: must be finite`);
  }
  if (t.exitTime < t.entryTime) throw new RangeError(`trade.exitTime: ${t.exitTime} is invalid: before entryTime ${t.entryTime}`);
  return {
    id,
    vector: t.entryState,
    payload: { kind: "trade", time: t.entryTime, end: t.exitTime, regime: t.regime, ret: t.pnl, dd: Math.min(0, t.drawdown), durationMs: t.exitTime - t.entryTime, strategy: t.strategy },
  };
}
