// `arena eval avellaneda-stoikov`: the analytic agent's profit over seeded trajectories, as JSON or beside the paper's table.
import type { Command } from "commander";
import { join } from "node:path";
import { z } from "zod";
import { asAgent, evaluateAs, type AsStats, type AsStrategy } from "../experiments/rl/as-analytic.ts";
import { tableRow } from "../experiments/rl/as-table.ts";
import { DELTA_GRID, DELTA_HIGH, DELTA_LOW, DiscreteAvellanedaStoikovEnv } from "../experiments/rl/envs/avellaneda-stoikov.ts";
import { loadPolicy, PolicyFileError } from "../experiments/rl/policy-file.ts";
import type { Policy } from "../experiments/rl/policy.ts";
import { parseDuration, parseSeed, UsageError, parsePath } from "./args.ts";
import { ValidationError } from "../market/validate.ts";
import { loadScenario } from "../experiments/rl/env-spec.ts";
import { evaluateMarketPolicy, type EvalRow } from "../experiments/rl/market-eval.ts";
import type { MeanInterval } from "../experiments/report/stats.ts";

/** The environments `arena eval` knows. */
export const EVAL_ENVS = ["avellaneda-stoikov", "market"] as const;

/** Most trajectories one eval may run: bounds its time and its two arrays of per-trajectory results. */
export const MAX_TRAJECTORIES = 1_000_000;

const Gamma = z.string().trim().regex(/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/).transform(Number).pipe(z.number().positive().finite());
const Trajectories = z.string().trim().regex(/^\d{1,7}$/).transform(Number).pipe(z.number().int().min(1).max(MAX_TRAJECTORIES));

function parseGamma(raw: string): number {
  const r = Gamma.safeParse(raw);
  if (!r.success) throw new UsageError(`--gamma: ${JSON.stringify(raw)} is not a positive finite number (risk aversion γ, e.g. 0.1)`);
  return r.data;
}

function parseTrajectories(raw: string): number {
  const r = Trajectories.safeParse(raw);
  if (!r.success) throw new UsageError(`--trajectories: ${JSON.stringify(raw)} is not an integer from 1 to ${MAX_TRAJECTORIES}`);
  return r.data;
}

interface EvalOptions {
  readonly gamma: number;
  readonly trajectories: number;
  readonly seed: number;
  readonly policy?: string;
  readonly json?: boolean;
  readonly scenario?: string;
  readonly seeds: number;
  readonly firstSeed: number;
  readonly duration?: number;
  readonly memory?: string;
}

