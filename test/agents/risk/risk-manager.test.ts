// The risk manager: each rule fires at its threshold and not just before, null switches it off, and every decision is recorded with rule and numbers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ALL_PAIRS, DEFAULT_RISK, RISK_OFF, RiskManager } from "../../../agents/risk/risk-manager.ts";
import type { RiskConfig } from "../../../agents/risk/risk.ts";

const T0 = Date.UTC(2024, 0, 1); // a Monday, 00:00 UTC
const H = 3_600_000;
const MIN = 60_000;
const only = (rules: Partial<RiskConfig>) => new RiskManager({ ...RISK_OFF, ...rules });

describe("entry sizing", () => {
  test("max-position: up to 10% of equity passes untouched; more is resized to 10%, with the numbers", () => {
    const r = only({ maxPositionPct: 0.1 });
    assert.equal(r.sizeEntry(T0, "BTC/USDT", 1000, 10_000, 0, 0), 1000);
    assert.equal(r.events.length, 0);
    assert.equal(r.sizeEntry(T0, "BTC/USDT", 1000.01, 10_000, 0, 0), 1000);
    assert.deepEqual(r.events, [{ time: T0, action: "resized", rule: "max-position", pair: "BTC/USDT", detail: "wanted 1000.01, allowed 1000.00 (10% of equity 10000.00)" }]);
  });

  test("max-exposure: the room left under 30% of equity; blocked once exposure reaches it", () => {
    const r = only({ maxExposurePct: 0.3 });
    assert.equal(r.sizeEntry(T0, "BTC/USDT", 500, 10_000, 2500, 1), 500);
    assert.equal(r.events.length, 0);
    assert.equal(r.sizeEntry(T0, "BTC/USDT", 600, 10_000, 2500, 1), 500);
    assert.equal(r.sizeEntry(T0, "ETH/USDT", 100, 10_000, 3000, 2), 0);
    assert.deepEqual(r.events.map((e) => [e.action, e.rule, e.pair]), [["resized", "max-exposure", "BTC/USDT"], ["blocked", "max-exposure", "ETH/USDT"]]);
    assert.equal(r.events[0].detail, "wanted 600.00, allowed 500.00 (exposure limit 30% of equity 10000.00 = 3000.00, 2500.00 already open)");
    assert.match(r.events[1].detail, /^wanted 100\.00, allowed 0 \(exposure limit 30% .* 3000\.00 already open\)$/);
  });

  test("max-open-trades: the third trade may open, the fourth is blocked", () => {
    const r = only({ maxOpenTrades: 3 });
    assert.equal(r.sizeEntry(T0, "BTC/USDT", 100, 10_000, 200, 2), 100);
    assert.equal(r.sizeEntry(T0, "BTC/USDT", 100, 10_000, 300, 3), 0);
    assert.deepEqual(r.events, [{ time: T0, action: "blocked", rule: "max-open-trades", pair: "BTC/USDT", detail: "wanted 100.00, 3 trades open (limit 3)" }]);
  });

  test("the binding rule is the one named: position when it is tighter, exposure when that is", () => {
    const r = new RiskManager(DEFAULT_RISK);
    assert.equal(r.sizeEntry(T0, "A", 5000, 10_000, 0, 0), 1000);
    assert.equal(r.sizeEntry(T0, "A", 5000, 10_000, 2500, 1), 500);
    assert.deepEqual(r.events.map((e) => e.rule), ["max-position", "max-exposure"]);
  });

  test("with every rule off, any entry passes in full and nothing is recorded", () => {
    const r = new RiskManager(RISK_OFF);
    assert.equal(r.sizeEntry(T0, "A", 1e6, 10, 1e9, 1000), 1e6);
    r.observe(T0, 10_000);
    r.observe(T0 + H, 100);
    assert.equal(r.paused, false);
    assert.equal(r.events.length, 0);
    assert.ok(Number.isNaN(r.stopPrice(100, 120)) && Number.isNaN(r.takeProfitPrice(100)));
  });

  test("nothing wanted is nothing allowed, silently; nonsense amounts throw", () => {
    const r = new RiskManager(DEFAULT_RISK);
    assert.equal(r.sizeEntry(T0, "A", 0, 10_000, 0, 0), 0);
    assert.equal(r.events.length, 0);
    assert.throws(() => r.sizeEntry(T0, "A", NaN, 10_000, 0, 0), /sizeEntry\.wantedQuote: NaN/);
    assert.throws(() => r.sizeEntry(T0, "A", 1, 10_000, -1, 0), /sizeEntry\.exposureQuote: -1/);
    assert.throws(() => r.sizeEntry(T0, "A", 1, 10_000, 0, 1.5), /sizeEntry\.openTrades: 1\.5/);
  });

  test("property: never more than wanted, never negative, never past the exposure or position limit", () => {
    const pctOrOff = fc.option(fc.double({ min: 0.001, max: 1, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(
        pctOrOff, pctOrOff, fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
        fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: -1e3, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 0, max: 12 }),
        (maxPositionPct, maxExposurePct, maxOpenTrades, wanted, equity, exposure, open) => {
          const r = only({ maxPositionPct, maxExposurePct, maxOpenTrades });
          const got = r.sizeEntry(T0, "A", wanted, equity, exposure, open);
          assert.ok(got >= 0 && got <= wanted, `got ${got} of ${wanted}`);
          if (got > 0 && maxExposurePct !== null) assert.ok(exposure + got <= maxExposurePct * equity, `exposure ${exposure} + ${got} > ${maxExposurePct} × ${equity}`);
          if (got > 0 && maxPositionPct !== null) assert.ok(got <= maxPositionPct * equity);
          if (got > 0 && maxOpenTrades !== null) assert.ok(open < maxOpenTrades);
          // Exactly one event whenever the answer differs from the wish.
          assert.equal(r.events.length, got === wanted ? 0 : 1);
        },
      ),
      { numRuns: 500, seed: 42 },
    );
  });
});

