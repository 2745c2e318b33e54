// Runs one world with a seed, records it, and writes DIR/summary.json, DIR/*.arrow and 1-minute bars.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildScenario } from "../scenarios/build.ts";
import { BotResults, type BotResult } from "./bot-results.ts";
import { meanAtrPct, realisedMoves, type MoveLeg, type MoveResult } from "./moves.ts";
import { builtinSpecOf, worldByName } from "../scenarios/registry.ts";
import { fileRecord } from "./run-integrity.ts";
import { pathTracking, type PathTracking } from "./tracking.ts";
import type { ScenarioSpec } from "../scenarios/spec.ts";
import { SECOND } from "../sim/clock.ts";
import type { BarBuilder } from "../sim/bars.ts";
import type { RunStats } from "../sim/kernel.ts";
import { Recorder } from "../sim/recorder.ts";

export interface RunOptions {
  /** A built-in world's name; with `spec`, the spec's name. */
  readonly scenario: string;
  /** A validated scenario (from a file) to run instead of a built-in. */
  readonly spec?: ScenarioSpec;
  readonly seed: number;
  /** Simulated duration in ns; the world's default when absent. */
  readonly durationNs?: number;
  readonly out: string;
  /** Interval of L2 snapshots, ns. Default 10 s. */
  readonly l2IntervalNs?: number;
  /** Levels per side in L2 snapshots. Default 10. */
  readonly l2Levels?: number;
  /** Wall clock in ms, injected so this module stays free of ambient time. */
  readonly wallClock?: () => number;
}

/** summary.json. Every field but `wallTimeMs` is a function of (scenario, seed, duration, code). */
export interface RunSummary extends RunStats {
  readonly scenario: string;
  readonly simulatedSeconds: number;
  readonly rows: {
    readonly trades: number; readonly orders: number; readonly l1: number; readonly l2: number;
    /** 1-minute OHLCV bars in bars.arrow. */
    readonly bars: number;
  };
  readonly files: readonly string[];
  /** Bytes of each file in `files` but summary.json: with `rows` and `sha256`, which files belong to this run. */
  readonly fileBytes: Readonly<Record<string, number>>;
  /** sha256 (hex) of bars.arrow, whose size and rows are the same for every run of one duration. */
  readonly sha256: Readonly<Record<string, string>>;
  /** The first leg of `moves`: what the scenario specifies and what the run made (percent). */
  readonly expectedMovePct?: number;
  /** Every specified leg beside the realised one, when the scenario specifies a path. */
  readonly moves?: readonly MoveResult[];
  /** Mean true range of the 1-minute bars, percent of price. */
  readonly atrPct?: number | null;
  /** The specified volatility multiple beside the realised one (atrPct / the spec's reference). */
  readonly volatility?: { readonly expectedAtrMultiple: number; readonly realisedAtrMultiple: number | null };
  /** Each bot under test against the scenario's criteria (empty without bots). */
  readonly bots: readonly BotResult[];
  readonly realisedMovePct?: number | null;
  /** For a scenario whose latent value follows a real path (an episode): how closely the run followed it. */
  readonly tracking?: PathTracking;
  readonly wallTimeMs: number;
}

/**
 * Builds the named world (or `spec`), runs it for its duration, records trades, order events, L1 on
 * change, periodic L2 and 1-minute OHLCV bars (bars.arrow), and writes the outputs.
 * Nothing is written if the run fails.
 * @throws Error naming the field and value for an unknown scenario or a bad option.
 */
export async function runWorld(opts: RunOptions): Promise<RunSummary> {
  return (await runWorldWithSeries(opts)).summary;
}

/** The legs a spec asks for: its `moves`, or its `expectedMovePct` from the first shock to the end. */
export function specLegs(spec: ScenarioSpec, durationNs: number): MoveLeg[] {
  if (spec.moves.length > 0) return spec.moves;
  if (spec.expectedMovePct === undefined) return [];
  const at = spec.shocks[0]?.at ?? 0;
  return [{ label: "move", at, within: Math.max(1, durationNs - at), pct: spec.expectedMovePct }];
}

