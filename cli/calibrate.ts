// `arena calibrate`: flags checked up front, progress on stderr, the fitted scenario and the report written into --out.
import cliProgress from "cli-progress";
import { Option, type Command } from "commander";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { calibrate } from "../experiments/calibrate/calibrate.ts";
import { applies, CALIBRATION_PARAMS, type CalibrationParam } from "../experiments/calibrate/params.ts";
import { factsComparison, paramsTable, referenceLine, reportJson, reportMarkdown, type CalibrationReference, type ReportInputs } from "../experiments/calibrate/report.ts";
import { factsTooFew, MIN_FACTS_BARS, stylizedFacts, type Facts } from "../experiments/facts.ts";
import { barSpacing, type Ohlcv } from "../experiments/ohlcv.ts";
import { medianFacts, referenceWindows, ReferenceWindowsError } from "../experiments/reference-windows.ts";
import { typeRegistry } from "../scenarios/build.ts";
import { BUILTIN_SPECS } from "../scenarios/builtins.ts";
import { parseScenario, type ScenarioSpec } from "../scenarios/spec.ts";
import { checkDurationCovers } from "../scenarios/timeline.ts";
import { parseDuration, parsePath, parseSeed, UsageError } from "./args.ts";
import { loadBars } from "./facts-bars.ts";
import { parseWorkers, workersHelp } from "./limits.ts";
import { FORCE_HELP, OUT_HELP, openOutput } from "./output.ts";

const MINUTE_NS = 60e9;
/** The duration the issue measures `normal`'s facts on: three days, 4,320 one-minute bars. */
const DEFAULT_DURATION = "3d";

function atLeast(flag: string, min: number, raw: string, why: string): number {
  const n = /^\d{1,6}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= min)) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not an integer of at least ${min}${why}`);
  return n;
}

interface Flags {
  data: string;
  scenario: string;
  seeds: number;
  budget: number;
  seed: number;
  duration: number;
  workers: number;
  params?: string[];
  refWindows?: boolean;
  out: string;
  force?: boolean;
}

/** The scenario as its file holds it (a built-in's object, or a file's JSON), and validated. */
async function loadScenario(value: string): Promise<{ raw: Record<string, unknown>; spec: ScenarioSpec; file?: string }> {
  const fail = (rule: string) => new UsageError(`--scenario: ${JSON.stringify(value)} ${rule}`);
  let raw: unknown;
  let file: string | undefined;
  if (Object.hasOwn(BUILTIN_SPECS, value)) {
    raw = structuredClone(BUILTIN_SPECS[value]);
  } else {
    if (!/[\\/]|\.json$/i.test(value)) throw fail(`is not a built-in with a scenario spec (known: ${Object.keys(BUILTIN_SPECS).join(", ")}) nor a .json file`);
    file = value;
    let text: string;
    try {
      text = await readFile(value, "utf8");
    } catch (err) {
      throw fail(`cannot be read (${String((err as { code?: unknown }).code ?? err)})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw fail(`is not JSON (${(err as Error).message})`);
    }
  }
  try {
    return { raw: raw as Record<string, unknown>, spec: parseScenario(raw, typeRegistry()), ...(file === undefined ? {} : { file }) };
  } catch (err) {
    throw fail((err as Error).message);
  }
}

/** The parameters `--params` names (default: every one the scenario has), refused when unknown or absent from the scenario. */
function chooseParams(raw: Record<string, unknown>, names: readonly string[] | undefined, scenario: string): CalibrationParam[] {
  if (names === undefined) return CALIBRATION_PARAMS.filter((p) => applies(raw, p));
  if (names.length === 0) throw new UsageError(`--params: no parameter given (known: ${CALIBRATION_PARAMS.map((p) => p.name).join(", ")})`);
  return names.map((n, i) => {
    const p = CALIBRATION_PARAMS.find((q) => q.name === n);
    if (p === undefined) throw new UsageError(`--params: ${JSON.stringify(n)} is not a parameter calibrate may move (known: ${CALIBRATION_PARAMS.map((q) => q.name).join(", ")})`);
    if (names.indexOf(n) !== i) throw new UsageError(`--params: ${JSON.stringify(n)} is listed twice`);
    if (!applies(raw, p)) throw new UsageError(`--params: ${JSON.stringify(n)} moves the first "${p.name.split(".")[0]}" population, and ${scenario} has none`);
    return p;
  });
}

/**
 * The real target: the facts of the whole file, or with `refWindows` their median across the file
 * cut into windows as long as the runs (sample facts depend on sample length).
 * @throws UsageError naming --ref-windows: data not in 1-minute bars (the runs' bars), too short for 2 windows.
 */
function realTarget(bars: Ohlcv, data: string, durationNs: number, refWindows: boolean): { real: Facts; reference: CalibrationReference } {
  if (!refWindows) {
    const real = stylizedFacts(bars);
    return { real, reference: { kind: "whole", bars: real.bars } };
  }
  const name = JSON.stringify(basename(data));
  const spacingMs = barSpacing(bars.timestamps);
  if (spacingMs * 1e6 !== MINUTE_NS) {
    throw new UsageError(`--ref-windows: --data ${name} has bars ${spacingMs / 1000} s apart (its usual spacing); windows as long as the runs are counted in the runs' 1-minute bars, so the data must be 1-minute bars`);
  }
  // The runs' bar count: the kernel keeps a last partial minute as a bar.
  const windowBars = Math.ceil(durationNs / MINUTE_NS);
  try {
    const windows = referenceWindows(bars, windowBars);
    return { real: medianFacts(windows), reference: { kind: "windows", windows: windows.length, bars: windowBars } };
  } catch (err) {
    if (err instanceof ReferenceWindowsError) throw new UsageError(`--ref-windows: --data ${name} cut into windows of --duration ${durationNs / MINUTE_NS} min: ${err.message}`);
    throw err;
  }
}

