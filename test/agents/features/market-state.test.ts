// The market state: its table and its indexes agree, every observation stays in bounds, and features mean what the table says.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { emptyInput, F, FEATURES, MARKET_FEATURE_COUNT, MarketState } from "../../../agents/features/market-state.ts";

test("the layout: about 50 features, unique names, and every index constant names its own feature", () => {
  assert.equal(MARKET_FEATURE_COUNT, 51);
  assert.equal(new Set(FEATURES.map((f) => f.name)).size, FEATURES.length);
  for (const [key, i] of Object.entries(F)) assert.equal(FEATURES[i].name, key.toLowerCase(), `F.${key}`);
  for (const f of FEATURES) assert.ok(f.low <= f.high && f.scaling.length > 0, f.name);
});

test("any sequence of books, candles and balances (gaps, empty sides, crashes) gives finite observations inside the bounds", () => {
  const price = fc.oneof(fc.constant(NaN), fc.double({ min: 1, max: 1e6, noNaN: true }));
  const size = fc.double({ min: 0, max: 1e4, noNaN: true });
  const tick = fc.record({ bid: price, ask: price, bidSize: size, askSize: size, bidDepth: size, askDepth: size, base: size, quote: size,
    candle: fc.option(fc.tuple(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }), size)) });
  fc.assert(fc.property(fc.array(tick, { minLength: 1, maxLength: 80 }), (ticks) => {
    const s = new MarketState();
    const x = emptyInput();
    ticks.forEach((t, i) => {
      if (t.candle !== null) {
        const [a, b, v] = t.candle;
        s.candle(i * 60_000, a, Math.max(a, b), Math.min(a, b), b, v);
      }
      Object.assign(x, t, { timeMs: 1_700_000_000_000 + i * 1000 });
      const o = s.observe(x);
      for (let j = 0; j < o.length; j++) {
        assert.ok(Number.isFinite(o[j]) && o[j] >= FEATURES[j].low && o[j] <= FEATURES[j].high, `${FEATURES[j].name} = ${o[j]}`);
      }
    });
  }), { seed: 5, numRuns: 200 });
});

test("returns, spread, imbalance and the position's unrealised PnL read as the table says", () => {
  const s = new MarketState();
  const x = { ...emptyInput(), timeMs: 0, bid: 99.5, ask: 100.5, bidSize: 3, askSize: 1, bidDepth: 3, askDepth: 1, base: 0, quote: 1000 };
  s.observe(x);
  assert.equal(s.obs[F.SPREAD], Math.fround(100));
  assert.equal(s.obs[F.IMBALANCE_1], 0.5);
  Object.assign(x, { bid: 99.7, ask: 100.7, base: 5, quote: 500 });
  s.observe(x);
  assert.ok(Math.abs(s.obs[F.RET_1] - Math.log(1.002) * 1e4) < 1e-3);
  assert.ok(Math.abs(s.obs[F.EXPOSURE] - 501 / 1001) < 1e-6);
  Object.assign(x, { bid: 120, ask: 121 });
  s.observe(x);
  assert.equal(s.obs[F.RET_1], 50, "clipped to the table's bound");
  Object.assign(x, { bid: 110.5, ask: 111.5 });
  s.observe(x);
  assert.ok(Math.abs(s.obs[F.UPNL_COST] - (111 / 100.2 - 1) * 100) < 1e-4, "bought at the mid of 100.2");
  assert.ok(Math.abs(s.obs[F.HELD] - Math.log1p(2)) < 1e-6);
  assert.equal(s.obs[F.MEM_RISK], 0);
});
