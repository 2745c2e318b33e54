// `arena memory build` and `arena memory query`: a market memory from bars or a run, and what it says about one moment.
import type { Command } from "commander";
import { join } from "node:path";
import { EmbeddedStore } from "../agents/memory/embedded-store.ts";
import { EMBEDDING_STARTUP_BARS, StateEmbedder } from "../agents/memory/embedding.ts";
import { EMBEDDING_DIM } from "../agents/memory/embedding-layout.ts";
import { lossScaleOf, MEMORY_K, statesFromBars } from "../agents/memory/market-memory.ts";
import { MEMORY_FORMAT, type MemoryMeta, openMemoryFolder, writeMemoryFolder } from "../agents/memory/memory-folder.ts";
import { VectorStoreError } from "../agents/memory/vector-store.ts";
import { runFolderProblem } from "../experiments/run-integrity.ts";
import { QdrantStore } from "../live/memory/qdrant-store.ts";
import { parsePath, UsageError } from "./args.ts";
import { addMemoryAblation } from "./memory-ablation.ts";
import { readBars } from "./facts-bars.ts";
import { FORCE_HELP, OUT_HELP, openOutput } from "./output.ts";

function parseInt1(flag: string, max: number) {
  return (raw: string): number => {
    if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not an integer from 1 to ${max}`);
    return Number(raw);
  };
}

/** `--at`: Unix milliseconds, or an ISO-8601 time with a zone (2023-03-10T12:00Z). */
export function parseTime(flag: string, raw: string): number {
  const s = raw.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  if (/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a time: give Unix milliseconds or ISO-8601 with a zone, such as 2023-03-10T12:00Z`);
}

/** A store error at the CLI: the user's input (a memory folder, a Qdrant URL) is named; exit 2. */
function asUsage(flag: string, err: unknown): never {
  if (err instanceof VectorStoreError) throw new UsageError(`${flag}: ${err.message}`);
  throw err;
}

interface BuildOptions {
  data?: string;
  run?: string;
  out: string;
  force?: boolean;
  horizon: number;
  qdrant?: string;
  collection: string;
}

