// `npm run bench -- memory [--json] [--ops N]`: the market memory's index on 100,000 x 128 embeddings, k = 20, against the other HNSW package and exact search.
//
// Data: the embeddings (agents/memory/embedding.ts) of N seeded synthetic 1-minute bars (the
// backtest benchmark's random walk with volatility regimes; N = 100,000 or `--ops`), inserted in
// bar order; 1,000 queries: the embeddings of bars of another seed. Made once, outside timing.
//
// Candidates, each built on one thread in the same order, k = 20:
// - the embedded store as shipped (EmbeddedStore over usearch: HNSW M 16, expansion 128/128,
//   40 candidates re-scored exactly and tied by id): the headline;
// - usearch on its own, same settings, its own 20 answers (what the store adds is the re-scoring);
// - hnswlib-node on its own (M 16, efConstruction 128, ef 128, seed 100; it takes plain arrays,
//   so each vector is copied into one, which is part of what using it from JS costs);
// - exact search: the store's scan of every vector (what it does below 10,000 points).
// Build time is wall time to insert every vector; query latency per query (p50, p99), in wall
// time and in this process's CPU time (on a shared machine the wall time's tail is mostly other
// processes taking the core); recall@20
// against the exact answer computed in the same process; memory: RSS growth while building.
import { Index, MetricKind, ScalarKind } from "usearch";
import { EmbeddedStore } from "../agents/memory/embedded-store.ts";
import { embedBars } from "../agents/memory/embedding.ts";
import { EMBEDDING_DIM } from "../agents/memory/embedding-layout.ts";
import { syntheticBars } from "./backtest.ts";
import type { BenchArgs } from "./main.ts";

const K = 20;
const QUERIES = 1000;

interface Row {
  readonly name: string;
  readonly buildSec: number;
  readonly p50: number;
  readonly p99: number;
  /** The same percentiles in CPU time of this process: what a query costs when no other process takes the core. */
  readonly cpuP50: number;
  readonly cpuP99: number;
  readonly recall: number;
  readonly memoryMB: number;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function vectorsOf(n: number, seed: string): Float32Array {
  const e = embedBars(syntheticBars(n + 240, seed));
  return e.vectors.subarray(0, n * EMBEDDING_DIM);
}

const rss = () => process.memoryUsage().rss / 1e6;

function measure(name: string, build: () => void, search: (q: Float32Array) => readonly number[], queries: readonly Float32Array[], truth: readonly Set<number>[]): Row {
  globalThis.gc?.();
  const before = rss();
  const t0 = performance.now();
  build();
  const buildSec = (performance.now() - t0) / 1000;
  const memoryMB = rss() - before;
  const lat: number[] = [];
  const cpu: number[] = [];
  let hit = 0;
  queries.forEach((q, i) => {
    const c = process.cpuUsage();
    const t = performance.now();
    const ids = search(q);
    lat.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
    for (const id of ids) if (truth[i].has(id)) hit++;
  });
  lat.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { name, buildSec, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), cpuP50: percentile(cpu, 0.5), cpuP99: percentile(cpu, 0.99), recall: hit / (K * queries.length), memoryMB };
}

interface HnswlibIndex {
  initIndex(max: number, m: number, efConstruction: number, seed: number): void;
  addPoint(p: number[], label: number): void;
  setEf(ef: number): void;
  searchKnn(q: number[], k: number): { neighbors: number[] };
}

async function loadHnswlib(): Promise<(new (space: string, dim: number) => HnswlibIndex) | null> {
  try {
    const m = (await import("hnswlib-node")) as unknown as { HierarchicalNSW?: new (space: string, dim: number) => HnswlibIndex; default?: { HierarchicalNSW: new (space: string, dim: number) => HnswlibIndex } };
    return m.HierarchicalNSW ?? m.default?.HierarchicalNSW ?? null;
  } catch {
    return null;
  }
}

