// Shared set-up for the CcxtExchange tests: an isolated served venue (no crowd, two funded accounts) and CcxtExchange clients on it.
import assert from "node:assert/strict";
import { startServer, type RunningServer } from "../../live/serve/server.ts";
import type { AccountSpec } from "../../live/serve/accounts.ts";
import { createCcxtExchange, type CcxtExchange } from "../../live/ccxt-exchange.ts";
import { DEFAULT_INSTRUMENT } from "../../market/instrument.ts";
import { MS } from "../../sim/clock.ts";
import { Kernel } from "../../sim/kernel.ts";
import type { Clients, Harness } from "../market/exchange-conformance.ts";

export const MAKER: AccountSpec = { name: "maker", key: "makerKey0123456789", secret: "makerSecret0123456789abcdef", base: 10, quote: 1_000_000 };
export const TAKER: AccountSpec = { name: "taker", key: "takerKey0123456789", secret: "takerSecret0123456789abcdef", base: 10, quote: 1_000_000 };
/** 2026-01-01T00:00:00Z: the served venue's simulated time 0. */
const EPOCH_MS = 1_767_225_600_000;
/** Wall time a conformance script may take. */
const SCRIPT_LIMIT_MS = 30_000;

/** An isolated venue served on a free loopback port at `speed` simulated seconds a wall second. */
export async function serveIsolated(speed = 100): Promise<RunningServer> {
  const kernel = new Kernel({ seed: "ccxt-conformance", epochMs: EPOCH_MS, defaultLatency: { inNs: MS, outNs: MS, jitterNs: MS / 2 } });
  return startServer({ kernel, accounts: [MAKER, TAKER], speed, weightLimit: 1_000_000 });
}

/** How CcxtExchange's watch* get their data: polling fetch*, or ccxt pro's WebSocket streams. */
export type Streams = "poll" | "ws";

/** A CcxtExchange on the served venue, as a user sets one up for `arena serve`. */
export function connect(s: RunningServer, account: AccountSpec, extra: Record<string, unknown> = {}, streams: Streams = "poll"): Promise<CcxtExchange> {
  return createCcxtExchange({
    id: "binance",
    symbol: DEFAULT_INSTRUMENT.symbol,
    apiKey: account.key,
    secret: account.secret,
    urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3`, ws: s.ws.spot, wsApi: s.ws["ws-api"].spot },
    options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } },
    streams,
    pollMs: 20,
    rateLimitMs: 2,
    timeoutMs: 5_000,
    retry: { retries: 3, baseDelayMs: 20, maxDelayMs: 200 },
    clock: () => s.venue.venueMs(),
    ...extra,
  });
}

/** The conformance harness: a fresh isolated venue per test, torn down after its script. */
export const ccxtHarness = (streams: Streams = "poll") => async (): Promise<Harness> => {
  return {
    symbol: DEFAULT_INSTRUMENT.symbol,
    refPrice: 30_000,
    isolated: true,
    async run<T>(script: (c: Clients) => Promise<T>): Promise<T> {
      const s = await serveIsolated();
      let maker: CcxtExchange | undefined;
      let taker: CcxtExchange | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        maker = await connect(s, MAKER, {}, streams);
        taker = await connect(s, TAKER, {}, streams);
        const c: Clients = { maker, taker, symbol: DEFAULT_INSTRUMENT.symbol, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`script did not finish within ${SCRIPT_LIMIT_MS} ms`)), SCRIPT_LIMIT_MS);
        });
        return await Promise.race([script(c), limit]);
      } finally {
        clearTimeout(timer);
        await maker?.close();
        await taker?.close();
        await s.close();
        const v = s.venue.kernel.venue;
        v.engine.assertConsistent();
        for (const asset of [0, 1] as const) assert.equal(v.ledger.total(asset), v.ledger.deposited[asset], `asset ${asset} is conserved`);
      }
    },
  };
};