/** Adds the `calibrate` command to `program`. */
export function addCalibrateCommand(program: Command): void {
  program
    .command("calibrate")
    .description("fit a scenario's fundamental and population parameters to a real OHLCV file by the method of simulated moments (the stylized facts of `arena facts`)")
    .requiredOption("--data <file>", "real OHLCV bars: CSV (optionally gzipped) or Arrow IPC", (v) => parsePath("--data", v))
    .requiredOption("--scenario <name|file>", `a built-in (${Object.keys(BUILTIN_SPECS).join(", ")}) or a scenario file (.json)`, (v) => parsePath("--scenario", v))
    .option("--seeds <n>", "worlds per candidate, seeds 1..N, the same for every candidate; at least 2", (v) => atLeast("--seeds", 2, v, " (the moments are weighted by their variance across seeds)"), 8)
    .option("--budget <n>", "candidates evaluated in all, the scenario as given included", (v) => atLeast("--budget", 1, v, ""), 24)
    .option("--seed <n>", "seeds the search: the same seed gives the same scenario.json", (v) => parseSeed("--seed", v), 1)
    .addOption(
      new Option("--duration <d>", `simulated duration of every world (at least ${MIN_FACTS_BARS} minutes, the bars the facts need)`)
        .argParser((v) => parseDuration("--duration", v))
        .default(parseDuration("--duration", DEFAULT_DURATION), DEFAULT_DURATION),
    )
    .option("--workers <n>", workersHelp("the worlds"), (v) => parseWorkers("--workers", v), 2)
    .option("--params <list>", "comma-separated parameters to move (default: every one in the table the scenario has)", (v) => v.split(",").map((s) => s.trim()).filter((s) => s !== ""))
    .option("--ref-windows", "match the median of each fact across the data cut into windows as long as the runs (--duration), not the whole file's facts; needs 1-minute data holding at least 2 windows")
    .option("--out <dir>", OUT_HELP, (v) => parsePath("--out", v), "runs/calibrate")
    .option("--force", FORCE_HELP)
    .action(async (o: Flags) => {
      if (o.duration < MIN_FACTS_BARS * MINUTE_NS) {
        throw new UsageError(`--duration: ${o.duration / 1e9} s gives fewer than the ${MIN_FACTS_BARS} one-minute bars the facts need; give at least ${MIN_FACTS_BARS}m`);
      }
      const scenario = await loadScenario(o.scenario);
      try {
        checkDurationCovers(scenario.spec, o.duration);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const params = chooseParams(scenario.raw, o.params, scenario.spec.name);
      const bars = await loadBars("--data", o.data);
      const few = factsTooFew(o.data, bars.close.length);
      if (few !== null) throw new UsageError(`--data: ${few}`);
      const { real, reference } = realTarget(bars, o.data, o.duration, o.refWindows === true);
      const inputs = [{ flag: "--data", path: o.data }, ...(scenario.file === undefined ? [] : [{ flag: "--scenario", path: scenario.file }])];
      const output = await openOutput({ command: "calibrate", value: o.out, force: o.force, inputs });

      const tty = process.stderr.isTTY === true;
      const bar = tty ? new cliProgress.SingleBar({ format: "calibrate [{bar}] {value}/{total} worlds | candidates {evaluated}/{budget} | best objective {best}", hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(o.budget * o.seeds, 0, { evaluated: 0, budget: o.budget, best: "-" });
      let lastEvaluated = 0;
      let lastRuns = 0;
      const t0 = performance.now();
      const report: ReportInputs = { scenario: scenario.spec.name, data: basename(o.data), dataBars: bars.close.length, reference, real, seeds: o.seeds, budget: o.budget, seed: o.seed, durationNs: o.duration, params };
      const cal = await output.write(async (dir) => {
        const result = await calibrate({
          spec: scenario.raw, real, params, seeds: o.seeds, budget: o.budget, seed: o.seed, durationNs: o.duration, workers: o.workers,
          onProgress: (p) => {
            const best = Number.isFinite(p.best) ? p.best.toFixed(4) : "-";
            if (bar !== undefined) bar.update(p.runs, { evaluated: p.evaluated, budget: p.budget, best });
            else if (p.runs !== lastRuns || p.evaluated !== lastEvaluated) process.stderr.write(`[${p.runs}/${p.totalRuns} worlds, ${p.evaluated}/${p.budget} candidates] best objective ${best}\n`);
            lastRuns = p.runs;
            lastEvaluated = p.evaluated;
          },
        });
        await writeFile(join(dir, "scenario.json"), JSON.stringify(result.after.spec, null, 2) + "\n");
        await writeFile(join(dir, "report.json"), JSON.stringify(reportJson(report, result), null, 2) + "\n");
        await writeFile(join(dir, "report.md"), reportMarkdown(report, result));
        return result;
      }).finally(() => bar?.stop());
      const wall = (performance.now() - t0) / 1000;
      process.stdout.write(
        `${scenario.spec.name} against ${basename(o.data)}: ${cal.evaluations.length} candidates × ${o.seeds} seeds of ${o.duration / MINUTE_NS} min in ${wall.toFixed(1)} s\n${referenceLine(report)}\n\n` +
          factsComparison(report, cal) + "\n" + paramsTable(report, cal) +
          `\nwrote ${["scenario.json", "report.json", "report.md"].map((f) => join(o.out, f)).join(", ")}\n`,
      );
    });
}
