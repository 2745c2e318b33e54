// The embedded VectorStore: exact search below a size threshold, a usearch HNSW index above it, built on one thread in insertion order.
import { Index, MetricKind, ScalarKind } from "usearch";
import { readSnapshotSync, writeSnapshot } from "./snapshot-files.ts";
import {
  checkFilter,
  checkId,
  checkK,
  checkPoints,
  checkVector,
  type Filter,
  type Hit,
  matches,
  type Payload,
  sortHits,
  unit,
  type VectorPoint,
  type VectorStore,
  VectorStoreError,
} from "./vector-store.ts";

/** HNSW settings; usearch's own names in brackets. */
export interface HnswSettings {
  /** Links per node [connectivity]. */
  readonly connectivity: number;
  /** Candidates kept while inserting [expansion_add]. */
  readonly expansionAdd: number;
  /** Candidates kept while searching [expansion_search]. */
  readonly expansionSearch: number;
  /** Candidates asked of the index per neighbour wanted; they are re-scored exactly and the best kept. */
  readonly oversample: number;
}

export const DEFAULT_HNSW: HnswSettings = Object.freeze({ connectivity: 16, expansionAdd: 128, expansionSearch: 128, oversample: 2 });

export interface EmbeddedStoreOptions {
  readonly dimension: number;
  /** Below this many points every search is exact (a scan); at it the HNSW index is built. Default 10,000. */
  readonly exactBelow?: number;
  readonly hnsw?: Partial<HnswSettings>;
}

const INDEX_FILE = "index.usearch";

/**
 * Vectors with payloads in memory, searched by cosine similarity. Deterministic: the HNSW index
 * is built with one thread, in the order points were inserted (usearch's level generator has a
 * fixed seed), so the same operations give the same index, byte for byte, and the same answers.
 * Every answer is re-scored exactly (float64 sums of the stored float32 values) and sorted by
 * score then id, so exact and indexed searches agree on the score of every point they return.
 */
export class EmbeddedStore implements VectorStore {
  readonly dimension: number;
  readonly exactBelow: number;
  readonly hnsw: HnswSettings;
  private vectors: Float32Array;
  private ids: number[] = [];
  private payloads: (Payload | null)[] = [];
  private readonly slotOf = new Map<number, number>();
  private index: Index | null = null;

  constructor(opts: EmbeddedStoreOptions) {
    if (!Number.isSafeInteger(opts.dimension) || opts.dimension < 1) throw new VectorStoreError("dimension", `dimension: ${opts.dimension} is not a positive integer`);
    const exactBelow = opts.exactBelow ?? 10_000;
    if (!Number.isSafeInteger(exactBelow) || exactBelow < 0) throw new VectorStoreError("backend", `exactBelow: ${exactBelow} is not a non-negative integer`);
    this.dimension = opts.dimension;
    this.exactBelow = exactBelow;
    this.hnsw = Object.freeze({ ...DEFAULT_HNSW, ...opts.hnsw });
    this.vectors = new Float32Array(1024 * this.dimension);
  }

  /** True once the HNSW index exists (the store reached `exactBelow` points). */
  get indexed(): boolean {
    return this.index !== null;
  }

  /** Synchronous {@link upsert}, for callers that cannot await (a strategy on a bar). */
  upsertSync(points: readonly VectorPoint[]): void {
    checkPoints(points, this.dimension);
    for (const p of points) {
      const old = this.slotOf.get(p.id);
      if (old !== undefined) this.remove(old);
      const slot = this.ids.length;
      this.grow(slot + 1);
      const v = unit(p.vector);
      this.vectors.set(v, slot * this.dimension);
      this.ids.push(p.id);
      this.payloads.push(Object.freeze({ ...p.payload }));
      this.slotOf.set(p.id, slot);
      this.index?.add(BigInt(p.id), v, 1);
    }
    if (this.index === null && this.slotOf.size >= this.exactBelow && this.slotOf.size > 0) this.buildIndex();
  }

  async upsert(points: readonly VectorPoint[]): Promise<void> {
    this.upsertSync(points);
  }

