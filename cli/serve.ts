// `arena serve`: a scenario run in real time (or faster) and served on loopback as a Binance-compatible spot REST venue.
import type { Command } from "commander";
import { demoAccount, loadAccounts, type AccountSpec } from "../live/serve/accounts.ts";
import { loadFaultSpec, type FaultSpec } from "../live/serve/faults.ts";
import { startServer } from "../live/serve/server.ts";
import { buildScenario, typeRegistry } from "../scenarios/build.ts";
import { WORLDS } from "../scenarios/registry.ts";
import { loadScenarioFile } from "../scenarios/spec.ts";
import type { Kernel } from "../sim/kernel.ts";
import { parsePath, parseSeed, UsageError } from "./args.ts";

/** A TCP port flag's value: 0 (a free port) to 65535. */
function portOf(flag: string, raw: string): number {
  const n = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a port number from 0 (any free port) to 65535`);
  return n;
}

/** `--port`: 0 (a free port) to 65535. */
export function parsePort(raw: string): number {
  return portOf("--port", raw);
}

/** `--metrics-port` (of `serve` and `trade`): where `/metrics` and `/health` are served on 127.0.0.1; 0 = a free port. */
export function parseMetricsPort(raw: string): number {
  return portOf("--metrics-port", raw);
}

/** `--speed`: simulated seconds per wall second, above 0 and at most 10,000. */
export function parseSpeed(raw: string): number {
  const s = raw.trim();
  const x = /^(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
  if (!(x > 0 && x <= 10_000)) throw new UsageError(`--speed: ${JSON.stringify(raw)} is not a speed-up above 0 and at most 10000 (1 = real time)`);
  return x;
}

/** The kernel of a built-in scenario or a scenario file, not started, and its duration. */
async function scenarioKernel(scenario: string, seed: number): Promise<{ name: string; kernel: Kernel; durationNs: number }> {
  if (Object.hasOwn(WORLDS, scenario)) return { name: scenario, kernel: WORLDS[scenario].build(seed), durationNs: WORLDS[scenario].defaultDurationNs };
  if (!/[\\/]|\.json$/i.test(scenario)) {
    throw new UsageError(`--scenario: ${JSON.stringify(scenario)} is not a built-in (known: ${Object.keys(WORLDS).join(", ")}) nor a .json file`);
  }
  try {
    const spec = await loadScenarioFile(scenario, typeRegistry());
    return { name: spec.name, kernel: buildScenario(spec, seed).kernel, durationNs: spec.duration };
  } catch (err) {
    throw new UsageError(`--scenario: ${(err as Error).message}`);
  }
}

/** Adds the `serve` command to `program`. */
export function addServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run a scenario in real time (or --speed times faster) and serve it on 127.0.0.1 as a Binance-compatible spot REST venue (/api/v3) and WebSocket streams (depth@100ms, trade, WS-API user data) for ccxt bots")
    .requiredOption("--scenario <name|file>", `a built-in (${Object.keys(WORLDS).join(", ")}) or a scenario file (.json)`)
    .requiredOption("--seed <n>", "run seed: a non-negative integer", (v) => parseSeed("--seed", v))
    .option("--port <p>", "TCP port on 127.0.0.1 (0 = any free port)", parsePort, 8090)
    .option("--speed <x>", "simulated seconds per wall second (1 = real time)", parseSpeed, 1)
    .option("--metrics-port <p>", "serve Prometheus /metrics and /health on 127.0.0.1 at this port (0 = any free port); off when not given", parseMetricsPort)
    .option("--accounts <file>", "JSON array of {name, key, secret, base, quote} (default: one demo account, key and secret from ARENA_SERVE_KEY / ARENA_SERVE_SECRET or generated)", (v) => parsePath("--accounts", v))
    .option("--faults <spec>", "faults to inject (inline JSON or a JSON file): timeout, rateLimit (429), ban (418), serverError (5xx), lostAck, partialFill, wsDrop, streamDelay, streamReorder, each {rate, at, ...}, and seed; see live/README.md. POST /admin/faults changes them while serving, GET reports what was injected")
    .action(async (o: { scenario: string; seed: number; port: number; speed: number; accounts?: string; metricsPort?: number; faults?: string }) => {
      let accounts: AccountSpec[];
      let generated = false;
      try {
        if (o.accounts !== undefined) accounts = await loadAccounts(o.accounts);
        else {
          const demo = demoAccount(process.env);
          accounts = [demo.account];
          generated = demo.generated;
        }
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      let faults: FaultSpec | undefined;
      try {
        if (o.faults !== undefined) faults = await loadFaultSpec(o.faults);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const { name, kernel, durationNs } = await scenarioKernel(o.scenario, o.seed);
      let server;
      try {
        server = await startServer({ kernel, accounts, speed: o.speed, port: o.port, metricsPort: o.metricsPort, faults });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const out = process.stdout;
      out.write(`arena serve: ${name} seed ${o.seed} at ${o.speed}x (its timeline: ${durationNs / 60e9} simulated minutes; the market keeps trading after it)\n`);
      out.write(`  REST  ${server.url}/api/v3  (ccxt binance: urls.test = {public, private: "${server.url}/api/v3"}, setSandboxMode(true))\n`);
      for (const a of accounts) {
        out.write(`  account ${a.name}: key ${a.key}${generated ? ` secret ${a.secret}` : ""} (${a.base} base, ${a.quote} quote)\n`);
      }
      const sym = (kernel.venue.instrument.base + kernel.venue.instrument.quote).toLowerCase();
      out.write(`  WS    ${server.ws.spot} (streams ${sym}@depth@100ms, ${sym}@trade), ${server.ws["ws-api"].spot} (userDataStream.subscribe.signature)\n`);
      out.write(`        (ccxt pro: urls.test.ws = {spot, 'ws-api': {spot}} as above, await exchange.loadHttpProxyAgent()).\n`);
      if (server.metrics !== undefined) out.write(`  METRICS ${server.metrics.url}/metrics  (Prometheus), ${server.metrics.url}/health\n`);
      const kinds = Object.keys(faults ?? {}).filter((k) => k !== "seed");
      out.write(`  faults ${kinds.length === 0 ? "none" : `${kinds.join(", ")} (seed ${faults!.seed})`}; ${server.url}/admin/faults: GET reports, POST sets, DELETE clears (loopback only)\n`);
      out.write(`  Stop with Ctrl-C.\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
      const failure = server.venue.failure;
      const injected = server.faults.plan.report();
      out.write(`arena serve: ${signal}: stopped at simulated ${(kernel.now / 1e9).toFixed(1)} s after ${server.requests} requests; faults injected: ${injected.total} ${JSON.stringify(injected.injected)}\n`);
      if (failure !== undefined) throw failure;
    });
}
