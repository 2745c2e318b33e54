// Resting limits on bars (market/fills/limit.ts): filled when reached, at the open on a gap, never worse than the limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { buyLimitFill, sellLimitFill } from "../../../market/fills/limit.ts";

test("a buy limit fills at the limit when the low reaches it, at the open when the bar opened below it, not at all above", () => {
  assert.equal(buyLimitFill(100, 102, 99), 100);
  assert.equal(buyLimitFill(100, 102, 100), 100, "a touch is enough");
  assert.equal(buyLimitFill(100, 97, 95), 97, "opened below the limit: the open, better than the limit");
  assert.ok(Number.isNaN(buyLimitFill(100, 102, 100.01)));
});

test("a sell limit fills at the limit when the high reaches it, at the open when the bar opened above it, not at all below", () => {
  assert.equal(sellLimitFill(100, 98, 101), 100);
  assert.equal(sellLimitFill(100, 98, 100), 100);
  assert.equal(sellLimitFill(100, 104, 106), 104);
  assert.ok(Number.isNaN(sellLimitFill(100, 98, 99.99)));
});

test("any bar: a fill is never worse than the limit and is a price the bar traded (its open or within its range)", () => {
  fc.assert(
    fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (limit, open, up, down) => {
      const high = open + up;
      const low = Math.max(0.5, open - down);
      const b = buyLimitFill(limit, open, low);
      const s = sellLimitFill(limit, open, high);
      const buyOk = Number.isNaN(b) ? low > limit : b <= limit && b >= low && b <= high;
      const sellOk = Number.isNaN(s) ? high < limit : s >= limit && s >= low && s <= high;
      return buyOk && sellOk;
    }),
  );
});