  /** Synchronous {@link search}. */
  searchSync(vector: ArrayLike<number>, k: number, filter?: Filter): Hit[] {
    checkVector(vector, this.dimension);
    checkK(k);
    checkFilter(filter);
    const q = unit(vector);
    const live = this.slotOf.size;
    if (this.index === null || live < this.exactBelow) return this.exact(q, k, filter);
    let fetch = Math.min(live, k * this.hnsw.oversample);
    for (;;) {
      const found = this.index.search(q, fetch, 1);
      const hits: Hit[] = [];
      for (let i = 0; i < found.keys.length; i++) {
        const slot = this.slotOf.get(Number(found.keys[i]));
        if (slot === undefined) continue;
        const payload = this.payloads[slot]!;
        if (matches(payload, filter)) hits.push({ id: this.ids[slot], score: this.score(q, slot), payload });
      }
      if (hits.length >= k || fetch >= live) return sortHits(hits).slice(0, k);
      fetch *= 4;
      // A selective filter: the index would be asked for most of the store; a scan is cheaper and exact.
      if (fetch >= live / 2) return this.exact(q, k, filter);
    }
  }

  async search(vector: ArrayLike<number>, k: number, filter?: Filter): Promise<Hit[]> {
    return this.searchSync(vector, k, filter);
  }

  /** The exact `k` nearest (a scan of every point meeting `filter`), whatever the size. */
  exactSearch(vector: ArrayLike<number>, k: number, filter?: Filter): Hit[] {
    checkVector(vector, this.dimension);
    checkK(k);
    checkFilter(filter);
    return this.exact(unit(vector), k, filter);
  }

