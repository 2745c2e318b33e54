// Where the stylized facts come from: `normal` with the fundamental's stochastic volatility, jumps and news, or its market activity, switched off, with and without switching traders.
import { BUILTIN_SPECS } from "../scenarios/builtins.ts";
import { runParallel } from "../sim/parallel.ts";
import { ABS_ACF_LAGS, KURTOSIS_HORIZONS, type Facts } from "./facts.ts";
import { spreadOf } from "./facts-spread.ts";
import type { WorldFactsResult, WorldFactsTask } from "./world-facts-task.ts";

/** The switching crowd the variants add (agents/switching-traders.ts defaults), by rule. */
export const SWITCHING_POPULATION = { type: "switching", count: 1, params: {} } as const;
export const BROCK_HOMMES_POPULATION = { type: "switching", count: 1, params: { rule: "brock-hommes" } } as const;

type RawSpec = Record<string, unknown> & { fundamental: Record<string, unknown>; populations: unknown[]; activity?: Record<string, unknown> };

/** One world of the comparison: a label and how it differs from `normal`. */
export interface Variant {
  readonly label: string;
  /** The fundamental's volatility factors, all three (fast, middle, slow). */
  readonly sv: boolean;
  /** The fundamental's jumps and news. */
  readonly jumps: boolean;
  /** The market activity that moves the noise flow's rate; on unless false. */
  readonly activity?: boolean;
  /** The switching crowd added: Lux–Marchesi (true) or Brock–Hommes, or none. */
  readonly switching: boolean | "brock-hommes";
}

/** (a) normal, and with activity off, (b) SV off with and without jumps and news, (c) (b) plus switching traders, (d) switching traders with SV on, (e) the same with the Brock–Hommes rule. */
export const VARIANTS: readonly Variant[] = [
  { label: "a normal", sv: true, jumps: true, switching: false },
  { label: "a2 activity off", sv: true, jumps: true, activity: false, switching: false },
  { label: "b1 SV off", sv: false, jumps: true, switching: false },
  { label: "b2 SV, jumps off", sv: false, jumps: false, switching: false },
  { label: "c1 SV off + switching", sv: false, jumps: true, switching: true },
  { label: "c2 SV, jumps off + switching", sv: false, jumps: false, switching: true },
  { label: "d normal + switching", sv: true, jumps: true, switching: true },
  { label: "e1 SV off + Brock–Hommes", sv: false, jumps: true, switching: "brock-hommes" },
  { label: "e2 normal + Brock–Hommes", sv: true, jumps: true, switching: "brock-hommes" },
];

/**
 * `normal` as the built-in holds it, for `days` days, without its bots under test (the
 * populations make the market; the bots only watch it), changed as `v` says.
 */
export function variantSpec(v: Variant, days: number): RawSpec {
  const normal = BUILTIN_SPECS.normal as RawSpec;
  return {
    ...normal,
    name: "normal-facts-sources",
    duration: `${days}d`,
    bots: [],
    fundamental: { ...normal.fundamental, ...(v.sv ? {} : { volOfVolPerSqrtHour: 0, midVolOfVolPerSqrtHour: 0, slowVolOfVolPerSqrtHour: 0 }), ...(v.jumps ? {} : { jumpsPerDay: 0, newsPerDay: 0 }) },
    ...(v.activity === false ? { activity: { ...normal.activity, volOfVolPerSqrtHour: 0 } } : {}),
    populations: [...normal.populations, ...(v.switching === "brock-hommes" ? [BROCK_HOMMES_POPULATION] : v.switching ? [SWITCHING_POPULATION] : [])],
  };
}

/** The facts the table shows, by row label. */
export const FACT_ROWS: readonly (readonly [string, (f: Facts) => number])[] = [
  ["std 1-min %", (f) => f.stdPct],
  ...KURTOSIS_HORIZONS.map((k) => [`kurtosis ${k}`, (f: Facts) => f.kurtosis[`${k}`]] as const),
  ...ABS_ACF_LAGS.map((k) => [`\\|r\\| acf ${k}`, (f: Facts) => f.absAcf[`${k}`]] as const),
  ["Hill index", (f) => f.hill],
  ["corr(volume, \\|r\\|)", (f) => f.volumeAbsCorr],
];

const fmt = (x: number) => (!Number.isFinite(x) ? "n/a" : Math.abs(x) >= 10 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

/** A Markdown table: one row per fact, one column per variant ("median (min to max)"), the reference beside. */
export function sourcesTable(variants: readonly Variant[], results: readonly (readonly WorldFactsResult[])[], reference?: Facts): string {
  const head = ["fact", ...variants.map((v) => v.label), ...(reference === undefined ? [] : ["real"])];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const [label, get] of FACT_ROWS) {
    const cells = results.map((rs) => {
      const s = spreadOf(rs.map((r) => get(r.facts)));
      return `${fmt(s.median)} (${fmt(s.min)} to ${fmt(s.max)})`;
    });
    lines.push(`| ${[label, ...cells, ...(reference === undefined ? [] : [fmt(get(reference))])].join(" | ")} |`);
  }
  const shares = results.map((rs) => {
    const s = spreadOf(rs.map((r) => r.chartistShare ?? NaN));
    return Number.isFinite(s.median) ? `${fmt(s.median)} (${fmt(s.min)} to ${fmt(s.max)})` : "-";
  });
  lines.push(`| ${["mean chartist share", ...shares, ...(reference === undefined ? [] : ["-"])].join(" | ")} |`);
  return lines.join("\n") + "\n";
}

export interface SourcesOptions {
  readonly seeds: number;
  readonly days: number;
  readonly workers: number;
  readonly onDone?: (done: number, total: number) => void;
}

/** Runs every variant for seeds 1..`seeds` on worker threads; results per variant, in seed order. */
export async function factsSources(opts: SourcesOptions): Promise<WorldFactsResult[][]> {
  const tasks: WorldFactsTask[] = [];
  for (const v of VARIANTS) for (let seed = 1; seed <= opts.seeds; seed++) tasks.push({ spec: variantSpec(v, opts.days), seed });
  const flat = await runParallel<WorldFactsTask, WorldFactsResult>({
    worker: new URL("./world-facts-worker.mjs", import.meta.url),
    module: new URL("./world-facts-task.ts", import.meta.url),
    tasks,
    workers: opts.workers,
    onDone: opts.onDone === undefined ? undefined : (d, t) => opts.onDone!(d, t),
  });
  return VARIANTS.map((_, i) => flat.slice(i * opts.seeds, (i + 1) * opts.seeds));
}
