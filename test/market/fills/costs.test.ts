// Trading costs on bars (market/fills/costs.ts): slippage against the trader on both sides, commission on the value, all-in sizing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { affordableSize, buyPrice, checkFillModel, DEFAULT_FILL, sellPrice } from "../../../market/fills/costs.ts";

test("buys pay the price plus slippage, sells get it minus slippage; the defaults are 0.1% commission and 5 bps", () => {
  const f = { commission: 0.001, slippage: 0.01 };
  assert.equal(buyPrice(f, 200), 202);
  assert.equal(sellPrice(f, 200), 198);
  assert.deepEqual(DEFAULT_FILL, { commission: 0.001, slippage: 0.0005 });
  assert.ok(Object.isFrozen(DEFAULT_FILL));
});

test("all-in sizing spends the budget on the size and its commission together", () => {
  const size = affordableSize(1010, 100, 0.01);
  assert.ok(Math.abs(size - 10) < 1e-12, `size ${size}`);
  assert.ok(Math.abs(size * 100 * (1 + 0.01) - 1010) < 1e-9, "value plus commission is the budget");
});

test("a fill model from outside is refused naming the field and value unless 0 <= value < 1", () => {
  for (const [k, v] of [["commission", -0.001], ["slippage", 1], ["commission", NaN], ["slippage", Infinity]] as const) {
    assert.throws(() => checkFillModel({ ...DEFAULT_FILL, [k]: v }), (e: Error) => e instanceof RangeError && e.message.startsWith(`${k}: ${v}`));
  }
  assert.equal(checkFillModel({ commission: 0, slippage: 0 }).commission, 0);
});
