// A small memory folder for tests that need one (memory-rsi): states of seeded hourly bars, written as arena memory build writes them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedStore } from "../../../agents/memory/embedded-store.ts";
import { EMBEDDING_DIM } from "../../../agents/memory/embedding-layout.ts";
import { lossScaleOf, statesFromBars } from "../../../agents/memory/market-memory.ts";
import { MEMORY_FORMAT, writeMemoryFolder } from "../../../agents/memory/memory-folder.ts";
import { randomBars } from "../strategies/bars.ts";

/** Bars as the columns statesFromBars reads. */
export function columns(bars: readonly { time: number; open: number; high: number; low: number; close: number; volume: number }[]) {
  return {
    timestamps: Float64Array.from(bars, (b) => b.time), open: Float64Array.from(bars, (b) => b.open), high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low), close: Float64Array.from(bars, (b) => b.close), volume: Float64Array.from(bars, (b) => b.volume),
  };
}

/** Writes a memory of `n` seeded hourly bars (outcomes over 10 bars) into a new temporary folder; returns its path. */
export async function makeMemoryFolder(seed = 5, n = 500): Promise<string> {
  const points = statesFromBars(columns(randomBars(seed, n, 0.01)), { horizonBars: 10, source: "test" });
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  store.upsertSync(points);
  const dir = join(mkdtempSync(join(tmpdir(), "arena-memory-")), "mem");
  const { mkdir } = await import("node:fs/promises");
  await mkdir(dir);
  await writeMemoryFolder(dir, store, {
    format: MEMORY_FORMAT, version: 1, dimension: EMBEDDING_DIM, horizonBars: 10, lossScale: lossScaleOf(points), points: points.length, nextId: points.length,
    sources: ["test"], from: points[0].payload.time as number, to: points[points.length - 1].payload.time as number,
  });
  return dir;
}
