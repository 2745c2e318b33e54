// SimExchange passes the Exchange conformance suite, driven by a small kernel with two scripted agents.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_INSTRUMENT } from "../../market/instrument.ts";
import { MS, SECOND } from "../../sim/clock.ts";
import { Kernel, type AgentContext, type SimAgent } from "../../sim/kernel.ts";
import { exchangeConformance, type Clients, type Harness } from "./exchange-conformance.ts";

/** Simulated time a script may take before the harness gives up on it. */
const SCRIPT_LIMIT_NS = 600 * SECOND;

/**
 * A kernel with a maker and a taker (10 BTC and 1,000,000 USDT each). The script runs in the
 * maker's `start`; `sleep` wakes the maker later. Every answer arrives on the simulated
 * clock, so the harness runs the kernel until the queue is empty or the limit is reached.
 */
async function simHarness(): Promise<Harness> {
  const kernel = new Kernel({ seed: "conformance", defaultLatency: { inNs: MS, outNs: MS, jitterNs: MS / 2 } });
  const sleepers: { t: number; resolve: () => void }[] = [];
  let makerCtx: AgentContext | undefined;
  let takerCtx: AgentContext | undefined;
  let body: ((c: Clients) => Promise<void>) | undefined;

  const maker: SimAgent = {
    start(ctx) {
      makerCtx = ctx;
    },
    async wake(ctx) {
      for (let i = sleepers.length - 1; i >= 0; i--) {
        if (sleepers[i].t <= ctx.now) sleepers.splice(i, 1)[0].resolve();
      }
    },
  };
  // Started second, so both contexts exist when the script begins.
  const taker: SimAgent = {
    async start(ctx) {
      takerCtx = ctx;
      const m = makerCtx!;
      await body!({
        maker: m.exchange,
        taker: ctx.exchange,
        symbol: ctx.symbol,
        sleep: (ms) =>
          new Promise<void>((resolve) => {
            const t = m.now + Math.round(ms * MS);
            sleepers.push({ t, resolve });
            m.wakeAt(t);
          }),
      });
    },
  };
  kernel.addAgent("maker", maker, { base: 10, quote: 1_000_000 });
  kernel.addAgent("taker", taker, { base: 10, quote: 1_000_000 });

  return {
    symbol: DEFAULT_INSTRUMENT.symbol,
    refPrice: 30_000,
    isolated: true,
    async run<T>(script: (c: Clients) => Promise<T>): Promise<T> {
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      body = async (c) => {
        try {
          outcome = { ok: true, value: await script(c) };
        } catch (error) {
          outcome = { ok: false, error };
        }
      };
      await kernel.run(SCRIPT_LIMIT_NS);
      assert.ok(takerCtx !== undefined);
      if (outcome === undefined) throw new Error(`script did not finish within ${SCRIPT_LIMIT_NS / SECOND} s of simulated time (an answer never arrived)`);
      kernel.venue.engine.assertConsistent();
      for (const asset of [0, 1] as const) {
        assert.equal(kernel.venue.ledger.total(asset), kernel.venue.ledger.deposited[asset], `asset ${asset} is conserved`);
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}

exchangeConformance("SimExchange", simHarness);

test("SimExchange: fees are 0.1% maker and taker on the default instrument, in USDT", async () => {
  const h = await simHarness();
  await h.run(async ({ maker, symbol }) => {
    assert.equal(maker.markets[symbol].maker, 0.001);
    assert.equal(maker.markets[symbol].taker, 0.001);
    assert.equal(maker.markets[symbol].quote, "USDT");
  });
});

test("SimExchange harness: a script whose answer never comes is reported, not hung", async () => {
  const h = await simHarness();
  await assert.rejects(
    h.run(async ({ maker, symbol }) => {
      await maker.watchTrades(symbol); // no one trades: never resolves
    }),
    /did not finish/,
  );
});

test("SimExchange: a sync agent's watch that is answered from the buffer continues at that simulated time", async () => {
  // A fill that arrives while no one waits is buffered; the next watchMyTrades / watchTrades
  // resolves at once. Its continuation must run before the kernel moves the clock on, even
  // when the agent's wake is a plain function that chains with .then.
  const kernel = new Kernel({ seed: 1, defaultLatency: { inNs: MS, outNs: MS, jitterNs: 0 } });
  const seen: string[] = [];
  let makerCtx: AgentContext | undefined;
  kernel.addAgent("maker", {
    async start(ctx) {
      makerCtx = ctx;
      const ex = ctx.exchange;
      void ex.watchMyTrades(ctx.symbol);
      void ex.watchTrades(ctx.symbol);
      await ex.createOrder(ctx.symbol, "limit", "sell", 0.01, 30_000);
      ctx.wakeAt(SECOND);
    },
    wake(ctx) {
      const t = ctx.now;
      ctx.exchange.watchMyTrades(ctx.symbol).then((ts) => seen.push(`mine ${ts.length} at +${ctx.now - t}`));
      ctx.exchange.watchTrades(ctx.symbol).then((ts) => seen.push(`public ${ts.length} at +${ctx.now - t}`));
    },
  }, { base: 10, quote: 1_000_000 });
  kernel.addAgent("taker", {
    start: (ctx) => ctx.wakeAt(100 * MS),
    async wake(ctx) {
      // Two fills: the first answers the maker's pending watches, the second is buffered.
      await ctx.exchange.createOrder(ctx.symbol, "limit", "buy", 0.005, 30_000);
      await ctx.exchange.createOrder(ctx.symbol, "limit", "buy", 0.005, 30_000);
      if (ctx.now < 2 * SECOND) ctx.wakeAt(2 * SECOND);
    },
  }, { base: 10, quote: 1_000_000 });
  await kernel.run(3 * SECOND);
  assert.ok(makerCtx !== undefined);
  assert.deepEqual(seen, ["mine 1 at +0", "public 1 at +0"]);
});