/** Adds the `eval` command to `program`. */
export function addEvalCommand(program: Command): void {
  program
    .command("eval")
    .description("evaluate an agent on an RL environment: mean and std of profit and of terminal inventory over seeded trajectories (envs: avellaneda-stoikov)")
    .argument("<env>", `the environment (${EVAL_ENVS.join(", ")})`)
    .option("--gamma <g>", "risk aversion γ of the analytic agent, > 0", parseGamma, 0.1)
    .option("--trajectories <n>", `episodes to run, 1..${MAX_TRAJECTORIES}`, parseTrajectories, 1000)
    .option("--seed <n>", "seed of the first episode's reset (the others continue its streams)", (v) => parseSeed("--seed", v), 1)
    .option("--policy <dir>", "a trained policy (DIR/policy.json from arena train ppo --env avellaneda-stoikov) to evaluate instead of the analytic agent")
    .option("--json", 'print one JSON object: {"meanPnl", "stdPnl", "meanTerminalInventory", ...} of the analytic (inventory) agent; for market, each bot\'s mean and 95% interval of return, Sharpe and max drawdown')
    .option("--scenario <name>", "market: the scenario to evaluate in (a built-in name or a scenario file)", "normal")
    .option("--seeds <n>", "market: held-out seeds to run", (v) => positiveInt("--seeds", v), 8)
    .option("--first-seed <n>", "market: the first held-out seed (then consecutive ones)", (v) => parseSeed("--first-seed", v), 101)
    .option("--duration <d>", "market: simulated duration of each run (default: the scenario's)", (v) => parseDuration("--duration", v))
    .option("--memory <dir>", "market: the market memory folder the policy was trained with (arena train ppo --memory)", (v) => parsePath("--memory", v))
    .action(async (env: string, o: EvalOptions) => {
      if (!(EVAL_ENVS as readonly string[]).includes(env)) {
        throw new UsageError(`env: ${JSON.stringify(env)} is not an environment arena eval knows (known: ${EVAL_ENVS.join(", ")})`);
      }
      if (env === "market") return evalMarket(o);
      const run = (strategy: AsStrategy) => evaluateAs(asAgent(strategy, o.gamma), { trajectories: o.trajectories, seed: o.seed });
      if (o.policy !== undefined) {
        const path = join(o.policy, "policy.json");
        let policy: Policy;
        try {
          policy = await loadPolicy(path, new DiscreteAvellanedaStoikovEnv());
        } catch (err) {
          if (err instanceof PolicyFileError) throw new UsageError(`--policy: ${err.message}`);
          throw err;
        }
        const s = evaluateAs(quotesOf(policy), { trajectories: o.trajectories, seed: o.seed });
        if (o.json === true) {
          process.stdout.write(JSON.stringify({
            meanPnl: s.meanPnl, stdPnl: s.stdPnl, meanTerminalInventory: s.meanTerminalInventory,
            stdTerminalInventory: s.stdTerminalInventory, meanSpread: s.meanSpread, quotesAtBounds: s.quotesAtBounds,
            trajectories: o.trajectories, seed: o.seed, strategy: "policy", policy: path,
          }) + "\n");
          return;
        }
        process.stdout.write(evalTable(o, [["policy", s], ["inventory", run("inventory")]]));
        return;
      }
      const inventory = run("inventory");
      if (o.json === true) {
        // The first three keys are the contract; later ones may be added, never renamed.
        process.stdout.write(JSON.stringify({
          meanPnl: inventory.meanPnl, stdPnl: inventory.stdPnl, meanTerminalInventory: inventory.meanTerminalInventory,
          stdTerminalInventory: inventory.stdTerminalInventory, meanSpread: inventory.meanSpread, quotesAtBounds: inventory.quotesAtBounds,
          gamma: o.gamma, trajectories: o.trajectories, seed: o.seed, strategy: "inventory",
        }) + "\n");
        return;
      }
      process.stdout.write(evalTable(o, [["inventory", inventory], ["symmetric", run("symmetric")]]));
    });
}

/** A trained discrete policy as quotes: its greedy action i is the grid's (δb, δa) pair, as the discrete env maps it. */
function quotesOf(policy: Policy): (obs: Float32Array) => Float32Array {
  const g = DELTA_GRID.length;
  const out = new Float32Array(2);
  return (obs) => {
    const a = policy.act(obs);
    out[0] = DELTA_GRID[Math.floor(a / g)];
    out[1] = DELTA_GRID[a % g];
    return out;
  };
}

/** The human table: our rows, each followed by the paper's for the same γ and strategy when it has one. */
function evalTable(o: EvalOptions, rows: readonly (readonly [AsStrategy | "policy", AsStats])[]): string {
  const lines = [
    `avellaneda-stoikov, γ = ${o.gamma}, ${o.trajectories} trajectories from seed ${o.seed}`,
    `${"source".padEnd(7)}  ${"strategy".padEnd(9)}  ${"spread".padStart(6)}  ${"profit".padStart(8)}  ${"std".padStart(7)}  ${"final q".padStart(8)}  ${"std q".padStart(6)}`,
  ];
  const line = (source: string, strategy: string, s: { meanSpread?: number; spread?: number; meanPnl: number; stdPnl: number; meanTerminalInventory: number; stdTerminalInventory: number }) =>
    `${source.padEnd(7)}  ${strategy.padEnd(9)}  ${(s.meanSpread ?? s.spread ?? NaN).toFixed(2).padStart(6)}  ${s.meanPnl.toFixed(2).padStart(8)}  ${s.stdPnl.toFixed(2).padStart(7)}  ${s.meanTerminalInventory.toFixed(2).padStart(8)}  ${s.stdTerminalInventory.toFixed(2).padStart(6)}`;
  for (const [strategy, s] of rows) {
    lines.push(line("ours", strategy, s));
    const paper = strategy === "policy" ? undefined : tableRow(o.gamma, strategy);
    if (paper !== undefined) lines.push(line("paper", strategy, paper));
  }
  const clipped = rows.reduce((n, [, s]) => n + s.quotesAtBounds, 0);
  if (clipped > 0) lines.push(`note: ${clipped} quotes sat on the action bounds [${DELTA_LOW}, ${DELTA_HIGH}] (clipped): at this γ the analytic agent leaves the env's range`);
  return lines.join("\n") + "\n";
}