/** summary.json's path fields: legs, the first leg's shorthand, ATR and the volatility multiple. */
function pathOutcome(spec: ScenarioSpec, bars: BarBuilder, durationNs: number): Partial<RunSummary> {
  const moves = realisedMoves(bars.openTimesNs(), bars.closes(), specLegs(spec, durationNs));
  const atrPct = meanAtrPct(bars.highs(), bars.lows(), bars.closes());
  const path = spec.fundamental.path;
  return {
    ...(moves.length === 0 ? {} : { expectedMovePct: moves[0].expectedPct, realisedMovePct: moves[0].realisedPct, moves }),
    atrPct,
    ...(path === undefined ? {} : { tracking: pathTracking(bars.openTimesNs(), bars.closes(), bars.intervalNs, { stepNs: path.step, prices: path.prices }, durationNs) }),
    ...(spec.volatility === undefined
      ? {}
      : {
          volatility: {
            expectedAtrMultiple: spec.volatility.atrMultiple,
            realisedAtrMultiple: atrPct === null ? null : Math.round((atrPct / spec.volatility.referenceAtrPct) * 100) / 100,
          },
        }),
  };
}

/** Time series of a run, for charts: times in Unix ms. */
export interface RunSeries {
  readonly price: { t: number; close: number }[];
  /** Spread in basis points of mid, and depth in base coins within ±1% of mid. */
  readonly book: { t: number; spreadBps: number; depth: number }[];
  readonly bots: { name: string; equity: { t: number; value: number }[] }[];
  /** Shocks of the scenario: Unix ms and label. */
  readonly shocks: { atMs: number; label: string }[];
}

/** `runWorld`, also returning the run's time series (not written to summary.json). */
export async function runWorldWithSeries(opts: RunOptions): Promise<{ summary: RunSummary; series: RunSeries }> {
  // Built-ins written as specs run through the same path as scenario files.
  const spec = opts.spec ?? builtinSpecOf(opts.scenario);
  const world = spec === undefined ? worldByName(opts.scenario) : undefined;
  const wall = opts.wallClock ?? (() => 0);
  const t0 = wall();
  const built = spec !== undefined ? buildScenario(spec, opts.seed) : undefined;
  const kernel = built !== undefined ? built.kernel : world!.build(opts.seed);
  const botResults = new BotResults(kernel, built?.bots ?? []);
  const durationNs = opts.durationNs ?? (spec !== undefined ? spec.duration : world!.defaultDurationNs);
  const recorder = new Recorder(kernel.venue.instrument, { epochMs: kernel.venue.epochMs });
  kernel.observe(recorder);
  const bars = kernel.bars;
  const levels = opts.l2Levels ?? 10;
  kernel.every(opts.l2IntervalNs ?? 10 * SECOND, (now) => {
    const d = kernel.depth(levels);
    recorder.onDepth(now, d.bids, d.asks);
  });
  const book: RunSeries["book"] = [];
  const epochMs = kernel.venue.epochMs;
  const inst = kernel.venue.instrument;
  kernel.every(60 * SECOND, (now) => {
    const top = kernel.venue.engine.top();
    if (top.bidPrice === 0 || top.askPrice === 0) return;
    const mid = (top.bidPrice + top.askPrice) / 2;
    let lots = 0;
    for (const side of [0, 1] as const) {
      for (const l of kernel.venue.engine.depth(side, 200)) if (Math.abs(l.price / mid - 1) <= 0.01) lots += l.size;
    }
    book.push({ t: epochMs + now / 1e6, spreadBps: ((top.askPrice - top.bidPrice) / mid) * 1e4, depth: lots * inst.spec.lotSize });
  });
  const stats = await kernel.run(durationNs);
  bars.finish(durationNs);
  await mkdir(opts.out, { recursive: true });
  const files = [...(await recorder.write(opts.out)), await bars.write(opts.out)];
  const rows = { ...recorder.counts(), bars: bars.count };
  recorder.release();
  const names = files.map((f) => f.split(/[\\/]/).pop()!);
  const { fileBytes, sha256 } = await fileRecord(opts.out, names);
  const summary: RunSummary = {
    scenario: opts.scenario,
    ...stats,
    simulatedSeconds: durationNs / SECOND,
    rows,
    ...(spec === undefined ? {} : pathOutcome(spec, bars, durationNs)),
    bots: spec === undefined ? [] : botResults.results(spec),
    files: [...names, "summary.json"],
    fileBytes,
    sha256,
    wallTimeMs: Math.round(wall() - t0),
  };
  await writeFile(join(opts.out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  const opens = bars.openTimesNs();
  const closes = bars.closes();
  const series: RunSeries = {
    price: Array.from(closes, (close, i) => ({ t: epochMs + opens[i] / 1e6, close })),
    book,
    bots: botResults.series().map((b) => ({ name: b.name, equity: b.t.map((t, i) => ({ t: epochMs + t / 1e6, value: b.equity[i] })) })),
    shocks: (spec?.shocks ?? []).map((s) => ({ atMs: epochMs + s.at / 1e6, label: s.label ?? s.type })),
  };
  return { summary, series };
}
