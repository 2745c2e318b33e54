// SimClock and time units: integer ns that only move forward, within the exact range of a Number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DAY, HOUR, MAX_TIME_NS, MINUTE, MS, SECOND, SimClock, ns } from "../../sim/clock.ts";

test("unit constants are exact integer ns", () => {
  assert.equal(MS, 1e6);
  assert.equal(SECOND, 1e9);
  assert.equal(MINUTE, 60e9);
  assert.equal(HOUR, 3600e9);
  assert.equal(DAY, 86_400e9);
});

test("ns() rounds seconds to exact integer ns and refuses what a Number cannot hold", () => {
  assert.equal(ns(0.1), 100_000_000);
  assert.equal(ns(123.456), 123_456_000_000);
  assert.equal(ns(1e-9), 1);
  assert.throws(() => ns(NaN), /NaN s/);
  assert.throws(() => ns(105 * 86_400), /not representable/);
});

test("the clock advances, allows staying put, and throws on time going backwards", () => {
  const c = new SimClock();
  assert.equal(c.now, 0);
  c.advanceTo(5 * MS);
  c.advanceTo(5 * MS);
  assert.equal(c.now, 5 * MS);
  assert.throws(() => c.advanceTo(5 * MS - 1), /4999999 ns is before now 5000000 ns/);
  assert.equal(c.now, 5 * MS);
});

test("the clock refuses fractional times and times past 2^53 ns (about 104 days)", () => {
  const c = new SimClock();
  assert.throws(() => c.advanceTo(1.5), /1\.5 ns is not a safe integer/);
  assert.ok(MAX_TIME_NS / DAY > 104 && MAX_TIME_NS / DAY < 105);
  c.advanceTo(MAX_TIME_NS);
  assert.throws(() => c.advanceTo(MAX_TIME_NS + 1), /not a safe integer/);
  assert.throws(() => new SimClock(-1), /-1 ns/);
});
