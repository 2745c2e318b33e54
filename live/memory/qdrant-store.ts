// The VectorStore contract over a Qdrant server (@qdrant/js-client-rest): the same checks, order and snapshot format as the embedded store; no fallback to it.
import { QdrantClient } from "@qdrant/js-client-rest";
import { readSnapshot, writeSnapshot } from "../../agents/memory/snapshot-files.ts";
import {
  checkFilter,
  checkId,
  checkK,
  checkPoints,
  checkVector,
  type Filter,
  type Hit,
  type Payload,
  sortHits,
  unit,
  type VectorPoint,
  type VectorStore,
  VectorStoreError,
} from "../../agents/memory/vector-store.ts";

export interface QdrantStoreOptions {
  /** The server, e.g. http://localhost:6333. */
  readonly url: string;
  readonly collection: string;
  readonly dimension: number;
  readonly apiKey?: string;
  /**
   * Ask for exact search (`params: {exact: true}`). Qdrant builds its HNSW graph in the
   * background on several threads, so approximate answers are not reproducible run to run;
   * exact ones are. Default true.
   */
  readonly exact?: boolean;
  /** Delete the collection first if it exists, so the store starts empty. Default false. */
  readonly fresh?: boolean;
  /** Seconds a request may take. Default 30. */
  readonly timeoutSec?: number;
}

/** Points per upsert request when restoring. */
const BATCH = 256;

type QFilter = { must: ({ key: string; match: { value: string | number | boolean } } | { key: string; range: { gte?: number; lte?: number } })[] };

function toQdrant(f: Filter | undefined): QFilter | undefined {
  if (f === undefined) return undefined;
  return { must: f.must.map((c) => ("range" in c ? { key: c.key, range: { ...c.range } } : { key: c.key, match: { value: c.match } })) };
}

/**
 * A collection on a Qdrant server as a {@link VectorStore}. Open it with {@link QdrantStore.open}:
 * a server that cannot be reached is refused there ("unreachable"), never replaced by a local
 * store. Scores are Qdrant's cosine similarities; hits are re-sorted by score then id.
 */
export class QdrantStore implements VectorStore {
  readonly dimension: number;
  private readonly client: QdrantClient;
  private readonly name: string;
  private readonly url: string;
  private readonly exact: boolean;

  private constructor(client: QdrantClient, o: QdrantStoreOptions) {
    this.client = client;
    this.name = o.collection;
    this.url = o.url;
    this.dimension = o.dimension;
    this.exact = o.exact ?? true;
  }

  /**
   * Connects and makes sure the collection exists with `dimension` and cosine distance (creating it if missing).
   * @throws VectorStoreError "unreachable" when the server does not answer; "dimension" when the collection holds another size.
   */
  static async open(o: QdrantStoreOptions): Promise<QdrantStore> {
    if (!Number.isSafeInteger(o.dimension) || o.dimension < 1) throw new VectorStoreError("dimension", `dimension: ${o.dimension} is not a positive integer`);
    let parsed: URL;
    try {
      parsed = new URL(o.url);
    } catch {
      throw new VectorStoreError("unreachable", `QDRANT_URL: ${JSON.stringify(o.url)} is not a URL such as http://localhost:6333`);
    }
    const client = new QdrantClient({ url: parsed.toString().replace(/\/$/, ""), apiKey: o.apiKey, checkCompatibility: false, timeout: (o.timeoutSec ?? 30) * 1000 });
    const store = new QdrantStore(client, o);
    let { exists } = await store.call("collectionExists", () => client.collectionExists(o.collection));
    if (exists && o.fresh === true) {
      await store.call("deleteCollection", () => client.deleteCollection(o.collection));
      exists = false;
    }
    if (!exists) {
      await store.call("createCollection", () => client.createCollection(o.collection, { vectors: { size: o.dimension, distance: "Cosine" } }));
    } else {
      const info = await store.call("getCollection", () => client.getCollection(o.collection));
      const vectors = info.config.params.vectors as { size?: number; distance?: string } | undefined;
      if (vectors?.size !== o.dimension || vectors.distance !== "Cosine") {
        throw new VectorStoreError("dimension", `Qdrant collection ${o.collection}: holds ${String(vectors?.size)}-dimensional vectors by ${String(vectors?.distance)} distance; this store needs ${o.dimension} by Cosine`);
      }
    }
    return store;
  }

