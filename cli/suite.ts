// `arena suite`: flags, progress (a bar on a TTY, plain lines otherwise) and the pass/fail table.
import cliProgress from "cli-progress";
import { existsSync, statSync } from "node:fs";
import { ValidationError } from "../market/validate.ts";
import type { Command } from "commander";
import { estimateMany, estimateRun, formatDuration } from "../experiments/estimate.ts";
import { runSuite, SUITE_SCENARIOS, checkSuiteOptions } from "../experiments/suite.ts";
import { join, relative } from "node:path";
import { WORLDS } from "../scenarios/registry.ts";
import { parseDuration, parsePath, UsageError } from "./args.ts";
import { addSizeLimitOptions, checkSize, parseWorkers, workersHelp, type SizeLimits } from "./limits.ts";
import { FORCE_HELP, OUT_HELP, openOutput } from "./output.ts";

function positiveInt(flag: string, raw: string): number {
  if (!/^\d{1,6}$/.test(raw.trim())) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a positive integer`);
  return Number(raw);
}

/** Adds the `suite` command to `program`. */
export function addSuiteCommand(program: Command): void {
  const suite = program
    .command("suite")
    .description(`run scenarios × seeds on worker threads; write suite.json and report.html (scenarios: ${SUITE_SCENARIOS.join(", ")})`)
    .option("--scenarios <list>", "comma-separated built-in scenarios (default: all)", (v) => v.split(",").map((s) => s.trim()).filter((s) => s !== ""))
    .option("--seeds <n>", "seeds per scenario, 1..N", (v) => positiveInt("--seeds", v), 8)
    .option("--workers <n>", workersHelp("the runs"), (v) => parseWorkers("--workers", v), 2)
    .option("--duration <d>", "simulated duration of every run (default: each scenario's)", (v) => parseDuration("--duration", v))
    .option("--out <dir>", OUT_HELP, (v) => parsePath("--out", v), "runs/suite")
    .option("--force", FORCE_HELP)
    .option("--no-png", "skip the PNG export of the charts")
    .option("--policy <path>", "also run a trained market policy (DIR/policy.json from arena train ppo --scenario, or the file) as bot \"policy\" in every scenario", (v) => parsePath("--policy", v))
    .option("--memory <dir>", "with --policy: the market memory folder the policy was trained with (arena train ppo --memory)", (v) => parsePath("--memory", v));
  addSizeLimitOptions(suite, "a suite")
    .action(async (o: { scenarios?: string[]; seeds: number; workers: number; duration?: number; out: string; force?: boolean; png: boolean; policy?: string; memory?: string } & SizeLimits) => {
      const scenarios = o.scenarios ?? [...SUITE_SCENARIOS];
      if (o.memory !== undefined && o.policy === undefined) throw new UsageError(`--memory: ${JSON.stringify(o.memory)} without --policy: the memory is the policy's`);
      const bots = o.policy === undefined ? undefined : [{ name: "policy", type: "policy", params: { policy: policyFile(o.policy), ...(o.memory === undefined ? {} : { memory: o.memory }) } }];
      try {
        checkSuiteOptions({ scenarios, seeds: o.seeds, workers: o.workers, durationNs: o.duration, bots });
      } catch (err) {
        throw new UsageError(o.policy !== undefined && err instanceof ValidationError ? `--policy: ${err.message}` : (err as Error).message);
      }
      const runs = scenarios.flatMap((s) => Array.from({ length: o.seeds }, () => estimateRun(WORLDS[s].ordersPerHour, o.duration ?? WORLDS[s].defaultDurationNs)));
      const longest = Math.max(...scenarios.map((s) => o.duration ?? WORLDS[s].defaultDurationNs));
      checkSize(`the suite (${runs.length} runs of up to ${formatDuration(longest)} on ${o.workers} workers)`, runs, estimateMany(runs, o.workers), o);
      const output = await openOutput({ command: "suite", value: o.out, force: o.force });
      const total = scenarios.length * o.seeds;
      const tty = process.stderr.isTTY === true;
      const bar = tty ? new cliProgress.SingleBar({ format: "suite [{bar}] {value}/{total} runs | {last}", hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(total, 0, { last: "" });
      const result = await output.write((dir) => runSuite({
        scenarios, seeds: o.seeds, workers: o.workers, out: dir, durationNs: o.duration, pngs: o.png, bots,
        onDone: (done, all, r) => {
          const line = `${r.scenario} seed ${r.seed}: ${r.events.total} events, digest ${r.digest.slice(0, 12)}`;
          if (bar !== undefined) bar.update(done, { last: line });
          else process.stderr.write(`[${done}/${all}] ${line}\n`);
        },
      })).finally(() => bar?.stop());
      const rows = result.suite.table.rows;
      const w = Math.max(8, ...rows.map((r) => r.scenario.length));
      const b = Math.max(3, ...rows.map((r) => r.bot.length));
      const fmt = (m: { mean: number; lo: number | null; hi: number | null }) =>
        `${m.mean.toFixed(2)} [${m.lo === null ? "n/a" : m.lo.toFixed(2)}, ${m.hi === null ? "n/a" : m.hi.toFixed(2)}]`;
      process.stdout.write(`\n${"scenario".padEnd(w)}  ${"bot".padEnd(b)}  verdict  survived  dd<${result.suite.table.criteria.maxDrawdownPct}%  not blown  max drawdown % [95% CI]   return % [95% CI]\n`);
      for (const r of rows) {
        process.stdout.write(
          `${r.scenario.padEnd(w)}  ${r.bot.padEnd(b)}  ${(r.pass ? "PASS" : "FAIL").padEnd(7)}  ${pct(r.survivalRate).padStart(8)}  ${pct(r.drawdownOkRate).padStart(6)}  ${pct(r.notBlownRate).padStart(9)}  ${fmt(r.maxDrawdownPct).padEnd(24)} ${fmt(r.returnPct)}\n`,
        );
      }
      const moves = result.suite.moves;
      if (moves.length > 0) {
        const lw = Math.max(3, ...moves.map((m) => m.leg.length));
        process.stdout.write(`\n${"scenario".padEnd(w)}  ${"leg".padEnd(lw)}  specified  realised mean [95% CI]       range              within tolerance\n`);
        for (const m of moves) {
          const unit = m.unit === "%" ? "%" : "x";
          process.stdout.write(
            `${m.scenario.padEnd(w)}  ${m.leg.padEnd(lw)}  ${(m.expected.toFixed(2) + unit).padStart(9)}  ${(fmt(m.realised) + unit).padEnd(27)} ${`${m.min.toFixed(2)} .. ${m.max.toFixed(2)}`.padEnd(18)} ${m.withinTolerance}/${m.seeds} seeds\n`,
          );
        }
      }
      process.stdout.write(`\nreport: ${join(o.out, relative(output.dir, result.html))}\nsuite:  ${join(o.out, "suite.json")}\n`);
    });
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** A policy given as its folder (arena train's --out) means the policy.json inside it. */
function policyFile(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, "policy.json") : path;
}
