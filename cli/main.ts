// The `arena` command line: one subcommand per workflow, flags parsed and checked at the boundary.
import { Command, CommanderError } from "commander";
import { basename, join } from "node:path";
import { factsTable, factsToJson, REFERENCE_BARS, stylizedFacts } from "../experiments/facts.ts";
import { estimateRun, formatDuration } from "../experiments/estimate.ts";
import { runFolderProblem } from "../experiments/run-integrity.ts";
import { runWorld } from "../experiments/run.ts";
import { trackingLine } from "../experiments/tracking.ts";
import { ordersPerHour } from "../scenarios/activity.ts";
import { typeRegistry } from "../scenarios/build.ts";
import { builtinSpecOf, WORLDS } from "../scenarios/registry.ts";
import { loadScenarioFile, type ScenarioSpec } from "../scenarios/spec.ts";
import { checkDurationCovers } from "../scenarios/timeline.ts";
import { ExitError, parseDuration, parsePath, parseSeed, UsageError } from "./args.ts";
import { addBacktestCommand } from "./backtest.ts";
import { addEpisodeCommand } from "./episode.ts";
import { addCalibrateCommand } from "./calibrate.ts";
import { loadBars } from "./facts-bars.ts";
import { factsOfRuns } from "./facts-runs.ts";
import { addEvalCommand } from "./eval.ts";
import { addKillCommand } from "./kill.ts";
import { addMemoryCommand } from "./memory.ts";
import { addAgentsCommand, addPromoteCommand } from "./promote.ts";
import { addSizeLimitOptions, checkSize, type SizeLimits } from "./limits.ts";
import { FORCE_HELP, OUT_HELP, openOutput } from "./output.ts";
import { addServeCommand } from "./serve.ts";
import { addCollectCommand } from "./collect.ts";
import { addSuiteCommand } from "./suite.ts";
import { addTradeCommand } from "./trade.ts";
import { addTrainCommand } from "./train.ts";

