// `arena eval avellaneda-stoikov`: the analytic agent's profit over seeded trajectories, as JSON or beside the paper's table.
import type { Command } from "commander";
import { join } from "node:path";
import { z } from "zod";
import { asAgent, evaluateAs, type AsStats, type AsStrategy } from "../experiments/rl/as-analytic.ts";
import { tableRow } from "../experiments/rl/as-table.ts";
import { DELTA_GRID, DELTA_HIGH, DELTA_LOW, DiscreteAvellanedaStoikovEnv } from "../experiments/rl/envs/avellaneda-stoikov.ts";
import { loadPolicy, PolicyFileError } from "../experiments/rl/policy-file.ts";
import type { Policy } from "../experiments/rl/policy.ts";
import { parseSeed, UsageError } from "./args.ts";

/** The environments `arena eval` knows. */
export const EVAL_ENVS = ["avellaneda-stoikov"] as const;

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
    .option("--json", 'print one JSON object: {"meanPnl", "stdPnl", "meanTerminalInventory", ...} of the analytic (inventory) agent')
    .action(async (env: string, o: EvalOptions) => {
      if (!(EVAL_ENVS as readonly string[]).includes(env)) {
        throw new UsageError(`env: ${JSON.stringify(env)} is not an environment arena eval knows (known: ${EVAL_ENVS.join(", ")})`);
      }
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
