// A small market memory folder from the first day of the real 1-minute file, for the tests of the memory features.
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { BarColumns } from "../../agents/memory/embedding.ts";
import { EmbeddedStore } from "../../agents/memory/embedded-store.ts";
import { EMBEDDING_DIM } from "../../agents/memory/embedding-layout.ts";
import { lossScaleOf, statesFromBars } from "../../agents/memory/market-memory.ts";
import { MEMORY_FORMAT, writeMemoryFolder } from "../../agents/memory/memory-folder.ts";

const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";

/** The first `n` minutes of the real file (from 2023-03-01T00:00Z) as bars. */
export function realBars(n: number): BarColumns {
  const lines = gunzipSync(readFileSync(REAL)).toString("utf8").split("\n").slice(1, n + 1);
  const cols = { timestamps: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  for (const l of lines) {
    const [t, o, h, lo, c, v] = l.split(",");
    cols.timestamps.push(Date.parse(t));
    cols.open.push(+o);
    cols.high.push(+h);
    cols.low.push(+lo);
    cols.close.push(+c);
    cols.volume.push(+v);
  }
  return cols;
}

/**
 * Writes a memory folder of the states of the first `minutes` real minutes (outcomes over `horizonBars`) into `dir`/name.
 * @returns its path.
 */
export async function writeRealMemory(dir: string, name: string, o: { minutes?: number; horizonBars?: number } = {}): Promise<string> {
  const bars = realBars(o.minutes ?? 1500);
  const horizonBars = o.horizonBars ?? 60;
  const points = statesFromBars(bars, { horizonBars, source: "real-slice" });
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  await store.upsert(points);
  const out = join(dir, name);
  await mkdir(out);
  const times = points.map((p) => p.payload.time as number);
  await writeMemoryFolder(out, store, {
    format: MEMORY_FORMAT, version: 1, dimension: EMBEDDING_DIM, horizonBars, lossScale: lossScaleOf(points), points: points.length, nextId: points.length,
    sources: ["real-slice"], from: times[0] ?? null, to: times.at(-1) ?? null,
  });
  return out;
}
