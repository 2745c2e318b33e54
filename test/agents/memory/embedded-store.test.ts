// The embedded store: the conformance suite with exact search and with the HNSW index, and what the index adds (recall, determinism, a damaged index file).
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { EmbeddedStore } from "../../../agents/memory/embedded-store.ts";
import { unit, VectorStoreError } from "../../../agents/memory/vector-store.ts";
import { Rng } from "../../../sim/rng.ts";
import { DIM, vec, vectorStoreConformance } from "./vector-store-conformance.ts";

vectorStoreConformance("embedded (exact)", { make: async () => new EmbeddedStore({ dimension: DIM }) });
// Threshold 0: every search goes through the usearch index (the bulk tests' 300 points build it).
vectorStoreConformance("embedded (HNSW)", { make: async () => new EmbeddedStore({ dimension: DIM, exactBelow: 0 }) });

/** Clustered points, as market states are: a few hundred centres, points near them. */
function clustered(seed: string, n: number, dim: number): number[][] {
  const rng = Rng.root(seed);
  const centres = Array.from({ length: 50 }, () => Array.from({ length: dim }, () => rng.normal()));
  return Array.from({ length: n }, () => {
    const c = centres[rng.int(0, centres.length - 1)];
    return c.map((x) => x + 0.3 * rng.normal());
  });
}

test("embedded: the index is built at the threshold, and its answers match exact search (recall@20 >= 0.95)", async () => {
  const dim = 32;
  const s = new EmbeddedStore({ dimension: dim, exactBelow: 1000 });
  const pts = clustered("embedded/recall", 3000, dim);
  await s.upsert(pts.slice(0, 999).map((v, id) => ({ id, vector: v, payload: {} })));
  assert.equal(s.indexed, false);
  await s.upsert(pts.slice(999).map((v, i) => ({ id: 999 + i, vector: v, payload: {} })));
  assert.equal(s.indexed, true);
  const queries = clustered("embedded/recall/q", 50, dim);
  let hit = 0;
  for (const q of queries) {
    const truth = new Set(s.exactSearch(q, 20).map((h) => h.id));
    for (const h of await s.search(q, 20)) if (truth.has(h.id)) hit++;
  }
  assert.ok(hit / (20 * queries.length) >= 0.95, `recall ${hit / (20 * queries.length)}`);
});

test("embedded: two stores fed the same points write byte-identical index files", async () => {
  const dirs = [await mkdtemp(join(tmpdir(), "arena-es-")), await mkdtemp(join(tmpdir(), "arena-es-"))];
  try {
    const sums: string[] = [];
    for (const dir of dirs) {
      const s = new EmbeddedStore({ dimension: DIM, exactBelow: 100 });
      const rng = Rng.root("embedded/bytes");
      await s.upsert(Array.from({ length: 500 }, (_, id) => ({ id, vector: vec(rng), payload: { id } })));
      await s.snapshot(dir);
      sums.push(createHash("sha256").update(await readFile(join(dir, "index.usearch"))).digest("hex"));
    }
    assert.equal(sums[0], sums[1]);
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
});

test("embedded: a damaged index file is refused before usearch reads it (which would crash on it), and the store keeps its content", async () => {
  const dir = await mkdtemp(join(tmpdir(), "arena-es-"));
  try {
    const s = new EmbeddedStore({ dimension: DIM, exactBelow: 100 });
    const rng = Rng.root("embedded/damaged");
    await s.upsert(Array.from({ length: 200 }, (_, id) => ({ id, vector: vec(rng), payload: {} })));
    await s.snapshot(dir);
    const file = join(dir, "index.usearch");
    const bytes = await readFile(file);
    bytes.fill(7, 100, 2000);
    await writeFile(file, bytes);
    await s.delete([0]);
    await assert.rejects(s.restore(dir), (e: unknown) => e instanceof VectorStoreError && e.code === "corrupt" && /index\.usearch: sha256 does not match/.test(e.message));
    assert.equal(await s.count(), 199);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("embedded: a snapshot of one dimension is refused by a store of another", async () => {
  const dir = await mkdtemp(join(tmpdir(), "arena-es-"));
  try {
    const s = new EmbeddedStore({ dimension: DIM });
    await s.upsert([{ id: 1, vector: new Array(DIM).fill(1), payload: {} }]);
    await s.snapshot(dir);
    const other = new EmbeddedStore({ dimension: 8 });
    await assert.rejects(other.restore(dir), /dimension 16; this store holds 8-dimensional vectors/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("embedded: an exact search's scores are the float64 sums, in dimension order, of the stored float32 values (what a memory's answers and the RL observation depend on, bit for bit)", async () => {
  const dim = 128;
  const rng = Rng.root("embedded/exact-scores");
  const normal = () => Array.from({ length: dim }, () => rng.normal());
  const queries = [normal(), normal(), normal()];
  for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 30]) {
    const s = new EmbeddedStore({ dimension: dim });
    const pts = Array.from({ length: n }, (_, id) => ({ id, vector: normal(), payload: {} }));
    await s.upsert(pts);
    // A deleted point leaves a gap among the stored slots.
    if (n > 2) await s.delete([1]);
    const live = n > 2 ? n - 1 : n;
    for (const query of queries) {
      const q = unit(query);
      const hits = s.exactSearch(query, n);
      assert.equal(hits.length, live, `n ${n}`);
      for (const h of hits) {
        const v = unit(pts[h.id].vector);
        let sum = 0;
        for (let j = 0; j < dim; j++) sum += q[j] * v[j];
        assert.equal(h.score, sum, `n ${n}, id ${h.id}`);
      }
    }
  }
});
