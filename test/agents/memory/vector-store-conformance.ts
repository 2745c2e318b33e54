// The one conformance suite of the VectorStore contract: every backend (embedded, Qdrant) runs these same tests.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type VectorStore, VectorStoreError } from "../../../agents/memory/vector-store.ts";
import { Rng } from "../../../sim/rng.ts";

export const DIM = 16;

/** A seeded vector of DIM values. */
export function vec(rng: Rng): number[] {
  return Array.from({ length: DIM }, () => rng.normal());
}

/** The unit vector along axis `i`, optionally with a little of axis `j`. */
function axis(i: number, j = -1, w = 0): number[] {
  const v = new Array<number>(DIM).fill(0);
  v[i] = 1;
  if (j >= 0) v[j] = w;
  return v;
}

const cosine = (a: readonly number[], b: readonly number[]) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
};

async function refused(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof VectorStoreError, `not a VectorStoreError: ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

export interface ConformanceOptions {
  /** A new, empty store of dimension DIM (a fresh collection for a server). */
  readonly make: () => Promise<VectorStore>;
  /** Points in the bulk tests (enough to pass an embedded store's exact threshold when it is set low). */
  readonly bulk?: number;
}

/** Registers the suite under `name`. */
export function vectorStoreConformance(name: string, o: ConformanceOptions): void {
  const bulk = o.bulk ?? 300;
  const withStore = (title: string, body: (s: VectorStore) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const s = await o.make();
      try {
        await body(s);
      } finally {
        await s.close();
      }
    });

  withStore("an empty store counts 0 and finds nothing", async (s) => {
    assert.equal(s.dimension, DIM);
    assert.equal(await s.count(), 0);
    assert.deepEqual(await s.search(axis(0), 5), []);
  });

  withStore("search returns the nearest by cosine similarity, best first, with payloads", async (s) => {
    await s.upsert([
      { id: 1, vector: axis(0), payload: { name: "x" } },
      { id: 2, vector: axis(1), payload: { name: "y" } },
      { id: 3, vector: axis(0, 1, 0.5), payload: { name: "xy" } },
    ]);
    const hits = await s.search(axis(0, 1, 0.1), 2);
    assert.deepEqual(hits.map((h) => h.id), [1, 3]);
    assert.equal(hits[0].payload.name, "x");
    assert.ok(Math.abs(hits[0].score - cosine(axis(0, 1, 0.1), axis(0))) < 1e-5);
    assert.ok(Math.abs(hits[1].score - cosine(axis(0, 1, 0.1), axis(0, 1, 0.5))) < 1e-5);
  });

  withStore("cosine: a vector's length does not matter", async (s) => {
    await s.upsert([{ id: 1, vector: axis(2).map((x) => x * 1000), payload: {} }, { id: 2, vector: axis(3), payload: {} }]);
    const hits = await s.search(axis(2).map((x) => x * 0.001), 1);
    assert.equal(hits[0].id, 1);
    assert.ok(Math.abs(hits[0].score - 1) < 1e-5);
  });

  withStore("ties are broken by id, lowest first", async (s) => {
    await s.upsert([9, 4, 7].map((id) => ({ id, vector: axis(5), payload: {} })));
    assert.deepEqual((await s.search(axis(5), 3)).map((h) => h.id), [4, 7, 9]);
  });

  withStore("upsert replaces the vector and payload of an id", async (s) => {
    await s.upsert([{ id: 1, vector: axis(0), payload: { v: 1 } }, { id: 2, vector: axis(1), payload: { v: 2 } }]);
    await s.upsert([{ id: 1, vector: axis(1, 0, 0.01), payload: { v: 10 } }]);
    assert.equal(await s.count(), 2);
    const hits = await s.search(axis(0), 2);
    assert.deepEqual(hits.map((h) => [h.id, h.payload.v]), [[1, 10], [2, 2]]);
  });

  withStore("a payload filter: match and inclusive range, both together", async (s) => {
    const rng = Rng.root("conformance/filter");
    await s.upsert(Array.from({ length: 40 }, (_, i) => ({ id: i, vector: vec(rng), payload: { kind: i % 2 === 0 ? "even" : "odd", t: i } })));
    const even = { must: [{ key: "kind", match: "even" }] };
    assert.equal(await s.count(even), 20);
    const q = vec(rng);
    for (const h of await s.search(q, 5, even)) assert.equal(h.payload.kind, "even");
    const window = { must: [{ key: "kind", match: "odd" }, { key: "t", range: { gte: 10, lte: 15 } }] };
    assert.equal(await s.count(window), 3);
    assert.deepEqual((await s.search(q, 10, window)).map((h) => h.id).sort((a, b) => a - b), [11, 13, 15]);
  });

  withStore("k larger than the store returns every point; delete removes, unknown ids are ignored", async (s) => {
    const rng = Rng.root("conformance/delete");
    await s.upsert(Array.from({ length: 5 }, (_, i) => ({ id: i + 1, vector: vec(rng), payload: {} })));
    assert.equal((await s.search(vec(rng), 50)).length, 5);
    await s.delete([2, 4, 999]);
    assert.equal(await s.count(), 3);
    const ids = (await s.search(vec(rng), 50)).map((h) => h.id).sort((a, b) => a - b);
    assert.deepEqual(ids, [1, 3, 5]);
  });

  withStore("bad input is refused by name and changes nothing", async (s) => {
    await s.upsert([{ id: 1, vector: axis(0), payload: { a: 1 } }]);
    await refused(s.upsert([{ id: 2, vector: [1, 2, 3], payload: {} }]), "dimension", /points\[0\]\.vector: has 3 values; this store holds 16-dimensional/);
    await refused(s.upsert([{ id: 2, vector: axis(1), payload: {} }, { id: 3, vector: axis(1).map((x, i) => (i === 4 ? NaN : x)), payload: {} }]), "not-finite", /points\[1\]\.vector\[4\]: NaN is not a finite number/);
    await refused(s.upsert([{ id: 2, vector: new Array(DIM).fill(0), payload: {} }]), "zero-vector", /all zeros/);
    await refused(s.upsert([{ id: -1, vector: axis(1), payload: {} }]), "bad-id", /points\[0\]\.id: -1/);
    await refused(s.upsert([{ id: 2, vector: axis(1), payload: { x: Infinity } }]), "bad-payload", /payload\.x: Infinity/);
    await refused(s.search(axis(0).slice(1), 3), "dimension", /vector: has 15 values/);
    await refused(s.search(axis(0).map(() => NaN), 3), "not-finite", /vector\[0\]: NaN/);
    await refused(s.search(axis(0), 0), "bad-k", /k: 0 is not a positive integer/);
    await refused(s.delete([1.5]), "bad-id", /ids\[0\]: 1\.5/);
    assert.equal(await s.count(), 1);
    assert.deepEqual((await s.search(axis(0), 5)).map((h) => [h.id, h.payload.a]), [[1, 1]]);
  });

  withStore(`snapshot and restore: ${bulk} points come back with the same answers; a damaged snapshot is refused and changes nothing`, async (s) => {
    const rng = Rng.root("conformance/snapshot");
    const points = Array.from({ length: bulk }, (_, i) => ({ id: 1000 + i, vector: vec(rng), payload: { i, tag: `p${i}` } }));
    await s.upsert(points);
    const queries = Array.from({ length: 10 }, () => vec(rng));
    const before = await Promise.all(queries.map((q) => s.search(q, 20)));
    const dir = await mkdtemp(join(tmpdir(), "arena-vs-"));
    try {
      await s.snapshot(dir);
      await s.delete(points.slice(0, 50).map((p) => p.id));
      await s.upsert([{ id: 1, vector: vec(rng), payload: { extra: true } }]);
      await s.restore(dir);
      assert.equal(await s.count(), bulk);
      const after = await Promise.all(queries.map((q) => s.search(q, 20)));
      assert.deepEqual(after.map((h) => h.map((x) => x.id)), before.map((h) => h.map((x) => x.id)));
      // Damage one byte of the vectors: refused by the manifest's sums, and the store keeps its content.
      await s.delete([1000]);
      const file = join(dir, "vectors.f32");
      const bytes = await readFile(file);
      bytes[17] ^= 0xff;
      await writeFile(file, bytes);
      await refused(s.restore(dir), "corrupt", /vectors\.f32: sha256 does not match/);
      assert.equal(await s.count(), bulk - 1);
      await rm(join(dir, "manifest.json"));
      await refused(s.restore(dir), "corrupt", /manifest\.json: is missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  withStore("deterministic: the same operations give the same answers", async (s) => {
    const build = async (store: VectorStore) => {
      const rng = Rng.root("conformance/determinism");
      await store.upsert(Array.from({ length: bulk }, (_, i) => ({ id: i, vector: vec(rng), payload: {} })));
      await store.delete([3, 5, 8]);
      return Promise.all(Array.from({ length: 10 }, () => store.search(vec(rng), 10)));
    };
    const a = await build(s);
    const other = await o.make();
    try {
      assert.deepEqual(await build(other), a);
    } finally {
      await other.close();
    }
  });
}