describe("daily loss limit", () => {
  test("pauses at -5% of the day's starting equity, not at -4.9999%; refuses entries; lifts on the next UTC day", () => {
    const r = only({ dailyLossPct: 0.05 });
    r.observe(T0, 10_000);
    r.observe(T0 + H, 9500.01);
    assert.equal(r.paused, false);
    r.observe(T0 + 2 * H, 9500);
    assert.equal(r.paused, true);
    assert.equal(r.closeAllNow, false, "a daily loss stops entries, it does not close positions");
    assert.deepEqual(r.events, [{
      time: T0 + 2 * H, action: "paused", rule: "daily-loss", pair: ALL_PAIRS,
      detail: "equity 9500.00 is 5% below the day's start 10000.00 (limit 5%), entries paused until 2024-01-02T00:00:00.000Z",
    }]);
    assert.equal(r.sizeEntry(T0 + 2 * H, "BTC/USDT", 100, 9500, 0, 0), 0);
    assert.equal(r.events[1].action, "blocked");
    assert.equal(r.events[1].rule, "daily-loss");
    r.observe(T0 + 23 * H, 10_500);
    assert.equal(r.paused, true, "recovering during the day does not lift it");
    r.observe(T0 + 24 * H, 10_400);
    assert.equal(r.paused, false);
    assert.deepEqual([r.events[2].action, r.events[2].rule, r.events[2].time], ["resumed", "daily-loss", T0 + 24 * H]);
    assert.equal(r.events[2].detail, "new UTC day 2024-01-02, day start equity 10500.00");
    assert.equal(r.sizeEntry(T0 + 24 * H, "BTC/USDT", 100, 10_400, 0, 0), 100);
  });

  test("the day starts from the last equity before its first bar, so a loss on that bar counts for the new day", () => {
    const r = only({ dailyLossPct: 0.05 });
    r.observe(T0, 10_000);
    r.observe(T0 + 23 * H, 9600); // -4% on day 1
    r.observe(T0 + 24 * H, 9120); // -5% of 9600 on day 2's first bar
    assert.deepEqual(r.events.map((e) => [e.action, e.time]), [["paused", T0 + 24 * H]]);
  });

  test("switched off (null), a 50% loss in a day changes nothing", () => {
    const r = only({ dailyLossPct: null });
    r.observe(T0, 10_000);
    r.observe(T0 + H, 5000);
    assert.equal(r.paused, false);
    assert.equal(r.events.length, 0);
  });
});