export async function run(args: BenchArgs): Promise<void> {
  const n = args.ops ?? 100_000;
  const log = (s: string) => {
    if (!args.json) process.stdout.write(s);
  };
  log(`embedding ${n.toLocaleString("en")} + ${QUERIES} synthetic 1-minute bars (untimed)...\n`);
  const data = vectorsOf(n, "btc-arena/bench/memory/data");
  const qAll = vectorsOf(QUERIES, "btc-arena/bench/memory/queries");
  const row = (i: number) => data.subarray(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM);
  const queries = Array.from({ length: QUERIES }, (_, i) => qAll.subarray(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM));
  const points = Array.from({ length: n }, (_, i) => ({ id: i, vector: row(i), payload: {} }));

  // Exact first: its answers are the truth every other row is scored against.
  const exact = new EmbeddedStore({ dimension: EMBEDDING_DIM, exactBelow: Number.MAX_SAFE_INTEGER });
  const truth = queries.map(() => new Set<number>());
  const rows: Row[] = [];
  let asked = 0;
  const exactRow = measure("exact scan (JS)", () => exact.upsertSync(points), (q) => {
    const ids = exact.exactSearch(q, K).map((h) => h.id);
    for (const id of ids) truth[asked].add(id);
    asked++;
    return ids;
  }, queries, truth);
  rows.push(exactRow);
  await exact.close();

  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM, exactBelow: 0 });
  rows.unshift(measure("usearch 2.25.3 (the store)", () => store.upsertSync(points), (q) => store.searchSync(q, K).map((h) => h.id), queries, truth));
  await store.close();

  const raw = new Index({ dimensions: EMBEDDING_DIM, metric: MetricKind.Cos, quantization: ScalarKind.F32, connectivity: 16, expansion_add: 128, expansion_search: 128, multi: false });
  rows.push(measure("usearch 2.25.3 (raw)", () => {
    for (let i = 0; i < n; i++) raw.add(BigInt(i), row(i), 1);
  }, (q) => Array.from(raw.search(q, K, 1).keys, Number), queries, truth));

  const Hnsw = await loadHnswlib();
  if (Hnsw !== null) {
    const h = new Hnsw("cosine", EMBEDDING_DIM);
    rows.push(measure("hnswlib-node 3.0.0", () => {
      h.initIndex(n, 16, 128, 100);
      for (let i = 0; i < n; i++) h.addPoint(Array.from(row(i)), i);
      h.setEf(128);
    }, (q) => h.searchKnn(Array.from(q), K).neighbors, queries, truth));
  }

  const head = rows[0];
  if (args.json) {
    const peers = Object.fromEntries(rows.slice(1).map((r) => [r.name, { queryMsP99: r.p99, queryMsP50: r.p50, queryCpuMsP99: r.cpuP99, recallAt20: r.recall, buildSec: r.buildSec, memoryMB: r.memoryMB }]));
    process.stdout.write(JSON.stringify({ queryMsP99: head.p99, recallAt20: head.recall, buildSec: head.buildSec, queryMsP50: head.p50, queryCpuMsP50: head.cpuP50, queryCpuMsP99: head.cpuP99, memoryMB: head.memoryMB, vectors: n, k: K, queries: QUERIES, peers, hnswlibInstalled: Hnsw !== null }) + "\n");
    return;
  }
  log(`\n${n.toLocaleString("en")} x ${EMBEDDING_DIM} vectors, k = ${K}, ${QUERIES} queries, one thread\n`);
  log(`${"index".padEnd(28)} ${"build s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"cpu p50".padStart(8)} ${"cpu p99".padStart(8)} ${"recall@20".padStart(10)} ${"RSS +MB".padStart(8)}\n`);
  for (const r of rows) {
    log(`${r.name.padEnd(28)} ${r.buildSec.toFixed(1).padStart(8)} ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(8)} ${r.cpuP50.toFixed(3).padStart(8)} ${r.cpuP99.toFixed(3).padStart(8)} ${r.recall.toFixed(4).padStart(10)} ${r.memoryMB.toFixed(0).padStart(8)}\n`);
  }
  if (Hnsw === null) log("hnswlib-node: not installed (an optional dependency: its native build needs a C++ compiler)\n");
  log(`target: p99 < 2 ms with recall@20 >= 0.95 (the seed asks < 50 ms a query)\n`);
}
