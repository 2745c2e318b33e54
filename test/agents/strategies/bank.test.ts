// The indicator bank: one indicator per (kind, period), advanced once per bar, with the values each reader would compute alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EMA, SMA } from "trading-signals";
import { Adx, Atr } from "../../../agents/strategies/indicators/candle-indicators.ts";
import { IndicatorBank } from "../../../agents/strategies/indicators/bank.ts";
import type { Candle } from "../../../agents/strategies/strategy.ts";
import { randomBars } from "./bars.ts";

test("asking twice for the same kind and period gives the same feed; another period or kind another one", () => {
  const bank = new IndicatorBank();
  assert.equal(bank.adx(14), bank.adx(14));
  assert.notEqual(bank.adx(14), bank.adx(10));
  assert.equal(bank.atr(14), bank.atr(14));
  assert.equal(bank.ema(50), bank.ema(50));
  assert.notEqual(bank.ema(9), bank.ema(21));
  assert.equal(bank.volumeMean(20), bank.volumeMean(20));
  assert.notEqual(bank.atr(14) as object, bank.adx(14) as object);
});

test("each feed holds what its indicator computes alone, through one reused bar object", () => {
  const bank = new IndicatorBank();
  const feeds = { adx: bank.adx(14), atr: bank.atr(14), ema: bank.ema(50), volume: bank.volumeMean(20) };
  const adx = new Adx(14);
  const atr = new Atr(14);
  const ema = new EMA(50);
  const sma = new SMA(20);
  let before = NaN;
  const bar: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (const b of randomBars(5, 400)) {
    Object.assign(bar, b);
    bank.update(bar);
    assert.ok(Object.is(feeds.adx.value, adx.update({ ...b }) ?? NaN));
    assert.ok(Object.is(feeds.atr.value, atr.update({ ...b }) ?? NaN));
    assert.ok(Object.is(feeds.ema.value, ema.update(b.close, false)));
    assert.ok(Object.is(feeds.volume.before, before));
    before = sma.update(b.volume, false) ?? NaN;
    assert.ok(Object.is(feeds.volume.value, before));
  }
});

test("a second update with the same bar time does nothing, so every reader may call it", () => {
  const bars = randomBars(3, 60);
  const once = new IndicatorBank();
  const many = new IndicatorBank();
  const a = once.ema(10);
  const b = many.ema(10);
  const v = many.volumeMean(5);
  for (const bar of bars) {
    once.update(bar);
    for (let k = 0; k < 4; k++) many.update(bar);
    assert.equal(b.value, a.value);
  }
  assert.ok(Number.isFinite(v.before) && v.before !== v.value);
});

test("a feed asked for after bars were fed is refused (it would start late); a known one is still handed out", () => {
  const bank = new IndicatorBank();
  const adx = bank.adx(14);
  bank.update(randomBars(1, 1)[0]);
  assert.equal(bank.adx(14), adx);
  assert.throws(() => bank.adx(10), /adx:10 asked for after bars were fed/);
  assert.throws(() => bank.volumeMean(20), /volume-mean:20/);
});