describe("circuit breaker", () => {
  test("trips at -10% from the peak and not at -9.9999%: pauses, asks once to close everything", () => {
    const r = only({ circuitBreakerPct: 0.1, circuitPauseMinutes: 60 });
    r.observe(T0, 10_000);
    r.observe(T0 + MIN, 12_000);
    r.observe(T0 + 2 * MIN, 10_800.01);
    assert.equal(r.paused, false);
    assert.equal(r.closeAllNow, false);
    r.observe(T0 + 3 * MIN, 10_800);
    assert.equal(r.paused, true);
    assert.equal(r.closeAllNow, true);
    assert.deepEqual(r.events, [{
      time: T0 + 3 * MIN, action: "paused", rule: "circuit-breaker", pair: ALL_PAIRS,
      detail: "equity 10800.00 is 10% below peak 12000.00 (limit 10%), closing all positions, entries paused until 2024-01-01T01:03:00.000Z",
    }]);
    r.forced(T0 + 3 * MIN, "BTC/USDT", "circuit-breaker", "closed 0.1 BTC at 27000.00");
    assert.deepEqual(r.events[1], { time: T0 + 3 * MIN, action: "forced-exit", rule: "circuit-breaker", pair: "BTC/USDT", detail: "closed 0.1 BTC at 27000.00" });
    r.observe(T0 + 4 * MIN, 10_700);
    assert.equal(r.closeAllNow, false, "only on the bar it trips");
    assert.equal(r.paused, true);
    assert.equal(r.sizeEntry(T0 + 4 * MIN, "BTC/USDT", 100, 10_700, 0, 0), 0);
    assert.equal(r.events[2].rule, "circuit-breaker");
  });

  test("resumes after circuitPauseMinutes with the peak reset to the equity then", () => {
    const r = only({ circuitBreakerPct: 0.1, circuitPauseMinutes: 60 });
    r.observe(T0, 12_000);
    r.observe(T0 + MIN, 10_800); // trips
    r.observe(T0 + 60 * MIN, 10_000);
    assert.equal(r.paused, true, "59 minutes in, still paused");
    r.observe(T0 + 61 * MIN, 10_000);
    assert.equal(r.paused, false);
    assert.deepEqual([r.events[1].action, r.events[1].rule, r.events[1].detail], ["resumed", "circuit-breaker", "pause of 60 min over, peak reset to equity 10000.00"]);
    r.observe(T0 + 62 * MIN, 9500); // -21% from the old peak, -5% from the new one
    assert.equal(r.paused, false);
    r.observe(T0 + 63 * MIN, 9000); // -10% from the reset peak
    assert.equal(r.paused, true);
    assert.equal(r.closeAllNow, true);
  });

  test("switched off (null), a 90% drawdown changes nothing", () => {
    const r = only({ circuitBreakerPct: null });
    r.observe(T0, 10_000);
    r.observe(T0 + MIN, 1000);
    assert.equal(r.paused, false);
    assert.equal(r.closeAllNow, false);
  });

  test("with the default rules a crash pauses for the daily loss and trips the breaker on the same bar", () => {
    const r = new RiskManager(DEFAULT_RISK);
    r.observe(T0, 10_000);
    r.observe(T0 + H, 8800);
    assert.deepEqual(r.events.map((e) => `${e.action} ${e.rule}`), ["paused daily-loss", "paused circuit-breaker"]);
    assert.equal(r.sizeEntry(T0 + H, "A", 100, 8800, 0, 0), 0);
  });
});

describe("stops and take-profit", () => {
  test("stop-loss at entry -3% until the trailing level (best -3%) rises above it; stop-loss on ties", () => {
    const r = new RiskManager(DEFAULT_RISK);
    assert.equal(r.stopPrice(100, 100), 97);
    assert.equal(r.stopRule(100, 100), "stop-loss");
    assert.equal(r.stopPrice(100, 110), 110 * 0.97);
    assert.equal(r.stopRule(100, 110), "trailing-stop");
    assert.equal(r.takeProfitPrice(100), 105);
  });

  test("each of the three can be switched off alone", () => {
    assert.equal(only({ stopLossPct: 0.03 }).stopPrice(100, 150), 97);
    assert.equal(only({ stopLossPct: 0.03 }).stopRule(100, 150), "stop-loss");
    assert.equal(only({ trailingStopPct: 0.02 }).stopPrice(100, 150), 147);
    assert.equal(only({ trailingStopPct: 0.02 }).stopRule(100, 150), "trailing-stop");
    assert.equal(only({}).stopRule(100, 150), "none");
    assert.ok(Number.isNaN(only({ stopLossPct: 0.03 }).takeProfitPrice(100)));
    assert.equal(only({ roiPct: 0.1 }).takeProfitPrice(200), 200 * 1.1);
  });
});

test("observe refuses time going backwards and non-finite equity", () => {
  const r = new RiskManager(DEFAULT_RISK);
  r.observe(T0 + H, 10_000);
  r.observe(T0 + H, 10_000);
  assert.throws(() => r.observe(T0, 10_000), /observe\.time/);
  assert.throws(() => r.observe(T0 + 2 * H, NaN), /observe\.equity: NaN/);
});

test("a quiet run of 100k bars records nothing", () => {
  const r = new RiskManager(DEFAULT_RISK);
  for (let i = 0; i < 100_000; i++) r.observe(T0 + i * MIN, 10_000 + (i % 100));
  assert.equal(r.events.length, 0);
  assert.equal(r.paused, false);
});