function program(): Command {
  const p = new Command("arena")
    .description("btc-arena: a deterministic multi-agent BTC market for testing trading bots")
    .version("0.1.0")
    .exitOverride();

  const run = p.command("run")
    .description(`run one scenario and write DIR/summary.json and DIR/*.arrow (built-ins: ${Object.keys(WORLDS).join(", ")})`)
    .argument("<scenario>", "name of a built-in scenario, or a scenario file (.json)")
    .requiredOption("--seed <n>", "run seed: a non-negative integer", (v) => parseSeed("--seed", v))
    .option("--duration <d>", "simulated duration, e.g. 90s, 30m, 1h, 1d (default: the scenario's)", (v) => parseDuration("--duration", v))
    .requiredOption("--out <dir>", OUT_HELP, (v) => parsePath("--out", v))
    .option("--force", FORCE_HELP);
  addSizeLimitOptions(run, "a run")
    .action(async (scenario: string, o: { seed: number; duration?: number; out: string; force?: boolean } & SizeLimits) => {
      let spec: ScenarioSpec | undefined;
      if (!Object.hasOwn(WORLDS, scenario)) {
        // Not a built-in: a scenario file, when it looks like a path.
        if (!/[\\/]|\.json$/i.test(scenario)) {
          throw new UsageError(`scenario: ${JSON.stringify(scenario)} is not a built-in (known: ${Object.keys(WORLDS).join(", ")}) nor a .json file`);
        }
        try {
          spec = await loadScenarioFile(scenario, typeRegistry());
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      const name = spec?.name ?? scenario;
      const timeline = spec ?? builtinSpecOf(scenario);
      const durationNs = o.duration ?? timeline?.duration ?? WORLDS[scenario].defaultDurationNs;
      if (timeline !== undefined && o.duration !== undefined) {
        try {
          checkDurationCovers(timeline, o.duration);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      const estimate = estimateRun(timeline !== undefined ? ordersPerHour(timeline) : WORLDS[scenario].ordersPerHour, durationNs);
      checkSize(`${name} over ${formatDuration(durationNs)}`, [estimate], estimate, o);
      const output = await openOutput({ command: "run", value: o.out, force: o.force, inputs: spec === undefined ? [] : [{ flag: "scenario", path: scenario }] });
      const s = await output.write((dir) => runWorld({ scenario: name, spec, seed: o.seed, durationNs: o.duration, out: dir, wallClock: () => performance.now() }));
      const ev = s.events;
      process.stdout.write(
        `${s.scenario} seed ${s.seed}: ${s.simulatedSeconds} s simulated in ${s.wallTimeMs} ms\n` +
          `  events ${ev.total} (accepted ${ev.accepted}, trades ${ev.trade}, canceled ${ev.canceled}, ` +
          `expired ${ev.expired}, rejected ${ev.rejected}, amended ${ev.amended})\n` +
          (s.tracking === undefined ? "" : `  ${trackingLine(s.tracking)}\n`) +
          `  digest ${s.digest}\n  wrote ${s.files.map((f) => join(o.out, f)).join(", ")}\n`,
      );
    });

  p.command("facts")
    .description("stylized facts of bars (log returns of closes): kurtosis, autocorrelations, Hill tail index, volume/|r| correlation")
    .argument("[FILE]", "OHLCV file: CSV (optionally gzipped) or Arrow IPC")
    .option("--run <dir>", "a run directory: its DIR/bars.arrow, printed beside the reference", (v) => parsePath("--run", v))
    .option("--runs <dir...>", "run directories, or suite folders (their runs): each fact's median, 95% interval and range across them beside the reference", (v, prev: string[] | undefined) => [...(prev ?? []), parsePath("--runs", v)])
    .option("--ref <file>", `reference bars for the side-by-side column (default with --run/--runs: ${REFERENCE_BARS.name})`, (v) => parsePath("--ref", v))
    .option("--json", "print one JSON object with the facts of the first subject only (with --runs: the summary across runs)")
    .option("--ref-windows", "with --runs: also compare the runs with the reference cut into windows of the runs' length (sample facts depend on sample length)")
    .action(async (file: string | undefined, o: { run?: string; runs?: string[]; ref?: string; json?: boolean; refWindows?: boolean }) => {
      if (o.refWindows === true && o.runs === undefined) {
        throw new UsageError(`facts: --ref-windows compares runs with windows of the reference as long as they are; it needs --runs DIR... (${file !== undefined ? `given FILE ${JSON.stringify(file)}` : o.run !== undefined ? `given --run ${JSON.stringify(o.run)}` : "none given"})`);
      }
      if (o.runs !== undefined) {
        if (file !== undefined || o.run !== undefined) {
          throw new UsageError(`facts: give FILE, --run DIR or --runs DIR..., one of them (${file !== undefined ? `FILE ${JSON.stringify(file)}` : `--run ${JSON.stringify(o.run)}`} and --runs ${JSON.stringify(o.runs.join(" "))})`);
        }
        process.stdout.write(await factsOfRuns(o.runs, o.ref, o.json === true, o.refWindows === true));
        return;
      }
      if (file === undefined && o.run === undefined) throw new UsageError("facts: give FILE or --run DIR (neither was given)");
      if (file !== undefined && o.run !== undefined) {
        throw new UsageError(`facts: give FILE or --run DIR, not both (FILE ${JSON.stringify(file)}, --run ${JSON.stringify(o.run)})`);
      }
      if (o.run !== undefined) {
        const problem = await runFolderProblem(o.run);
        if (problem !== null) throw new UsageError(`--run: ${JSON.stringify(o.run)}: ${problem}`);
      }
      const subject = o.run !== undefined
        ? { name: `run ${o.run}`, bars: await loadBars("--run", join(o.run, "bars.arrow")) }
        : { name: basename(file!), bars: await loadBars("FILE", file!) };
      if (o.json === true) {
        process.stdout.write(JSON.stringify(factsToJson(stylizedFacts(subject.bars))) + "\n");
        return;
      }
      const refPath = o.ref ?? (o.run !== undefined ? REFERENCE_BARS.path : undefined);
      const subjects = [{ name: subject.name, facts: stylizedFacts(subject.bars) }];
      if (refPath !== undefined) {
        const refBars = await loadBars("--ref", refPath);
        subjects.push({ name: `ref ${o.ref === undefined ? REFERENCE_BARS.name : basename(refPath)}`, facts: stylizedFacts(refBars) });
      }
      process.stdout.write(factsTable(subjects));
    });
  addSuiteCommand(p);
  addCalibrateCommand(p);
  addBacktestCommand(p);
  addEvalCommand(p);
  addServeCommand(p);
  addTradeCommand(p);
  addCollectCommand(p);
  addEpisodeCommand(p);
  addKillCommand(p);
  addTrainCommand(p);
  addMemoryCommand(p);
  addPromoteCommand(p);
  addAgentsCommand(p);
  return p;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv as string[], { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are exits with code 0; commander already printed what it had to.
      if (err.exitCode === 0) return 0;
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof UsageError) process.stderr.write(`arena: ${cause.message}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`arena: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ExitError) {
      process.stderr.write(`arena: ${err.message}\n`);
      return err.code;
    }
    process.stderr.write(`arena: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
