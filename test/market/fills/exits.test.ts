// The intra-bar exit rule (market/fills/exits.ts): gaps fill at the open, touches at the level, the stop wins ties, trailing stops never see their own bar.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtectiveExits, roiAt, sortRoi, type ExitRules, type RiskLevels } from "../../../market/fills/exits.ts";

const rules = (r: Partial<ExitRules>): ExitRules => ({ stoploss: null, roi: [], trailing: null, ...r });

/** Levels for an entry at 100, best 100, age 0, then the verdict on one bar. */
function exitIn(r: ExitRules, bar: [open: number, high: number, low: number], risk: RiskLevels | null = null, best = 100, age = 0) {
  const pe = new ProtectiveExits();
  pe.levels(r, sortRoi(r.roi), risk, 100, best, age);
  const hit = pe.check(...bar);
  return { hit, price: pe.price, reason: pe.reason, byRisk: pe.byRisk, stop: pe.stop, take: pe.take };
}

test("a stop touched inside the bar fills at the stop; a bar opening through it fills at the open", () => {
  const r = rules({ stoploss: -0.05 });
  assert.deepEqual(exitIn(r, [99, 101, 95]), { hit: true, price: 95, reason: "stop-loss", byRisk: false, stop: 95, take: NaN });
  assert.equal(exitIn(r, [99, 101, 94]).price, 95, "the low beyond the stop does not worsen the fill");
  assert.equal(exitIn(r, [93, 101, 90]).price, 93, "a gap through the stop fills at the open");
  assert.equal(exitIn(r, [99, 101, 95.01]).hit, false, "a bar that stays above the stop keeps the trade");
});

test("take-profit (ROI) touched fills at its level, or at the open on a gap up; the table applies by the trade's age", () => {
  const r = rules({ roi: [[60, 0.25], [0, 0.5]] });
  assert.deepEqual([exitIn(r, [101, 155, 99]).price, exitIn(r, [101, 155, 99]).reason], [150, "roi"]);
  assert.equal(exitIn(r, [152, 160, 151]).price, 152, "a gap above the level fills at the open");
  assert.equal(exitIn(r, [101, 149.99, 99]).hit, false);
  assert.equal(exitIn(r, [120, 126, 119], null, 100, 60).price, 125, "after 60 minutes the 25% row applies");
  assert.equal(exitIn(r, [120, 126, 119], null, 100, 59.9).hit, false, "before it the 50% row still does");
  assert.equal(roiAt(sortRoi([[30, 0.02], [0, 0.05]]), 29), 0.05);
  assert.ok(Number.isNaN(roiAt([[10, 0.02]], 5)), "no row applies before the first one's minutes");
});

test("when stop and take-profit are both touched in one bar, the stop wins", () => {
  const x = exitIn(rules({ stoploss: -0.05, roi: [[0, 0.05]] }), [100, 106, 94]);
  assert.deepEqual([x.price, x.reason], [95, "stop-loss"]);
});

test("a trailing stop trails the best high of the bars before this one, so a bar never raises its own stop and hits it", () => {
  const r = rules({ trailing: { distance: 0.1, offset: 0 } });
  // The bar rises to 200 and falls to 150: with best = 100 (bars before), the stop is 90, not 180.
  assert.equal(exitIn(r, [100, 200, 150]).hit, false);
  // The next bar, with best = 200, has its stop at 180.
  const x = exitIn(r, [170, 175, 160], null, 200);
  assert.deepEqual([x.stop, x.price, x.reason], [180, 170, "trailing-stop"]);
  // An offset not yet reached leaves only the fixed stop.
  assert.equal(exitIn(rules({ stoploss: -0.2, trailing: { distance: 0.1, offset: 0.5 } }), [100, 101, 85], null, 140).hit, false);
});

test("the risk manager's levels join in; ties go to the strategy and only a tighter level is credited to the risk manager", () => {
  const risk = (stop: number, take: number, rule = "stop-loss"): RiskLevels => ({ stopPrice: () => stop, stopRule: () => rule, takeProfitPrice: () => take });
  const r = rules({ stoploss: -0.05, roi: [[0, 0.1]] });
  const tighter = exitIn(r, [99, 101, 96], risk(97, NaN));
  assert.deepEqual([tighter.price, tighter.reason, tighter.byRisk], [97, "stop-loss", true]);
  assert.equal(exitIn(r, [99, 101, 94], risk(95, NaN)).byRisk, false, "an equal stop stays the strategy's");
  const trail = exitIn(r, [99, 101, 96], risk(97, NaN, "trailing-stop"));
  assert.equal(trail.reason, "trailing-stop");
  const take = exitIn(r, [101, 104, 100], risk(NaN, 103));
  assert.deepEqual([take.price, take.reason, take.byRisk], [103, "roi", true]);
});

test("any bar: an exit fills inside the bar's range or at its open, never better than the level for the trader", () => {
  fc.assert(
    fc.property(fc.double({ min: 50, max: 150, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }), (open, up, down) => {
      const pe = new ProtectiveExits();
      pe.levels(rules({ stoploss: -0.05, roi: [[0, 0.05]] }), [[0, 0.05]], null, 100, 100, 0);
      const high = open + up;
      const low = open - down;
      if (!pe.check(open, high, low)) return low > 95 && high < 105;
      if (pe.reason === "stop-loss") return pe.price <= 95 && (pe.price === open || pe.price === 95) && pe.price >= low;
      return pe.price >= 105 && (pe.price === open || pe.price === 105) && pe.price <= high;
    }),
  );
});
