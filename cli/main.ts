// The `arena` command line: one subcommand per workflow, flags parsed and checked at the boundary.
import { Command, CommanderError } from "commander";
import { runWorld } from "../experiments/run.ts";
import { WORLDS } from "../scenarios/registry.ts";
import { parseDuration, parsePath, parseSeed, UsageError } from "./args.ts";

function program(): Command {
  const p = new Command("arena")
    .description("btc-arena: a deterministic multi-agent BTC market for testing trading bots")
    .version("0.1.0")
    .exitOverride();

  p.command("run")
    .description(`run one scenario and write DIR/summary.json and DIR/*.arrow (built-ins: ${Object.keys(WORLDS).join(", ")})`)
    .argument("<scenario>", "name of a built-in scenario")
    .requiredOption("--seed <n>", "run seed: a non-negative integer", (v) => parseSeed("--seed", v))
    .option("--duration <d>", "simulated duration, e.g. 90s, 30m, 1h, 1d (default: the scenario's)", (v) => parseDuration("--duration", v))
    .requiredOption("--out <dir>", "output directory", (v) => parsePath("--out", v))
    .action(async (scenario: string, o: { seed: number; duration?: number; out: string }) => {
      if (!Object.hasOwn(WORLDS, scenario)) {
        throw new UsageError(`scenario: ${JSON.stringify(scenario)} is not a built-in (known: ${Object.keys(WORLDS).join(", ")})`);
      }
      const s = await runWorld({ scenario, seed: o.seed, durationNs: o.duration, out: o.out, wallClock: () => performance.now() });
      const ev = s.events;
      process.stdout.write(
        `${s.scenario} seed ${s.seed}: ${s.simulatedSeconds} s simulated in ${s.wallTimeMs} ms\n` +
          `  events ${ev.total} (accepted ${ev.accepted}, trades ${ev.trade}, canceled ${ev.canceled}, ` +
          `expired ${ev.expired}, rejected ${ev.rejected}, amended ${ev.amended})\n` +
          `  digest ${s.digest}\n  wrote ${s.files.map((f) => `${o.out}/${f}`).join(", ")}\n`,
      );
    });
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
    process.stderr.write(`arena: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
