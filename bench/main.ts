// `npm run bench -- <name> [--json] [--ops N]`: runs one named benchmark.
// Each benchmark is a module loaded on demand, so one benchmark's imports never slow or
// break another. To add one, add a row to BENCHES.
import { z } from "zod";

/** Options every benchmark receives. */
export interface BenchArgs {
  /** Print exactly one JSON object on stdout and nothing else. */
  readonly json: boolean;
  /** Operations to time, when the user gave `--ops`; each benchmark has its own default. */
  readonly ops: number | undefined;
}

export interface BenchModule {
  run(args: BenchArgs): Promise<void> | void;
}

const BENCHES: Readonly<Record<string, { readonly about: string; readonly load: () => Promise<BenchModule> }>> = {
  engine: {
    about: "matching engine vs nodejs-order-book: seeded 60/25/15 limit/cancel/market mix and inserts-only",
    load: () => import("./engine.ts"),
  },
  sim: {
    about: "messages/s of the normal scenario on one worker; speed-up of 2 workers over 1 on a 16-run suite",
    load: () => import("./sim.ts"),
  },
  strategies: {
    about: "updates/s of each rule strategy and the ensemble over 500k seeded random-walk bars, one thread",
    load: () => import("./strategies.ts"),
  },
  "ppo-cartpole": {
    about: "PPO on CartPole-v1 with rl-baselines3-zoo's settings (100k steps; --ops sets the steps): eval return, rollout steps/s, update samples/s, rollout steps/s on 1 and 2 workers",
    load: () => import("./ppo-cartpole.ts"),
  },
  memory: {
    about: "the market memory's HNSW index (usearch, the store as shipped) vs hnswlib-node and exact search: 100k x 128 embeddings, k = 20: build s, query p50/p99, recall@20, memory",
    load: () => import("./memory.ts"),
  },
  ppo: {
    about: "MarketEnv steps/s on normal (a decision every simulated second) on one thread and on 2 workers; PPO update samples/s on market observations",
    load: () => import("./ppo.ts"),
  },
  backtest: {
    about: "bars/s of the historical replay: the ensemble with risk on over a year of 1-minute bars; sma-cross vs a whole-array peer",
    load: () => import("./backtest.ts"),
  },
  "facts-sources": {
    about: "stylized facts of normal with the fundamental's stochastic volatility / jumps off, with and without switching traders: 3-day runs, seeds 1..N (--ops N, default 8), on 2 workers",
    load: () => import("./facts-sources.ts"),
  },
  live: {
    about: "order round trip through CcxtExchange and raw ccxt to arena serve on loopback (p50/p99; --ops sets the pairs); tick-to-decision of the ensemble bot",
    load: () => import("./live.ts"),
  },
};

const Ops = z.coerce.number().int("must be an integer").positive("must be positive").max(100_000_000, "must be at most 100,000,000");

function usage(): string {
  const names = Object.keys(BENCHES).map((n) => `  ${n}  ${BENCHES[n].about}`).join("\n");
  return `usage: npm run bench -- <name> [--json] [--ops N]\nknown benchmarks:\n${names}`;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${usage()}\n`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<void> {
  let name: string | undefined;
  let json = false;
  let ops: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--ops" || a.startsWith("--ops=")) {
      const raw = a === "--ops" ? argv[++i] : a.slice("--ops=".length);
      if (raw === undefined) fail("--ops needs a value");
      const parsed = Ops.safeParse(raw.replaceAll("_", ""));
      if (!parsed.success) fail(`--ops: ${JSON.stringify(raw)} ${parsed.error.issues[0].message}`);
      ops = parsed.data;
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(`${usage()}\n`);
      return;
    } else if (a.startsWith("-")) fail(`unknown option ${JSON.stringify(a)}`);
    else if (name === undefined) name = a;
    else fail(`unexpected argument ${JSON.stringify(a)}`);
  }
  if (name === undefined) fail("missing benchmark name");
  const bench = Object.hasOwn(BENCHES, name) ? BENCHES[name] : undefined;
  if (bench === undefined) fail(`unknown benchmark ${JSON.stringify(name)}`);
  const mod = await bench.load();
  await mod.run({ json, ops });
}

await main(process.argv.slice(2));
