// Soak: a seeded random order flow through CcxtExchange against arena serve under a randomised mix of every fault, for a bounded time; at the end nothing is lost and nothing doubled.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import ccxt from "ccxt";
import seedrandom from "seedrandom";
import type { CcxtExchange } from "../../live/ccxt-exchange.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { ExchangeError, type Order } from "../../market/exchange.ts";
import { connect, MAKER, serveIsolated, TAKER } from "./ccxt-exchange-harness.ts";
import { injected, reconcile, setFaults } from "./fault-invariants.ts";

const SYM = "BTC/USDT";
/** Wall time of the order flow (the reconciliation after it is extra). */
const SOAK_MS = Number(process.env.ARENA_SOAK_MS ?? 20_000);
const SEED = Number(process.env.ARENA_SOAK_SEED ?? 11);

describe("soak: random orders under a random mix of all faults", () => {
  let s: RunningServer;
  before(async () => {
    s = await serveIsolated();
  });
  after(async () => {
    await s.close();
  });

  it(`after ${SOAK_MS / 1000} s: no duplicate order, every order reconciled, balances and fills equal the venue's`, async () => {
    const rng = seedrandom.alea(`soak/${SEED}`);
    const mix = (max: number) => Math.round(rng() * max * 1000) / 1000;
    const spec = {
      seed: SEED,
      timeout: { rate: mix(0.04), ms: 1_200, endpoints: ["POST order", "DELETE order", "GET order", "GET depth"] },
      rateLimit: { rate: mix(0.04), retryAfterS: 1 },
      ban: { rate: mix(0.005), retryAfterS: 1 },
      serverError: { rate: mix(0.06) },
      lostAck: { rate: mix(0.15), mode: "reset", ms: 1_200 },
      partialFill: { rate: mix(0.5), fraction: 0.4 },
      wsDrop: { rate: mix(0.02) },
      streamDelay: { rate: mix(0.1), ms: 200 },
      streamReorder: { rate: mix(0.1) },
    };
    const opts = { timeoutMs: 600, retry: { retries: 8, baseDelayMs: 20, maxDelayMs: 300 } };
    const maker = await connect(s, MAKER, { ...opts, clientOrderIdPrefix: "soakM" });
    const taker = await connect(s, TAKER, { ...opts, clientOrderIdPrefix: "soakT" });
    // A third session watches the book over WebSocket all along, through the stream faults.
    const watcher = await connect(s, TAKER, { ...opts, streams: "ws", urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3`, ws: s.ws.spot, wsApi: s.ws["ws-api"].spot } });
    await watcher.client.loadHttpProxyAgent();
    let watching = true;
    let watched = 0;
    const watchErrors: string[] = [];
    const watch = (async () => {
      while (watching) {
        try {
          await watcher.watchOrderBook(SYM);
          watched++;
        } catch (e) {
          watchErrors.push(e instanceof ExchangeError ? e.reason : String(e));
        }
      }
    })();
    const placed = { maker: [] as Order[], taker: [] as Order[] };
    const failed: string[] = [];
    let cancels = 0;
    let sent = 0;
    const intended = { maker: [] as string[], taker: [] as string[] };
    await setFaults(s, spec);
    const t0 = performance.now();
    try {
      while (performance.now() - t0 < SOAK_MS) {
        const who = rng() < 0.5 ? "maker" : "taker";
        const x = who === "maker" ? maker : taker;
        const r = rng();
        try {
          if (r < 0.6) {
            // Prices around 30,000 so that some orders cross the other account's and fill.
            const side = rng() < 0.5 ? "buy" : "sell";
            const price = 30_000 + Math.round((rng() - 0.5) * 40) * (side === "buy" ? 1 : -1);
            const amount = Math.round(1 + rng() * 9) / 1000;
            const clientOrderId = `${who === "maker" ? "soakM" : "soakT"}-${++sent}`;
            intended[who].push(clientOrderId);
            placed[who].push(await x.createOrder(SYM, "limit", side, amount, price, { clientOrderId }));
          } else if (r < 0.85) {
            const open = await x.fetchOpenOrders(SYM);
            if (open.length > 0) {
              await x.cancelOrder(open[Math.floor(rng() * open.length)].id, SYM);
              cancels++;
            }
          } else {
            await x.fetchOrderBook(SYM, 5);
          }
        } catch (e) {
          // A call may fail for good (retries exhausted, or an order closed under a cancel); it must say why, and the books must still reconcile.
          assert.ok(e instanceof ExchangeError, String(e));
          failed.push(`${e.reason}`);
        }
      }
      watching = false;
      const faults = await injected(s);
      await setFaults(s, null);
      // An order whose createOrder failed for good may still exist: looked up by its client order id, as after a restart.
      const mk = await resolveUnknown(maker, placed.maker, intended.maker);
      const tk = await resolveUnknown(taker, placed.taker, intended.taker);
      const m = await reconcile(s, MAKER, maker, "soakM", mk);
      const t = await reconcile(s, TAKER, taker, "soakT", tk);
      const orders = mk.length + tk.length;
      const summary = {
        seconds: SOAK_MS / 1000, seed: SEED, createCalls: intended.maker.length + intended.taker.length, ordersIntended: orders, ordersOnVenue: m.venueOrders + t.venueOrders, cancels,
        faultsInjected: Object.values(faults).reduce((a, b) => a + b, 0), byKind: faults,
        duplicates: m.duplicates + t.duplicates, reconciliationDifferences: m.differences.length + t.differences.length,
        callsFailedForGood: failed.length, bookUpdatesWatched: watched, watchErrors: watchErrors.length,
      };
      process.stdout.write(`# soak ${JSON.stringify(summary)}\n`);
      assert.ok(orders >= 20, `enough orders to mean something (${orders})`);
      assert.ok(summary.faultsInjected >= 10, "faults were injected");
      assert.equal(summary.duplicates, 0, "nothing doubled");
      assert.deepEqual([...m.differences, ...t.differences], [], "nothing lost: the client's view equals the venue's");
      assert.equal(summary.ordersOnVenue, summary.ordersIntended, "every order on the venue is one the client meant, once");
      assert.ok(watched > 0, "the book stream carried on through the stream faults");
      await Promise.race([watch, new Promise((r) => setTimeout(r, 1000))]);
    } finally {
      await setFaults(s, null);
      watching = false;
      await maker.close();
      await taker.close();
      await watcher.close();
    }
  });
});

/** `placed` and the orders among `intended` whose createOrder failed for good but which the venue holds, found by client order id. */
async function resolveUnknown(x: CcxtExchange, placed: Order[], intended: string[]): Promise<Order[]> {
  const known = new Set(placed.map((o) => o.clientOrderId));
  const out = [...placed];
  for (const clientOrderId of intended) {
    if (known.has(clientOrderId)) continue;
    try {
      const o = await x.client.fetchOrder(undefined, SYM, { clientOrderId });
      out.push(await x.fetchOrder(String(o.id), SYM));
    } catch (e) {
      if (!(e instanceof ccxt.OrderNotFound)) throw e;
    }
  }
  return out;
}
