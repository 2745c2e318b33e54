// Differential test: every strategy's signals and the regime labels over five long seeded series equal those recorded before the indicator bank.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DIGEST_BARS, DIGEST_SEEDS, DIGEST_STRATEGIES, digestBars, digestSeries, FIXTURE } from "./signal-digest.ts";

const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { bars: number; digests: Record<string, Record<string, string>> };

test("the fixture covers every seed and every digested strategy", () => {
  assert.equal(fixture.bars, DIGEST_BARS);
  for (const seed of DIGEST_SEEDS) {
    const keys = Object.keys(fixture.digests[`seed ${seed}`]);
    for (const name of Object.keys(DIGEST_STRATEGIES)) assert.ok(keys.includes(name), `seed ${seed}: ${name}`);
    assert.ok(keys.includes("ensemble:regime") && keys.includes("regime-detector"), `seed ${seed}: regime labels`);
  }
});

test("the series have flat stretches (no range at all) and moving stretches", () => {
  for (const seed of DIGEST_SEEDS) {
    const bars = digestBars(seed);
    const flat = bars.filter((b) => b.high === b.low).length;
    assert.ok(flat > 1000 && flat < bars.length / 2, `seed ${seed}: ${flat} flat bars`);
  }
});

for (const seed of DIGEST_SEEDS) {
  test(`seed ${seed}: ${DIGEST_BARS} bars give the recorded signals and regime labels, strategy by strategy`, () => {
    const got = digestSeries(seed);
    const want = fixture.digests[`seed ${seed}`];
    for (const key of Object.keys(want)) assert.equal(got[key], want[key], `seed ${seed}: ${key}`);
  });
}
