// Market makers quote both sides around mid, lean against inventory, and stop adding to it at the limit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Fundamental, FUNDAMENTAL_DEFAULTS } from "../../agents/fundamental.ts";
import { MarketMaker, MarketMakerParams } from "../../agents/market-maker.ts";
import { Rng } from "../../sim/rng.ts";
import { Kernel, type AgentContext, type SimAgent } from "../../sim/kernel.ts";

const MS = 1_000_000;
const world = () => ({ fundamental: new Fundamental({ ...FUNDAMENTAL_DEFAULTS, initial: 30_000 }, Rng.root(1)), initialPrice: 30_000, withdrawal: { until: 0, share: 0 } });

test("a market maker alone quotes both sides, `levels` deep, around the initial price", async () => {
  const k = new Kernel({ seed: 1 });
  k.addAgent("mm", new MarketMaker(MarketMakerParams.parse({ refreshMs: 100, levels: 3 }), world()), { base: 10, quote: 300_000 });
  await k.run(150 * MS);
  const e = k.venue.engine;
  const bids = e.depth(0, 10);
  const asks = e.depth(1, 10);
  assert.equal(bids.length, 3);
  assert.equal(asks.length, 3);
  assert.ok(bids[0].price < 3_000_000 && asks[0].price > 3_000_000, "the mid sits between the quotes");
  assert.ok(asks[0].price - bids[0].price >= 2 * 6 * 30 - 2, "half-spread at least baseSpreadBps (2 bps = 6 USDT)");
});

test("at its inventory limit a market maker stops bidding but keeps offering", async () => {
  // A seller hits the maker's bids until the maker holds more than maxInventory.
  class Seller implements SimAgent {
    start(ctx: AgentContext): void {
      ctx.wakeIn(150 * MS);
    }
    wake(ctx: AgentContext): void {
      void ctx.exchange.createOrder(ctx.symbol, "market", "sell", 0.05);
      if (ctx.now < 2000 * MS) ctx.wakeIn(20 * MS);
    }
  }
  const k = new Kernel({ seed: 1 });
  k.addAgent("mm", new MarketMaker(MarketMakerParams.parse({ refreshMs: 50, levels: 1, maxInventory: 0.5, lossLimit: 1e9 }), world()), { base: 10, quote: 300_000 });
  k.addAgent("seller", new Seller(), { base: 10 });
  await k.run(2200 * MS);
  const e = k.venue.engine;
  const asks = e.depth(1, 5);
  assert.equal(e.depth(0, 5).length, 0, "no bids once inventory is at the limit");
  assert.equal(asks.length, 1, "still offering, to reduce inventory");
});
