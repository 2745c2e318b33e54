// Calibration check of `normal`: runs a candidate on seeds 1-8 for 3 days and prints each stylized fact's median, range and the real value, pass or fail.
//
// Usage: node --import tsx tools/normal-facts.ts [--set JSON] [--seeds 1-8] [--duration-days 3] [--workers 2] [--ref-windows] [--json]
//   --set patches the built-in `normal` before running: {"fundamental": {...}, "activity": {...}, "populations":
//   {"market-maker": {"count": 6, "params": {...}}}}; population patches are keyed by type and
//   merge into that population's params. A fact passes when the median across seeds is within
//   ±30% of the real value and the real value lies inside the seeds' min..max. --ref-windows takes
//   as the real value the median over the reference cut into windows as long as the runs
//   (duration-days × 1440 one-minute bars), since sample facts depend on sample length.
import { parseArgs } from "node:util";
import { ABS_ACF_LAGS, KURTOSIS_HORIZONS, REFERENCE_BARS, stylizedFacts, type Facts } from "../experiments/facts.ts";
import { spreadOf } from "../experiments/facts-spread.ts";
import { loadOhlcv, type Ohlcv } from "../experiments/ohlcv.ts";
import { referenceWindows, ReferenceWindowsError } from "../experiments/reference-windows.ts";
import { BUILTIN_SPECS } from "../scenarios/builtins.ts";
import { runParallel } from "../sim/parallel.ts";
import type { WorldFactsResult, WorldFactsTask } from "../experiments/world-facts-task.ts";

const TOLERANCE = 0.3;
const DAY_NS = 86_400e9;

/** The facts the calibration targets: a label and how to read each from `Facts`. */
export const TARGET_FACTS: readonly (readonly [string, (f: Facts) => number])[] = [
  ...KURTOSIS_HORIZONS.map((k) => [`excess kurtosis ${k}m`, (f: Facts) => f.kurtosis[`${k}`]] as const),
  ...ABS_ACF_LAGS.map((k) => [`|r| acf lag ${k}`, (f: Facts) => f.absAcf[`${k}`]] as const),
  ["std of 1m returns %", (f) => f.stdPct],
  ["Hill index", (f) => f.hill],
  ["corr(volume, |r|)", (f) => f.volumeAbsCorr],
];

interface Patch {
  readonly fundamental?: Record<string, unknown>;
  readonly activity?: Record<string, unknown>;
  readonly populations?: Record<string, { count?: number; params?: Record<string, unknown> }>;
}

type PopSpec = { type: string; count: number; params?: Record<string, unknown> };

/** `normal` with `patch` applied (fundamental fields replaced, population params merged by type). */
function candidate(patch: Patch): unknown {
  const base = BUILTIN_SPECS.normal as { fundamental: Record<string, unknown>; populations: PopSpec[] };
  const pops = patch.populations ?? {};
  for (const type of Object.keys(pops)) {
    if (!base.populations.some((p) => p.type === type)) throw new Error(`--set: populations.${type} is not a population of normal`);
  }
  return {
    ...base,
    fundamental: { ...base.fundamental, ...patch.fundamental },
    ...(patch.activity === undefined ? {} : { activity: { ...(base as { activity?: object }).activity, ...patch.activity } }),
    populations: base.populations.map((p) => {
      const q = pops[p.type];
      return q === undefined ? p : { ...p, count: q.count ?? p.count, params: { ...p.params, ...q.params } };
    }),
  };
}

function seedList(text: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (m === null) return text.split(",").map(Number);
  const out: number[] = [];
  for (let s = Number(m[1]); s <= Number(m[2]); s++) out.push(s);
  return out;
}

