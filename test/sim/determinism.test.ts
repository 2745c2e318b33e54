// Determinism of whole runs: the smoke world is a pure function of its seed, and it conserves money.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Asset } from "../../market/ledger.ts";
import { buildSmoke } from "../../scenarios/smoke.ts";
import { MINUTE } from "../../sim/clock.ts";
import type { Kernel, RunStats } from "../../sim/kernel.ts";

const DURATION = 5 * MINUTE;

async function smoke(seed: number | string): Promise<{ kernel: Kernel; stats: RunStats }> {
  const kernel = buildSmoke({ seed });
  const stats = await kernel.run(DURATION);
  return { kernel, stats };
}

test("the smoke world run twice with one seed gives the same digest and the same stats", async () => {
  const a = await smoke(1);
  const b = await smoke(1);
  assert.match(a.stats.digest, /^[0-9a-f]{64}$/);
  assert.deepEqual(b.stats, a.stats);
  // Not vacuous: the world traded, canceled and expired orders.
  assert.ok(a.stats.events.trade > 50, `trades: ${a.stats.events.trade}`);
  assert.ok(a.stats.events.canceled > 0 && a.stats.events.accepted > 100);
});

test("another seed gives another digest; a seed and its string form give the same", async () => {
  const one = await smoke(1);
  const two = await smoke(2);
  assert.notEqual(two.stats.digest, one.stats.digest);
  const str = await smoke("1");
  assert.equal(str.stats.digest, one.stats.digest);
});

test("a smoke run conserves money and leaves the book consistent", async () => {
  for (const seed of [1, 2, 3]) {
    const { kernel } = await smoke(seed);
    const L = kernel.venue.ledger;
    for (const asset of [Asset.BASE, Asset.QUOTE]) {
      assert.equal(L.total(asset), L.deposited[asset], `seed ${seed}, asset ${asset}: balances + fees = deposits`);
    }
    // 8 traders, each 10 BTC and 300,000 USDT.
    assert.equal(L.deposited[Asset.BASE], 8 * 10 * 1e8);
    assert.equal(L.deposited[Asset.QUOTE], 8 * 300_000 * 1e6);
    kernel.venue.engine.assertConsistent();
  }
});
