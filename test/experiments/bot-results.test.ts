// Bots under test trade through the Exchange, and each run judges them from their accounts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { BuyAndHold } from "../../agents/bots/buy-and-hold.ts";
import { runWorld } from "../../experiments/run.ts";
import { Asset } from "../../market/ledger.ts";
import { typeRegistry, buildScenario } from "../../scenarios/build.ts";
import { builtinSpec } from "../../scenarios/builtins.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const spec = () =>
  parseScenario(
    {
      name: "bots",
      duration: "20m",
      initialPrice: 30_000,
      populations: [
        { type: "noise", count: 30, params: { ratePerMin: 4 } },
        { type: "market-maker", count: 2 },
      ],
      bots: [
        { name: "hodl", type: "buy-and-hold", quote: 50_000 },
        { name: "ema", type: "ema-cross", params: { fast: 2, slow: 4 } },
      ],
    },
    typeRegistry(),
  );

test("buy-and-hold ends holding BTC bought with most of its cash", async () => {
  const { kernel, bots } = buildScenario(spec(), 1);
  await kernel.run(20 * 60e9);
  const acct = kernel.accountOf(bots[0].agent);
  const btc = kernel.venue.ledger.freeOf(acct, Asset.BASE) / 1e8;
  const usdt = kernel.venue.ledger.freeOf(acct, Asset.QUOTE) / 1e6;
  assert.ok(btc > 1.5 && btc < 1.6, `about 0.95 × 50,000 / 30,000 = 1.58 BTC (got ${btc})`);
  assert.ok(usdt < 0.06 * 50_000, `at most ~5% left in cash (got ${usdt})`);
});

test("each run reports every bot against the criteria, consistently with its own numbers", async () => {
  const out = join(tempDir("arena-bots-"), "run");
  const s = spec();
  const summary = await runWorld({ scenario: s.name, spec: s, seed: 2, out });
  assert.deepEqual(summary.bots.map((b) => b.name), ["hodl", "ema"]);
  for (const b of summary.bots) {
    assert.equal(b.returnPct, Math.round((b.finalEquity / b.initialEquity - 1) * 1e4) / 100);
    assert.equal(b.pass, b.survived && !b.blown && b.maxDrawdownPct < 15);
    assert.ok(b.maxDrawdownPct >= 0 && b.maxDrawdownPct < 100);
  }
  assert.equal(summary.bots[0].initialEquity, 50_000);
});

test("bots are valued correctly on an instrument whose tick has no whole inverse (0.3)", async () => {
  const s = parseScenario(
    {
      name: "odd-tick",
      duration: "10m",
      initialPrice: 30_000,
      instrument: { tickSize: 0.3 },
      populations: [{ type: "noise", count: 20, params: { ratePerMin: 4 } }, { type: "market-maker", count: 2 }],
      bots: [{ name: "hodl", type: "buy-and-hold", quote: 10_000 }],
    },
    typeRegistry(),
  );
  const out = join(tempDir("arena-bots-"), "run");
  const [hodl] = (await runWorld({ scenario: s.name, spec: s, seed: 1, out })).bots;
  assert.ok(Number.isFinite(hodl.finalEquity) && Math.abs(hodl.finalEquity / 10_000 - 1) < 0.05, `final equity ${hodl.finalEquity}`);
});

test("buy-and-hold stops buying once what is left is below the venue's minimum order, instead of sending orders the venue refuses", async () => {
  // In normal seed 4 its last slice leaves a little over the 5 USDT minimum, which buys one
  // lot (about 3 USDT at 30,000): under the minimum, so the venue refused it every 10 s.
  const { kernel, bots } = buildScenario(builtinSpec("normal"), 4);
  await kernel.run(15 * 60e9);
  const hodl = bots.find((b) => b.name === "hodl")!;
  assert.equal((hodl.bot as BuyAndHold).refused, 0);
  const acct = kernel.accountOf(hodl.agent);
  assert.ok(kernel.venue.ledger.freeOf(acct, Asset.BASE) > 0, "it bought");
  assert.ok(kernel.venue.ledger.freeOf(acct, Asset.QUOTE) / 1e6 < 0.06 * 100_000, "with most of its cash");
});
