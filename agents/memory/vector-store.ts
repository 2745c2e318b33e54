// The VectorStore contract every memory backend passes (embedded HNSW, Qdrant), and the checks all of them apply at their boundary.

/** A payload value: what both backends store and filter on. */
export type PayloadValue = string | number | boolean;
export type Payload = Readonly<Record<string, PayloadValue>>;

/** A point: `id` a non-negative safe integer (Qdrant's unsigned ids), a vector of the store's dimension. */
export interface VectorPoint {
  readonly id: number;
  readonly vector: ArrayLike<number>;
  readonly payload: Payload;
}

/** One condition on a payload field: equal to `match`, or within a range (inclusive bounds). */
export type Condition =
  | { readonly key: string; readonly match: PayloadValue }
  | { readonly key: string; readonly range: { readonly gte?: number; readonly lte?: number } };

/** Points whose payload meets every condition (Qdrant's `must`). */
export interface Filter {
  readonly must: readonly Condition[];
}

/** A neighbour: `score` is the cosine similarity, in [-1, 1]. */
export interface Hit {
  readonly id: number;
  readonly score: number;
  readonly payload: Payload;
}

/**
 * A store of vectors with payloads, searched by cosine similarity. Every backend passes the one
 * conformance suite (test/agents/memory/vector-store-conformance.ts). Results are sorted by
 * score, highest first, ties by id, lowest first. Bad input throws {@link VectorStoreError}
 * and changes nothing.
 */
export interface VectorStore {
  /** Length of every vector. */
  readonly dimension: number;
  /** Inserts points, replacing any with the same id (vector and payload). */
  upsert(points: readonly VectorPoint[]): Promise<void>;
  /** The `k` nearest points to `vector` among those meeting `filter`; fewer when fewer exist. */
  search(vector: ArrayLike<number>, k: number, filter?: Filter): Promise<Hit[]>;
  /** Removes the points with these ids; unknown ids are ignored. */
  delete(ids: readonly number[]): Promise<void>;
  /** Points held (meeting `filter`, if given). */
  count(filter?: Filter): Promise<number>;
  /** Writes every point to the folder `dir` (which must exist and be empty) in the snapshot format (snapshot-files.ts). */
  snapshot(dir: string): Promise<void>;
  /** Replaces the whole content by the snapshot in `dir`; a snapshot that fails its checks changes nothing. */
  restore(dir: string): Promise<void>;
  /** Releases what the store holds (connections, native memory). */
  close(): Promise<void>;
}

/** Why a store refused: stable codes, for callers and tests. */
export type VectorStoreErrorCode = "dimension" | "not-finite" | "zero-vector" | "bad-id" | "bad-k" | "bad-payload" | "bad-filter" | "corrupt" | "unreachable" | "backend";

/** A refusal or failure of a store, naming what is wrong. */
export class VectorStoreError extends Error {
  readonly code: VectorStoreErrorCode;
  constructor(code: VectorStoreErrorCode, message: string) {
    super(message);
    this.name = "VectorStoreError";
    this.code = code;
  }
}

/** Checks a query or point vector. @throws VectorStoreError naming the field, the value and the rule. */
export function checkVector(v: ArrayLike<number>, dimension: number, field = "vector"): void {
  if (v === null || typeof v !== "object" || typeof v.length !== "number") throw new VectorStoreError("dimension", `${field}: ${String(v)} is not an array of numbers`);
  if (v.length !== dimension) throw new VectorStoreError("dimension", `${field}: has ${v.length} values; this store holds ${dimension}-dimensional vectors`);
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) throw new VectorStoreError("not-finite", `${field}[${i}]: ${String(x)} is not a finite number`);
    sq += x * x;
  }
  if (!(sq > 0)) throw new VectorStoreError("zero-vector", `${field}: is all zeros; a cosine similarity needs a non-zero vector`);
}

/** Checks a point id. */
export function checkId(id: number, field = "id"): void {
  if (!Number.isSafeInteger(id) || id < 0) throw new VectorStoreError("bad-id", `${field}: ${String(id)} is not a non-negative safe integer`);
}

/** Checks a payload: string, finite number or boolean values under non-empty keys. */
export function checkPayload(p: Payload, field = "payload"): void {
  if (p === null || typeof p !== "object" || Array.isArray(p)) throw new VectorStoreError("bad-payload", `${field}: ${String(p)} is not an object`);
  for (const [k, v] of Object.entries(p)) {
    if (k === "") throw new VectorStoreError("bad-payload", `${field}: has an empty key`);
    const ok = typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
    if (!ok) throw new VectorStoreError("bad-payload", `${field}.${k}: ${String(v)} is not a string, a finite number or a boolean`);
  }
}

/** Checks every point of an upsert, and that no id repeats within it. */
export function checkPoints(points: readonly VectorPoint[], dimension: number): void {
  const seen = new Set<number>();
  points.forEach((p, i) => {
    checkId(p.id, `points[${i}].id`);
    if (seen.has(p.id)) throw new VectorStoreError("bad-id", `points[${i}].id: ${p.id} appears twice in one upsert`);
    seen.add(p.id);
    checkVector(p.vector, dimension, `points[${i}].vector`);
    checkPayload(p.payload, `points[${i}].payload`);
  });
}

/** Checks `k`: a positive integer. */
export function checkK(k: number): void {
  if (!Number.isSafeInteger(k) || k < 1) throw new VectorStoreError("bad-k", `k: ${String(k)} is not a positive integer`);
}

/** Checks a filter's shape. */
export function checkFilter(f: Filter | undefined): void {
  if (f === undefined) return;
  if (f === null || !Array.isArray(f.must)) throw new VectorStoreError("bad-filter", `filter: must be {must: [conditions]}`);
  f.must.forEach((c, i) => {
    if (typeof c.key !== "string" || c.key === "") throw new VectorStoreError("bad-filter", `filter.must[${i}].key: ${String(c.key)} is not a field name`);
    if ("range" in c) {
      for (const b of ["gte", "lte"] as const) {
        const x = c.range[b];
        if (x !== undefined && !Number.isFinite(x)) throw new VectorStoreError("bad-filter", `filter.must[${i}].range.${b}: ${String(x)} is not a finite number`);
      }
    } else if (!("match" in c)) throw new VectorStoreError("bad-filter", `filter.must[${i}]: needs match or range`);
  });
}

/** True when `p` meets every condition of `f`. */
export function matches(p: Payload, f: Filter | undefined): boolean {
  if (f === undefined) return true;
  for (const c of f.must) {
    const v = p[c.key];
    if ("range" in c) {
      if (typeof v !== "number") return false;
      if (c.range.gte !== undefined && !(v >= c.range.gte)) return false;
      if (c.range.lte !== undefined && !(v <= c.range.lte)) return false;
    } else if (v !== c.match) return false;
  }
  return true;
}

/** Sorts hits by score, highest first, then id, lowest first: the one order every backend returns. */
export function sortHits(hits: Hit[]): Hit[] {
  return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}

/** `v` scaled to unit length, in float32 as stored. */
export function unit(v: ArrayLike<number>): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i] * v[i];
  const inv = 1 / Math.sqrt(sq);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}