function positiveInt(flag: string, raw: string): number {
  const r = z.string().trim().regex(/^\d{1,4}$/).transform(Number).pipe(z.number().int().min(1).max(1000)).safeParse(raw);
  if (!r.success) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not an integer from 1 to 1000`);
  return r.data;
}

/** `arena eval market`: the policy on held-out seeds beside buy-and-hold and the best rule strategy. */
async function evalMarket(o: EvalOptions): Promise<void> {
  if (o.policy === undefined) throw new UsageError("--policy: missing; arena eval market evaluates a policy (DIR from arena train ppo --scenario)");
  const path = o.policy.endsWith(".json") ? o.policy : join(o.policy, "policy.json");
  const scenario = o.scenario ?? "normal";
  let spec;
  try {
    spec = await loadScenario(scenario);
  } catch (err) {
    throw new UsageError(`--scenario: ${(err as Error).message}`);
  }
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.firstSeed + i);
  let result;
  try {
    result = await evaluateMarketPolicy({
      scenario, spec, policyPath: path, memory: o.memory, seeds, durationNs: o.duration,
      onSeed: (s) => {
        if (o.json !== true) process.stderr.write(`eval market: ${scenario} seed ${s} done\n`);
      },
    });
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`${err.field === "memory" ? "--memory" : "--policy"}: ${err.message}`);
    throw err;
  }
  const stat = (m: MeanInterval) => ({ mean: m.mean, lo: m.lo, hi: m.hi });
  const row = (r: EvalRow | undefined) => (r === undefined ? null : { bot: r.bot, type: r.type, returnPct: stat(r.returnPct), sharpe: stat(r.sharpe), maxDrawdownPct: stat(r.maxDrawdownPct) });
  const best = Math.max(result.buyAndHold?.returnPct.mean ?? -Infinity, result.bestRule?.returnPct.mean ?? -Infinity);
  if (o.json === true) {
    process.stdout.write(JSON.stringify({
      scenario, seeds, policy: row(result.policy), buyAndHold: row(result.buyAndHold), bestRule: row(result.bestRule),
      bots: result.rows.map(row), bestBaselineReturnPct: Number.isFinite(best) ? best : null,
    }) + "\n");
    return;
  }
  const ci = (m: MeanInterval) => `${m.mean.toFixed(2)} [${m.lo === null ? "n/a" : m.lo.toFixed(2)}, ${m.hi === null ? "n/a" : m.hi.toFixed(2)}]`;
  const lines = [
    `${scenario}, held-out seeds ${seeds[0]}..${seeds.at(-1)} (${seeds.length}), policy ${path}`,
    `${"bot".padEnd(27)}  ${"return % [95% CI]".padEnd(24)}  ${"Sharpe (ann.) [95% CI]".padEnd(28)}  max drawdown % [95% CI]`,
  ];
  for (const r of result.rows) {
    const tag = r === result.bestRule ? " (best rule)" : "";
    lines.push(`${(r.bot + tag).padEnd(27)}  ${ci(r.returnPct).padEnd(24)}  ${ci(r.sharpe).padEnd(28)}  ${ci(r.maxDrawdownPct)}`);
  }
  if (Number.isFinite(best)) {
    const goal = best + Math.abs(best) * 0.1;
    lines.push(`goal (the seed's): policy return >= best baseline + 10% = ${goal.toFixed(2)}%: ${result.policy.returnPct.mean >= goal ? "met" : "not met"} (policy ${result.policy.returnPct.mean.toFixed(2)}%)`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}