/** The reference's windows, or exit 2 naming --ref-windows when they cannot be cut. */
function windowsOrExit(bars: Ohlcv, windowBars: number): Facts[] {
  try {
    return referenceWindows(bars, windowBars);
  } catch (err) {
    if (!(err instanceof ReferenceWindowsError)) throw err;
    process.stderr.write(`normal-facts: --ref-windows with --duration-days ${windowBars / 1440}: ${err.message}\n`);
    process.exit(2);
  }
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: "string", default: "{}" },
      seeds: { type: "string", default: "1-8" },
      "duration-days": { type: "string", default: "3" },
      workers: { type: "string", default: "2" },
      "ref-windows": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const patch = JSON.parse(values.set) as Patch;
  const spec = candidate(patch);
  const durationNs = Number(values["duration-days"]) * DAY_NS;
  const refBars = loadOhlcv(REFERENCE_BARS.path);
  // The windows before any run, so a reference too short for them is refused at once.
  const windowBars = Math.round(Number(values["duration-days"]) * 1440);
  const windows = values["ref-windows"] ? windowsOrExit(await refBars, windowBars) : undefined;
  const tasks: WorldFactsTask[] = seedList(values.seeds).map((seed) => ({ spec, seed, durationNs }));
  const t0 = performance.now();
  const [results, ref] = await Promise.all([
    runParallel<WorldFactsTask, WorldFactsResult>({
      worker: new URL("../experiments/world-facts-worker.mjs", import.meta.url),
      module: new URL("../experiments/world-facts-task.ts", import.meta.url),
      tasks,
      workers: Number(values.workers),
      onDone: (d, n, r) => process.stderr.write(`seed ${r.seed} done (${d}/${n}, ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`),
    }),
    refBars,
  ]);
  const real = stylizedFacts(ref);
  const rows = TARGET_FACTS.map(([label, get]) => {
    const xs = results.map((r) => get(r.facts));
    const med = spreadOf(xs).median;
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const win = windows === undefined ? undefined : spreadOf(windows.map(get));
    const want = win === undefined ? get(real) : win.median;
    const near = Math.abs(med / want - 1) <= TOLERANCE;
    const inside = lo <= want && want <= hi;
    const row = { label, median: med, min: lo, max: hi, real: want, pass: near && inside, near, inside };
    return win === undefined ? row : { ...row, windows: { n: win.n, median: win.median, min: win.min, max: win.max } };
  });
  const atr = results.map((r) => r.atrPct ?? NaN);
  const meanAtr = atr.reduce((a, b) => a + b, 0) / atr.length;
  if (values.json) {
    const refWindows = windows === undefined ? {} : { refWindows: { bars: windowBars, count: windows.length } };
    process.stdout.write(JSON.stringify({ patch, rows, ...refWindows, atrPct: atr, meanAtrPct: meanAtr, perSeed: results }) + "\n");
    return;
  }
  const lines = windows === undefined
    ? ["| fact | median | min..max | real | pass |", "|---|---|---|---|---|"]
    : [
        `real: the median over the reference cut into ${windows.length} windows of ${windowBars} one-minute bars, the runs' length`,
        "",
        "| fact | median | min..max | real (windows' median) | windows' min..max | pass |",
        "|---|---|---|---|---|---|",
      ];
  for (const r of rows) {
    const why = r.pass ? "yes" : `no (${[r.near ? "" : "median", r.inside ? "" : "range"].filter(Boolean).join(", ")})`;
    const win = "windows" in r ? ` ${fmt(r.windows.min)}..${fmt(r.windows.max)} |` : "";
    lines.push(`| ${r.label} | ${fmt(r.median)} | ${fmt(r.min)}..${fmt(r.max)} | ${fmt(r.real)} |${win} ${why} |`);
  }
  const passed = rows.filter((r) => r.pass).length;
  lines.push("", `${passed}/${rows.length} facts pass; mean 1-minute true range ${meanAtr.toFixed(4)}% (seeds ${atr.map((a) => a.toFixed(3)).join(" ")})`);
  lines.push(`lag-1 return acf, median ${fmt(spreadOf(results.map((r) => r.facts.acf["1"])).median)} (real ${fmt(real.acf["1"])}${windows === undefined ? "" : `, windows' median ${fmt(spreadOf(windows.map((f) => f.acf["1"])).median)}`}); wall time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  process.stdout.write(lines.join("\n") + "\n");
}

await main();
