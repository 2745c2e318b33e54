// Shared set-up for the serve tests: a thin scenario served on a free loopback port, and an unmodified ccxt binance client pointed at it.
import ccxt from "ccxt";
import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "../../live/serve/server.ts";
import type { AccountSpec } from "../../live/serve/accounts.ts";
import { buildScenario, typeRegistry } from "../../scenarios/build.ts";
import { loadScenarioFile } from "../../scenarios/spec.ts";

export const SCENARIO = fileURLToPath(new URL("../../scenarios/examples/quiet-crash.json", import.meta.url));

export const ALICE: AccountSpec = { name: "alice", key: "aliceKey0123456789", secret: "aliceSecret0123456789abcdef", base: 1, quote: 100_000 };

/** Serves quiet-crash (seed 7) at `speed` simulated seconds a wall second. */
export async function serve(opts: { speed?: number; weightLimit?: number; accounts?: AccountSpec[]; metricsPort?: number; maxLagMs?: number } = {}): Promise<RunningServer> {
  const spec = await loadScenarioFile(SCENARIO, typeRegistry());
  const { kernel } = buildScenario(spec, 7);
  return startServer({ kernel, accounts: opts.accounts ?? [ALICE], speed: opts.speed ?? 60, weightLimit: opts.weightLimit, metricsPort: opts.metricsPort, maxLagMs: opts.maxLagMs });
}

export interface Client {
  readonly ex: InstanceType<typeof ccxt.binance>;
  /** Every URL ccxt fetched, in order. */
  readonly urls: string[];
}

/** ccxt's binance class as a user sets it up for a local venue: sandbox URLs pointed at `url`, spot only, no margin or currency calls. */
export function client(url: string, account: Pick<AccountSpec, "key" | "secret"> = ALICE): Client {
  const ex = new ccxt.binance({
    apiKey: account.key,
    secret: account.secret,
    enableRateLimit: false,
    timeout: 5000,
    options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } },
  });
  ex.urls.test = { public: `${url}/api/v3`, private: `${url}/api/v3`, v1: `${url}/api/v1` };
  ex.setSandboxMode(true);
  const urls: string[] = [];
  const fetch = ex.fetch.bind(ex);
  ex.fetch = (u: string, ...rest: unknown[]) => {
    urls.push(u);
    return (fetch as (...a: unknown[]) => Promise<unknown>)(u, ...rest);
  };
  return { ex, urls };
}

/** Waits (wall time) until the served book has both sides. */
export async function untilBook(c: Client, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const b = await c.ex.fetchOrderBook("BTC/USDT", 5);
    if (b.bids.length > 0 && b.asks.length > 0) return;
    if (Date.now() - t0 > timeoutMs) throw new Error("the served book stayed one-sided");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ProClient {
  readonly ex: InstanceType<typeof ccxt.pro.binance>;
  /** Every REST URL ccxt fetched, in order. */
  readonly urls: string[];
}

/**
 * ccxt pro's binance class set up as `client`, its WebSocket URLs (`urls.test.ws`) pointed at
 * the served venue too. ccxt refuses plain ws:// URLs until `loadHttpProxyAgent()` has run.
 */
export async function proClient(s: RunningServer, account: Pick<AccountSpec, "key" | "secret"> = ALICE): Promise<ProClient> {
  const ex = new ccxt.pro.binance({
    apiKey: account.key,
    secret: account.secret,
    enableRateLimit: false,
    timeout: 5000,
    options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } },
  });
  ex.urls.test = { public: `${s.url}/api/v3`, private: `${s.url}/api/v3`, v1: `${s.url}/api/v1`, ws: s.ws };
  ex.setSandboxMode(true);
  await ex.loadHttpProxyAgent();
  const urls: string[] = [];
  const fetch = ex.fetch.bind(ex);
  ex.fetch = (u: string, ...rest: unknown[]) => {
    urls.push(u);
    return (fetch as (...a: unknown[]) => Promise<unknown>)(u, ...rest);
  };
  return { ex, urls };
}