  async delete(ids: readonly number[]): Promise<void> {
    ids.forEach((id, i) => checkId(id, `ids[${i}]`));
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) this.remove(slot);
    }
  }

  /** Points held (meeting `filter`), synchronously. */
  countSync(filter?: Filter): number {
    checkFilter(filter);
    if (filter === undefined) return this.slotOf.size;
    let n = 0;
    for (const slot of this.slotOf.values()) if (matches(this.payloads[slot]!, filter)) n++;
    return n;
  }

  async count(filter?: Filter): Promise<number> {
    return this.countSync(filter);
  }

  async snapshot(dir: string): Promise<void> {
    const slots = this.liveSlots();
    const vectors = new Float32Array(slots.length * this.dimension);
    slots.forEach((s, i) => vectors.set(this.vectors.subarray(s * this.dimension, (s + 1) * this.dimension), i * this.dimension));
    const extra: string[] = [];
    if (this.index !== null) {
      this.index.save(`${dir}/${INDEX_FILE}`);
      extra.push(INDEX_FILE);
    }
    await writeSnapshot(dir, { dimension: this.dimension, ids: slots.map((s) => this.ids[s]), payloads: slots.map((s) => this.payloads[s]!), vectors }, extra);
  }

  async restore(dir: string): Promise<void> {
    this.restoreSync(dir);
  }

  /** Synchronous {@link restore}. */
  restoreSync(dir: string): void {
    const snap = readSnapshotSync(dir, this.dimension);
    const seen = new Set<number>();
    snap.ids.forEach((id, i) => {
      if (seen.has(id)) throw new VectorStoreError("corrupt", `snapshot ${dir}/points.json: ids[${i}] ${id} appears twice`);
      seen.add(id);
    });
    let index: Index | null = null;
    const file = snap.extra.get(INDEX_FILE);
    if (file !== undefined) {
      index = this.newIndex();
      try {
        index.load(file);
      } catch (err) {
        throw new VectorStoreError("corrupt", `snapshot ${file}: usearch cannot load it (${(err as Error).message})`);
      }
      if (index.size() !== snap.ids.length || index.dimensions() !== this.dimension) {
        throw new VectorStoreError("corrupt", `snapshot ${file}: holds ${index.size()} vectors of ${index.dimensions()}, the points ${snap.ids.length} of ${this.dimension}`);
      }
    }
    // Everything checked: replace the content.
    this.vectors = new Float32Array(Math.max(1024, snap.ids.length) * this.dimension);
    this.vectors.set(snap.vectors);
    this.ids = [...snap.ids];
    this.payloads = snap.payloads.map((p) => Object.freeze({ ...p }));
    this.slotOf.clear();
    snap.ids.forEach((id, slot) => this.slotOf.set(id, slot));
    this.index = index;
    if (this.index === null && this.slotOf.size >= this.exactBelow && this.slotOf.size > 0) this.buildIndex();
  }

  async close(): Promise<void> {
    this.index = null;
  }

  private newIndex(): Index {
    const h = this.hnsw;
    return new Index({
      dimensions: this.dimension,
      metric: MetricKind.Cos,
      quantization: ScalarKind.F32,
      connectivity: h.connectivity,
      expansion_add: h.expansionAdd,
      expansion_search: h.expansionSearch,
      multi: false,
    });
  }

  /** Builds the index from the live points in insertion order, one thread (the determinism rule). */
  private buildIndex(): void {
    const index = this.newIndex();
    for (const s of this.liveSlots()) index.add(BigInt(this.ids[s]), this.vectors.subarray(s * this.dimension, (s + 1) * this.dimension), 1);
    this.index = index;
  }

  private liveSlots(): number[] {
    return [...this.slotOf.values()].sort((a, b) => a - b);
  }

  private remove(slot: number): void {
    const id = this.ids[slot];
    this.slotOf.delete(id);
    this.payloads[slot] = null;
    this.index?.remove(BigInt(id));
  }

  private grow(slots: number): void {
    if (slots * this.dimension <= this.vectors.length) return;
    const next = new Float32Array(Math.max(slots, 2 * (this.vectors.length / this.dimension)) * this.dimension);
    next.set(this.vectors);
    this.vectors = next;
  }

  private score(q: Float32Array, slot: number): number {
    const o = slot * this.dimension;
    const v = this.vectors;
    let s = 0;
    for (let j = 0; j < this.dimension; j++) s += q[j] * v[o + j];
    return s;
  }

  /**
   * `score` of each of `slots`, four points at a time: each sum runs in the same order as in
   * `score` (so the same float64 result), but four independent sums keep the CPU busy where a
   * lone sum waits for each addition to finish.
   */
  private scores(q: Float32Array, slots: readonly number[]): Float64Array {
    const d = this.dimension;
    const v = this.vectors;
    const out = new Float64Array(slots.length);
    let i = 0;
    for (; i + 4 <= slots.length; i += 4) {
      const o0 = slots[i] * d, o1 = slots[i + 1] * d, o2 = slots[i + 2] * d, o3 = slots[i + 3] * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const x = q[j];
        s0 += x * v[o0 + j];
        s1 += x * v[o1 + j];
        s2 += x * v[o2 + j];
        s3 += x * v[o3 + j];
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    for (; i < slots.length; i++) out[i] = this.score(q, slots[i]);
    return out;
  }

  private exact(q: Float32Array, k: number, filter: Filter | undefined): Hit[] {
    const slots: number[] = [];
    for (const slot of this.slotOf.values()) if (filter === undefined || matches(this.payloads[slot]!, filter)) slots.push(slot);
    const scores = this.scores(q, slots);
    // A bounded list kept sorted (k is small): no allocation per point.
    const top: { slot: number; score: number; id: number }[] = [];
    for (let n = 0; n < slots.length; n++) {
      const slot = slots[n];
      const score = scores[n];
      const id = this.ids[slot];
      if (top.length === k) {
        const last = top[k - 1];
        if (score < last.score || (score === last.score && id > last.id)) continue;
        top.pop();
      }
      let i = top.length;
      while (i > 0 && (top[i - 1].score < score || (top[i - 1].score === score && top[i - 1].id > id))) i--;
      top.splice(i, 0, { slot, score, id });
    }
    return top.map((t) => ({ id: t.id, score: t.score, payload: this.payloads[t.slot]! }));
  }
}