  async upsert(points: readonly VectorPoint[]): Promise<void> {
    checkPoints(points, this.dimension);
    for (let i = 0; i < points.length; i += BATCH) {
      const batch = points.slice(i, i + BATCH).map((p) => ({ id: p.id, vector: Array.from(unit(p.vector)), payload: { ...p.payload } }));
      await this.call("upsert", () => this.client.upsert(this.name, { wait: true, points: batch }));
    }
  }

  async search(vector: ArrayLike<number>, k: number, filter?: Filter): Promise<Hit[]> {
    checkVector(vector, this.dimension);
    checkK(k);
    checkFilter(filter);
    const res = await this.call("query", () =>
      this.client.query(this.name, { query: Array.from(unit(vector)), limit: k, with_payload: true, filter: toQdrant(filter), params: { exact: this.exact } }),
    );
    return sortHits(res.points.map((p) => ({ id: Number(p.id), score: p.score, payload: (p.payload ?? {}) as Payload })));
  }

  async delete(ids: readonly number[]): Promise<void> {
    ids.forEach((id, i) => checkId(id, `ids[${i}]`));
    if (ids.length === 0) return;
    await this.call("delete", () => this.client.delete(this.name, { wait: true, points: [...ids] }));
  }

  async count(filter?: Filter): Promise<number> {
    checkFilter(filter);
    const r = await this.call("count", () => this.client.count(this.name, { filter: toQdrant(filter), exact: true }));
    return r.count;
  }

  async snapshot(dir: string): Promise<void> {
    const ids: number[] = [];
    const payloads: Payload[] = [];
    const rows: Float32Array[] = [];
    let offset: number | string | undefined | null = undefined;
    do {
      const page: Awaited<ReturnType<QdrantClient["scroll"]>> = await this.call("scroll", () =>
        this.client.scroll(this.name, { limit: 1000, offset: offset ?? undefined, with_payload: true, with_vector: true }),
      );
      for (const p of page.points) {
        ids.push(Number(p.id));
        payloads.push((p.payload ?? {}) as Payload);
        rows.push(Float32Array.from(p.vector as number[]));
      }
      offset = page.next_page_offset as number | string | null | undefined;
    } while (offset !== null && offset !== undefined);
    const vectors = new Float32Array(rows.length * this.dimension);
    rows.forEach((r, i) => vectors.set(r, i * this.dimension));
    await writeSnapshot(dir, { dimension: this.dimension, ids, payloads, vectors });
  }

  /** Checks the whole snapshot first; only then empties the collection and loads it, in the snapshot's order. */
  async restore(dir: string): Promise<void> {
    const snap = await readSnapshot(dir, this.dimension);
    await this.call("deleteCollection", () => this.client.deleteCollection(this.name));
    await this.call("createCollection", () => this.client.createCollection(this.name, { vectors: { size: this.dimension, distance: "Cosine" } }));
    const points: VectorPoint[] = snap.ids.map((id, i) => ({ id, vector: snap.vectors.subarray(i * this.dimension, (i + 1) * this.dimension), payload: snap.payloads[i] }));
    await this.upsert(points);
  }

  async close(): Promise<void> {
    // The REST client holds no connection of its own to release (undici pools are process-wide).
  }

  /** Runs one request, turning transport failures into "unreachable" and server refusals into "backend", both naming the server. */
  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (err instanceof VectorStoreError) throw err;
      const e = err as { message?: string; cause?: { code?: string; message?: string }; status?: number };
      const cause = e.cause?.code ?? e.cause?.message;
      if (e.status === undefined && (cause !== undefined || /fetch failed|ECONNREFUSED|ENOTFOUND|timeout|aborted/i.test(e.message ?? ""))) {
        throw new VectorStoreError("unreachable", `Qdrant at ${this.url} is unreachable (${what}: ${cause ?? e.message}); start it or fix QDRANT_URL (no fallback to the embedded store)`);
      }
      throw new VectorStoreError("backend", `Qdrant at ${this.url}: ${what} on collection ${this.name} failed: ${e.message ?? String(err)}`);
    }
  }
}