interface QueryOptions {
  memory: string;
  at: number;
  data: string;
  k: number;
  json?: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Adds `memory build` and `memory query` to `program`. */
export function addMemoryCommand(program: Command): void {
  const memory = program.command("memory").description("the market memory: past states and what followed them (agents/memory/)");
  addMemoryAblation(memory);
  memory
    .command("build")
    .description("embed every bar of a file or run into a memory folder, each state with what followed it over --horizon bars")
    .option("--data <file>", "OHLCV bars: CSV (optionally gzipped) or Arrow IPC", (v) => parsePath("--data", v))
    .option("--run <dir>", "a run folder (arena run): its bars.arrow", (v) => parsePath("--run", v))
    .requiredOption("--out <dir>", OUT_HELP, (v) => parsePath("--out", v))
    .option("--force", FORCE_HELP)
    .option("--horizon <bars>", "bars after a state over which its outcome (return, drawdown) is measured", parseInt1("--horizon", 100_000), 60)
    .option("--qdrant <url>", "also upsert the states into this Qdrant server (refused, writing nothing, if it cannot be reached)", (v) => parsePath("--qdrant", v))
    .option("--collection <name>", "Qdrant collection for --qdrant", "arena_memory")
    .action(async (o: BuildOptions) => {
      if ((o.data === undefined) === (o.run === undefined)) {
        throw new UsageError(`memory build: give --data FILE or --run DIR, exactly one (got ${o.data === undefined ? "neither" : "both"})`);
      }
      if (o.run !== undefined) {
        const problem = await runFolderProblem(o.run);
        if (problem !== null) throw new UsageError(`--run: ${JSON.stringify(o.run)}: ${problem}`);
      }
      const source = o.data ?? o.run!;
      const bars = o.data !== undefined ? await readBars("--data", o.data) : await readBars("--run", join(o.run!, "bars.arrow"));
      if (bars.close.length < EMBEDDING_STARTUP_BARS + o.horizon) {
        throw new UsageError(`${o.data !== undefined ? "--data" : "--run"}: ${JSON.stringify(source)} holds ${bars.close.length} bars; a memory needs at least ${EMBEDDING_STARTUP_BARS} (warm-up) + ${o.horizon} (--horizon)`);
      }
      const qdrant = o.qdrant === undefined ? null : await QdrantStore.open({ url: o.qdrant, collection: o.collection, dimension: EMBEDDING_DIM }).catch((e: unknown) => asUsage("--qdrant", e));
      const output = await openOutput({ command: "memory build", value: o.out, force: o.force, inputs: o.data !== undefined ? [{ flag: "--data", path: o.data }] : [{ flag: "--run", path: join(o.run!, "bars.arrow") }] });
      const meta = await output.write(async (dir) => {
        const points = statesFromBars(bars, { horizonBars: o.horizon, source });
        const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
        await store.upsert(points);
        if (qdrant !== null) await qdrant.upsert(points).catch((e: unknown) => asUsage("--qdrant", e));
        const times = points.map((p) => p.payload.time as number);
        const m: MemoryMeta = {
          format: MEMORY_FORMAT,
          version: 1,
          dimension: EMBEDDING_DIM,
          horizonBars: o.horizon,
          lossScale: lossScaleOf(points),
          points: points.length,
          nextId: points.length,
          sources: [source],
          from: times.length > 0 ? times[0] : null,
          to: times.length > 0 ? times[times.length - 1] : null,
        };
        await writeMemoryFolder(dir, store, m);
        return m;
      });
      process.stdout.write(
        `memory: ${meta.points} states from ${source} (${new Date(meta.from ?? 0).toISOString()} .. ${new Date(meta.to ?? 0).toISOString()}), outcome horizon ${meta.horizonBars} bars, ` +
          `loss scale ${pct(meta.lossScale)}${qdrant !== null ? `; also in Qdrant ${o.qdrant} collection ${o.collection}` : ""}\n  wrote ${o.out}\n`,
      );
    });

  memory
    .command("query")
    .description(`what the memory says about the state at --at in --data: k nearest past states whose outcome was known by then; risk, confidence, outcomes, anomaly, best strategy`)
    .requiredOption("--memory <dir>", "a memory folder (arena memory build)", (v) => parsePath("--memory", v))
    .requiredOption("--at <time>", "the moment: Unix ms or ISO-8601 (the state at the close of the last bar opening at or before it)", (v) => parseTime("--at", v))
    .requiredOption("--data <file>", "OHLCV bars holding the moment and at least 240 bars before it", (v) => parsePath("--data", v))
    .option("--k <n>", "neighbours", parseInt1("--k", 1000), MEMORY_K)
    .option("--json", "print one JSON object")
    .action(async (o: QueryOptions) => {
      const opened = await openMemoryFolder(o.memory).catch((e: unknown) => asUsage("--memory", e));
      const bars = await readBars("--data", o.data);
      const e = new StateEmbedder();
      let state: Float32Array | null = null;
      let at = NaN;
      let regime = "warming-up";
      const candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
      for (let i = 0; i < bars.close.length && bars.timestamps[i] <= o.at; i++) {
        Object.assign(candle, { time: bars.timestamps[i], open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i] });
        state = e.update(candle);
        at = candle.time;
        regime = e.regime;
      }
      if (state === null) {
        throw new UsageError(`--at: ${new Date(o.at).toISOString()} has ${e.count} bars of --data ${JSON.stringify(o.data)} at or before it; the embedding needs ${EMBEDDING_STARTUP_BARS}`);
      }
      const r = await opened.memory.query(state, { at, k: o.k });
      const { hits, ...summary } = r;
      if (o.json === true) {
        process.stdout.write(JSON.stringify({ at, regime, ...summary, hits: hits.map((h) => ({ id: h.id, score: h.score, ...h.payload })) }) + "\n");
        return;
      }
      const d = summary.outcomes;
      process.stdout.write(
        `state at ${new Date(at).toISOString()} (regime ${regime}); memory ${o.memory}: ${opened.meta.points} states, outcomes over ${opened.meta.horizonBars} bars\n` +
          `  neighbours        ${summary.neighbours} of ${o.k} (outcomes known by then), similarity best ${summary.bestSimilarity.toFixed(3)}, mean ${summary.meanSimilarity.toFixed(3)}\n` +
          `  anomaly           ${summary.anomaly ? "YES (best similarity below 0.7)" : "no"}\n` +
          `  risk              ${summary.risk.toFixed(3)}   confidence ${summary.confidence.toFixed(3)}\n` +
          `  what followed     mean ${pct(d.mean)}, up ${pct(d.shareUp)}, p10 ${pct(d.p10)}, p50 ${pct(d.p50)}, p90 ${pct(d.p90)}, mean drawdown ${pct(d.meanDrawdown)}\n` +
          `  best strategy     ${summary.bestStrategy === null ? "none (no strategy has 3 trades among the neighbours)" : `${summary.bestStrategy.strategy} (${pct(summary.bestStrategy.meanReturn)} over ${summary.bestStrategy.trades} trades)`}\n`,
      );
    });
}
