// `npm run bench -- ppo`'s memory line: MarketEnv steps/s with and without the memory features, the same episodes, in one thread.
import { storeReader } from "../agents/features/memory-features.ts";
import { EmbeddedStore } from "../agents/memory/embedded-store.ts";
import { EMBEDDING_DIM } from "../agents/memory/embedding-layout.ts";
import { lossScaleOf, statesFromBars } from "../agents/memory/market-memory.ts";
import { MarketEnv, MEMORY_WARMUP_SEC } from "../experiments/rl/envs/market.ts";
import { loadOhlcv } from "../experiments/ohlcv.ts";
import { builtinSpec } from "../scenarios/builtins.ts";
import { benchAction } from "./ppo-env-task.ts";

const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";

export interface MemoryEnvRate {
  /** States in the memory (from the real 1-minute file), and whether the store searched an HNSW index. */
  readonly points: number;
  readonly indexed: boolean;
  /** Env steps/s without and with the memory; resets excluded (both warm up the same 242 minutes). */
  readonly plain: number;
  readonly memory: number;
}

/** Steps/s of `env` over `steps` steps from its first reset (resets excluded). */
function rate(env: MarketEnv, steps: number): number {
  let seconds = 0;
  env.reset({ seed: 7 });
  let t0 = process.hrtime.bigint();
  for (let t = 0; t < steps; t++) {
    const r = env.step(benchAction(t));
    if (r.terminated || r.truncated) {
      seconds += Number(process.hrtime.bigint() - t0) / 1e9;
      env.reset();
      t0 = process.hrtime.bigint();
    }
  }
  return steps / (seconds + Number(process.hrtime.bigint() - t0) / 1e9);
}

/**
 * A memory of the first `bars` minutes of the real file, asked by a MarketEnv on normal whose
 * epoch is after them (so every state counts), against the same env without it: the same seed, so
 * the same episodes.
 */
export async function memoryEnvRate(steps: number, bars: number): Promise<MemoryEnvRate> {
  const all = await loadOhlcv(REAL);
  const n = Math.min(bars, all.close.length);
  const cut = { timestamps: all.timestamps.subarray(0, n), open: all.open.subarray(0, n), high: all.high.subarray(0, n), low: all.low.subarray(0, n), close: all.close.subarray(0, n), volume: all.volume.subarray(0, n) };
  const points = statesFromBars(cut, { horizonBars: 60, source: REAL });
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  store.upsertSync(points);
  const spec = { ...builtinSpec("normal"), epochMs: Date.parse("2023-03-22T00:00:00Z") };
  const options = { episodeSteps: 3600, warmupSec: MEMORY_WARMUP_SEC };
  const plainEnv = new MarketEnv(spec, options);
  const memoryEnv = new MarketEnv(spec, options, storeReader(store, lossScaleOf(points)));
  // Alternated, best of two each: the first rounds also warm the JIT, and the machine's load moves.
  let plain = 0;
  let memory = 0;
  for (let round = 0; round < 2; round++) {
    plain = Math.max(plain, rate(plainEnv, steps));
    memory = Math.max(memory, rate(memoryEnv, steps));
  }
  return { points: points.length, indexed: store.indexed, plain, memory };
}
