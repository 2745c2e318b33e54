// The reference cut into windows of the runs' length: how many, what is dropped, each window's facts, the runs judged against the windows' median, the refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MIN_FACTS_BARS, stylizedFacts, type Facts } from "../../experiments/facts.ts";
import { FACT_KEYS, spreadOf, withinOf } from "../../experiments/facts-spread.ts";
import { compareToWindows, medianFacts, referenceWindows, ReferenceWindowsError, windowRowsToJson, windowsSpread } from "../../experiments/reference-windows.ts";

/** A random-walk close and a volume tied to |r|, deterministic (a small LCG), `n` bars. */
function bars(n: number, seed = 1): { close: Float64Array; volume: Float64Array } {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    const r = (u() - 0.5) * 0.01 * (u() < 0.05 ? 5 : 1);
    p *= Math.exp(r);
    close[i] = p;
    volume[i] = 1 + 100 * Math.abs(r) + u();
  }
  return { close, volume };
}

test("the reference is cut into consecutive windows from its start, the remainder dropped, each window's facts those of its slice", () => {
  const w = MIN_FACTS_BARS;
  const ref = bars(3 * w + w - 1, 7);
  const windows = referenceWindows(ref, w);
  assert.equal(windows.length, 3, "3 whole windows; the last w - 1 bars make no window");
  windows.forEach((f, k) => {
    assert.equal(f.bars, w);
    const slice = { close: ref.close.slice(k * w, (k + 1) * w), volume: ref.volume.slice(k * w, (k + 1) * w) };
    assert.deepEqual(f, stylizedFacts(slice), `window ${k}`);
  });
  assert.notDeepEqual(windows[0], windows[1], "windows are different stretches of the reference");
  assert.equal(referenceWindows(bars(2 * w), w).length, 2, "exactly two windows fit without remainder");
});

test("refused: a window shorter than the facts need, or a reference holding fewer than 2 windows, with the numbers", () => {
  const w = MIN_FACTS_BARS;
  assert.throws(() => referenceWindows(bars(10 * w), w - 1), (e: unknown) => e instanceof ReferenceWindowsError && new RegExp(`window of ${w - 1} bars .*at least ${w} bars`).test(e.message));
  assert.throws(() => referenceWindows(bars(10 * w), 250.5), ReferenceWindowsError);
  assert.throws(
    () => referenceWindows(bars(2 * w - 1), w),
    (e: unknown) => e instanceof ReferenceWindowsError && e.message === `the reference holds ${2 * w - 1} bars, 1 window of ${w} bars; a spread across windows needs at least 2 (${2 * w} bars)`,
  );
});

test("each fact's spread across windows, and the runs judged against the windows' median (±30%, median inside the runs' range)", () => {
  const w = MIN_FACTS_BARS;
  const windows = referenceWindows(bars(5 * w, 3), w);
  const runs: Facts[] = [11, 12, 13].map((seed) => stylizedFacts(bars(w, seed)));
  const spread = windowsSpread(windows);
  assert.deepEqual(spread.map((r) => r.key), FACT_KEYS.map((k) => k.key));
  const rows = compareToWindows(runs, windows);
  rows.forEach((row, i) => {
    const get = FACT_KEYS[i].get;
    const win = spreadOf(windows.map(get));
    const run = spreadOf(runs.map(get));
    assert.equal(row.key, FACT_KEYS[i].key);
    assert.deepEqual([row.windows.median, row.windows.min, row.windows.max, row.windows.n], [win.median, win.min, win.max, win.n], row.key);
    assert.equal(row.runs.median, run.median);
    assert.equal(row.runsWithin, withinOf(run.median, win.median), row.key);
    assert.equal(row.medianInRunsRange, run.min <= win.median && win.median <= run.max, row.key);
  });
  // Runs that are the windows themselves: the median matches and lies in range on every finite fact.
  const self = compareToWindows(windows, windows);
  assert.ok(self.filter((r) => r.windows.n > 0 && r.windows.median !== 0).every((r) => r.runsWithin && r.medianInRunsRange));
  const json = windowRowsToJson(rows);
  assert.deepEqual(Object.keys(json[0]), ["key", "label", "n", "median", "lo", "hi", "min", "max", "runsWithin", "medianInRunsRange"]);
  assert.equal(json[0].median, Number(rows[0].windows.median.toPrecision(4)));
});

test("the windows' median counts as in the runs' range only between their min and max, both ends included", () => {
  const flat = (v: number) => {
    const g = (keys: readonly number[]) => Object.fromEntries(keys.map((k) => [String(k), v]));
    return { bars: 300, stdPct: v, kurtosis: g([1, 5, 10, 60]), acf: g([1, 2, 3, 4, 5]), absAcf: g([1, 5, 10, 30, 60]), hill: v, volumeAbsCorr: v } as unknown as Facts;
  };
  const runs = [flat(1), flat(2)];
  const check = (windowValue: number, inRange: boolean, within: boolean) => {
    for (const r of compareToWindows(runs, [flat(windowValue), flat(windowValue)])) {
      assert.equal(r.medianInRunsRange, inRange, `${r.key} at ${windowValue}`);
      assert.equal(r.runsWithin, within, `${r.key} at ${windowValue}`);
    }
  };
  check(2.1, false, true); // above the runs' max, yet their median 1.5 is within 30% of 2.1
  check(2.5, false, false);
  check(0.5, false, false);
  check(2, true, true);
  check(1, true, false);
  check(1.6, true, true);
});

test("medianFacts: every fact the windows' median (NaN left out), bars the windows' length; refused without windows or with mixed lengths", () => {
  const w = MIN_FACTS_BARS;
  for (const count of [4, 5]) {
    const windows = referenceWindows(bars(count * w, 5), w);
    const m = medianFacts(windows);
    assert.deepEqual(Object.keys(m), Object.keys(windows[0]), "the same fields as one window's facts");
    for (const g of ["kurtosis", "acf", "absAcf"] as const) assert.deepEqual(Object.keys(m[g]), Object.keys(windows[0][g]), g);
    assert.equal(m.bars, w);
    for (const { key, get } of FACT_KEYS) assert.equal(get(m), spreadOf(windows.map(get)).median, `${key} of ${count} windows`);
  }
  const windows = referenceWindows(bars(3 * w, 9), w);
  const withNaN = [...windows, { ...windows[0], hill: NaN }];
  assert.equal(medianFacts(withNaN).hill, spreadOf(windows.map((f) => f.hill)).median, "a NaN window is left out of that fact");
  assert.equal(medianFacts([{ ...windows[0], hill: NaN }]).hill, NaN);
  assert.throws(() => medianFacts([]), ReferenceWindowsError);
  assert.throws(() => medianFacts([windows[0], stylizedFacts(bars(w + 1))]), (e: unknown) => e instanceof ReferenceWindowsError && e.message.includes(`differ in length (${w} and ${w + 1} bars)`));
});
