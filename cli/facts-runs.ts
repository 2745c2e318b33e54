// `arena facts --runs DIR...`: each fact's median, 95% interval and range across run folders (or a suite's runs) beside the reference.
import { readdir, realpath, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { REFERENCE_BARS, stylizedFacts, type Facts } from "../experiments/facts.ts";
import { factsSpread, spreadTable, spreadToJson, WITHIN_FRACTION } from "../experiments/facts-spread.ts";
import { compareToWindows, referenceWindows, ReferenceWindowsError, windowRowsToJson, windowsTable } from "../experiments/reference-windows.ts";
import type { Ohlcv } from "../experiments/ohlcv.ts";
import { runFolderProblem } from "../experiments/run-integrity.ts";
import { UsageError } from "./args.ts";
import { loadBars } from "./facts-bars.ts";

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);
const seedNumber = (name: string) => Number(/^seed-(\d+)$/.exec(name)?.[1] ?? NaN);

/** The run folders `seed-N` directly under `dir`, in seed order. */
async function seedFolders(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => Number.isFinite(seedNumber(n)));
  names.sort((a, b) => seedNumber(a) - seedNumber(b));
  const out: string[] = [];
  for (const n of names) if (await isFile(join(dir, n, "summary.json"))) out.push(join(dir, n));
  return out;
}

/**
 * The run folders `--runs` names: a run folder (summary.json) as given; a suite folder
 * (suite.json) stands for its runs `runs/SCENARIO/seed-N`, of one scenario (seeds of
 * different worlds have no common spread); a folder of `seed-N` runs (a suite's
 * `runs/SCENARIO`) for those runs.
 * @throws UsageError naming --runs and the folder: none of these, a suite of several scenarios, a run listed twice.
 */
export async function expandRunDirs(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Map<string, string>();
  const add = async (dir: string) => {
    const real = await realpath(dir);
    const first = seen.get(real);
    if (first !== undefined) throw new UsageError(`--runs: ${JSON.stringify(dir)} is the run ${JSON.stringify(first)} again; each run counts once in the spread`);
    seen.set(real, dir);
    out.push(dir);
  };
  for (const dir of dirs) {
    if (await isFile(join(dir, "summary.json"))) {
      await add(dir);
      continue;
    }
    if (await isFile(join(dir, "suite.json"))) {
      const scenarios = (await readdir(join(dir, "runs")).catch(() => [] as string[])).sort();
      const withRuns: string[] = [];
      for (const s of scenarios) if ((await seedFolders(join(dir, "runs", s))).length > 0) withRuns.push(s);
      if (withRuns.length === 0) throw new UsageError(`--runs: ${JSON.stringify(dir)} is a suite folder without runs (no runs/SCENARIO/seed-N/summary.json)`);
      if (withRuns.length > 1) {
        throw new UsageError(`--runs: ${JSON.stringify(dir)} is a suite of ${withRuns.length} scenarios (${withRuns.join(", ")}); the spread is across seeds of one world: give ${JSON.stringify(join(dir, "runs", withRuns[0]))}, say`);
      }
      for (const r of await seedFolders(join(dir, "runs", withRuns[0]))) await add(r);
      continue;
    }
    const seeds = await seedFolders(dir);
    if (seeds.length > 0) {
      for (const r of seeds) await add(r);
      continue;
    }
    const problem = await runFolderProblem(dir);
    throw new UsageError(`--runs: ${JSON.stringify(dir)} ${problem ?? "is not a run folder"}, nor a suite folder (suite.json) or a folder of seed-N runs`);
  }
  return out;
}

/**
 * The text (or, with `json`, one JSON line) of `arena facts --runs`: every run checked against
 * its summary.json as `--run` is, then each fact's spread across the runs beside `ref` (default
 * the real BTC/USDT reference). With `refWindows`, also the runs against the reference cut into
 * windows of the runs' length (the shortest run's when they differ): a second table, or `refWindows` in the JSON.
 * @throws UsageError naming --ref-windows when the reference holds fewer than 2 such windows.
 */
export async function factsOfRuns(dirs: readonly string[], ref: string | undefined, json: boolean, refWindows = false): Promise<string> {
  const runs = await expandRunDirs(dirs);
  const facts: Facts[] = [];
  for (const dir of runs) {
    const problem = await runFolderProblem(dir);
    if (problem !== null) throw new UsageError(`--runs: ${JSON.stringify(dir)}: ${problem}`);
    facts.push(stylizedFacts(await loadBars("--runs", join(dir, "bars.arrow"))));
  }
  const refName = ref === undefined ? REFERENCE_BARS.name : basename(ref);
  const refBars = await loadBars("--ref", ref ?? REFERENCE_BARS.path);
  const refFacts = stylizedFacts(refBars);
  const rows = factsSpread(facts, refFacts);
  if (!refWindows) {
    if (json) return JSON.stringify({ runs, ref: refName, facts: spreadToJson(rows) }) + "\n";
    return `${runs.length} runs: ${runs.join(", ")}\n` + spreadTable(rows, runs.length, `ref ${refName}`);
  }
  const windowBars = Math.min(...facts.map((f) => f.bars));
  const windows = windowsOf(refBars, windowBars, refName);
  const compared = compareToWindows(facts, windows);
  if (json) {
    const refWindowsJson = { bars: windowBars, count: windows.length, facts: windowRowsToJson(compared) };
    return JSON.stringify({ runs, ref: refName, facts: spreadToJson(rows), refWindows: refWindowsJson }) + "\n";
  }
  const longest = Math.max(...facts.map((f) => f.bars));
  const dropped = refBars.close.length - windows.length * windowBars;
  return (
    `${runs.length} runs: ${runs.join(", ")}\n` +
    spreadTable(rows, runs.length, `ref ${refName}`) +
    `\nref ${refName} cut into ${windows.length} windows of ${windowBars} bars, the runs' length${dropped === 0 ? "" : ` (${dropped} bars left over, dropped)`}\n` +
    (longest === windowBars ? "" : `the runs differ in length (${windowBars}..${longest} bars): windows as long as the shortest\n`) +
    `±${WITHIN_FRACTION * 100}%: the runs' median within ${WITHIN_FRACTION * 100}% of the windows' median; in runs range: the windows' median inside the runs' min..max\n` +
    windowsTable(compared)
  );
}

/** The reference's windows, a reference too short for them refused as a usage error naming --ref-windows. */
function windowsOf(refBars: Ohlcv, windowBars: number, refName: string): Facts[] {
  try {
    return referenceWindows(refBars, windowBars);
  } catch (err) {
    if (err instanceof ReferenceWindowsError) throw new UsageError(`--ref-windows: ref ${refName}: ${err.message}`);
    throw err;
  }
}
