// A suite: scenarios × seeds on worker threads, judged together: suite.json and report.html.
import { mkdir, writeFile } from "node:fs/promises";
import { withBots, type ExtraBot } from "./suite-bots.ts";
import { join } from "node:path";
import { BUILTIN_SPECS } from "../scenarios/builtins.ts";
import { builtinSpecNames, builtinSpecOf } from "../scenarios/registry.ts";
import { checkDurationCovers } from "../scenarios/timeline.ts";
import { criteriaTable, writeReport, type CriteriaTable, type SuiteReportInput } from "./report/index.ts";
import { movesTable, type MoveRow } from "./report/moves-table.ts";
import { runMany } from "./run-many.ts";
import type { RunTaskResult } from "./run-task.ts";

export interface SuiteOptions {
  /** Built-in scenario names. */
  readonly scenarios: readonly string[];
  /** Seeds 1..seeds per scenario. */
  readonly seeds: number;
  readonly workers: number;
  readonly out: string;
  /** Simulated duration of every run, ns; each scenario's own when absent. */
  readonly durationNs?: number;
  /** Render PNGs of the charts beside report.html (slower). Default true. */
  readonly pngs?: boolean;
  /** Bots every scenario runs beside its own (a trained policy, say). */
  readonly bots?: readonly ExtraBot[];
  readonly onDone?: (done: number, total: number, run: RunTaskResult) => void;
}

/** suite.json: a function of (scenarios, seeds, durations, code): the same on 1 worker or N. */
export interface SuiteJson {
  readonly generator: string;
  readonly scenarios: readonly string[];
  readonly seeds: readonly number[];
  readonly table: CriteriaTable;
  /** Each scenario's specified legs (and volatility multiple) beside the realised ones across seeds. */
  readonly moves: readonly MoveRow[];
  readonly runs: readonly {
    readonly scenario: string;
    readonly seed: number;
    readonly digest: string;
    readonly events: number;
    readonly expectedMovePct?: number;
    readonly realisedMovePct?: number | null;
    readonly moves?: RunTaskResult["moves"];
    readonly volatility?: RunTaskResult["volatility"];
    readonly bots: RunTaskResult["bots"];
  }[];
}

export const SUITE_SCENARIOS: readonly string[] = Object.keys(BUILTIN_SPECS);

/**
 * Checks the options before anything runs or is written.
 * @throws Error naming the flag and the value.
 */
export function checkSuiteOptions(o: Pick<SuiteOptions, "scenarios" | "seeds" | "workers" | "durationNs" | "bots">): void {
  if (o.scenarios.length === 0) throw new Error("--scenarios: no scenario given");
  o.scenarios.forEach((s, i) => {
    if (builtinSpecOf(s) === undefined) throw new Error(`--scenarios: ${JSON.stringify(s)} is not a built-in (known: ${builtinSpecNames().join(", ")})`);
    if (o.scenarios.indexOf(s) !== i) throw new Error(`--scenarios: ${JSON.stringify(s)} is listed twice; each scenario runs once per seed (use --seeds for more runs)`);
  });
  if (!Number.isSafeInteger(o.seeds) || o.seeds < 1) throw new Error(`--seeds: ${o.seeds} must be a positive integer`);
  if (!Number.isSafeInteger(o.workers) || o.workers < 1) throw new Error(`--workers: ${o.workers} must be a positive integer`);
  if (o.durationNs !== undefined) for (const s of o.scenarios) checkDurationCovers(builtinSpecOf(s)!, o.durationNs);
  if (o.bots !== undefined && o.bots.length > 0) for (const s of o.scenarios) withBots(s, o.bots);
}

/**
 * Runs every scenario with seeds 1..N on `workers` threads, each run into
 * `out/runs/SCENARIO/seed-N/`, then writes `out/suite.json` and `out/report.html` (with
 * `out/charts/*.png`). `out` should be a fresh folder: the CLI gives a staging folder and
 * swaps it in whole when everything succeeded (cli/output.ts).
 */
export async function runSuite(o: SuiteOptions): Promise<{ suite: SuiteJson; html: string; pngs: readonly string[] }> {
  checkSuiteOptions(o);
  const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  await mkdir(o.out, { recursive: true });
  const tasks = o.scenarios.flatMap((scenario) =>
    seeds.map((seed) => ({ scenario, seed, durationNs: o.durationNs, out: join(o.out, "runs", scenario, `seed-${seed}`), series: true, ...(o.bots === undefined ? {} : { bots: o.bots }) })),
  );
  const results = await runMany({ tasks, workers: o.workers, onDone: o.onDone });
  const input: SuiteReportInput = {
    title: `btc-arena suite: ${o.scenarios.join(", ")} × ${o.seeds} seeds`,
    generator: "btc-arena 0.1.0",
    criteria: { maxDrawdownPct: builtinSpecOf(o.scenarios[0])!.criteria.maxDrawdownPct },
    scenarios: o.scenarios.map((name) => {
      const spec = builtinSpecOf(name)!;
      const runs = results.filter((r) => r.scenario === name);
      return {
        name,
        description: spec.description,
        specifiedMovePct: spec.expectedMovePct,
        shocks: runs[0]?.series?.shocks ?? [],
        runs: runs.map((r) => ({
          seed: Number(r.seed),
          digest: r.digest,
          realisedMovePct: r.realisedMovePct ?? undefined,
          price: r.series?.price ?? [],
          book: r.series?.book ?? [],
          bots: r.bots.map((b) => ({
            name: b.name,
            equity: r.series?.bots.find((s) => s.name === b.name)?.equity ?? [],
            maxDrawdownPct: b.maxDrawdownPct,
            survived: b.survived,
            blown: b.blown,
            returnPct: b.returnPct,
            ...(b.regimes === undefined ? {} : { regimes: b.regimes }),
          })),
        })),
      };
    }),
  };
  const suite: SuiteJson = {
    generator: input.generator,
    scenarios: o.scenarios,
    seeds,
    table: criteriaTable(input),
    moves: movesTable(results.map((r) => ({ scenario: r.scenario, seed: Number(r.seed), moves: r.moves, volatility: r.volatility, atrPct: r.atrPct }))),
    runs: results.map((r) => ({
      scenario: r.scenario, seed: Number(r.seed), digest: r.digest, events: r.events.total,
      expectedMovePct: r.expectedMovePct, realisedMovePct: r.realisedMovePct, moves: r.moves, volatility: r.volatility, bots: r.bots,
    })),
  };
  await writeFile(join(o.out, "suite.json"), JSON.stringify(suite, null, 2) + "\n");
  const paths = await writeReport(o.out, { ...input, moves: suite.moves }, { pngs: o.pngs !== false });
  return { suite, html: paths.html, pngs: paths.pngs };
}
