// Resampling 1-minute bars into UTC-aligned longer bars: aggregation rules, alignment, gaps, composition.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { resample, timeframeMs } from "../../../experiments/backtest/resample.ts";
import type { Ohlcv } from "../../../experiments/ohlcv.ts";

const MIN = 60_000;
const T0 = Date.UTC(2023, 2, 1);

function series(times: readonly number[], f: (i: number) => [number, number, number, number, number]): Ohlcv {
  const n = times.length;
  const o = { timestamps: Float64Array.from(times), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let i = 0; i < n; i++) [o.open[i], o.high[i], o.low[i], o.close[i], o.volume[i]] = f(i);
  return o;
}

const rows = (b: Ohlcv) => Array.from(b.timestamps, (t, i) => [(t - T0) / MIN, b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]]);

test("5m bars: open first, high max, low min, close last, volume summed; buckets start on UTC multiples of 5 minutes", () => {
  // Minutes 3..11: buckets [0,5) holds 3,4; [5,10) holds 5..9; [10,15) holds 10,11.
  const times = [3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => T0 + m * MIN);
  const b = series(times, (i) => [100 + i, 101 + i + (i === 5 ? 10 : 0), 99 + i - (i === 3 ? 5 : 0), 100.5 + i, i + 1]);
  const r = resample(b, "5m");
  assert.deepEqual(rows(r), [
    [0, 100, 102, 99, 101.5, 3],
    [5, 102, 116, 97, 106.5, 3 + 4 + 5 + 6 + 7],
    [10, 107, 109, 106, 108.5, 8 + 9],
  ]);
});

test("a bucket with no source bars is absent; a partial bucket is kept with what it has", () => {
  const times = [0, 1, 2, 30, 31].map((m) => T0 + m * MIN);
  const r = resample(series(times, () => [1, 1, 1, 1, 1]), "15m");
  assert.deepEqual(rows(r).map((x) => [x[0], x[5]]), [[0, 3], [30, 2]]);
});

test("4h and 1d buckets are aligned on UTC hours 0, 4, 8… and UTC midnight", () => {
  const start = Date.UTC(2023, 2, 1, 22, 30);
  const times = Array.from({ length: 180 }, (_, i) => start + i * MIN); // 22:30 → 01:29 next day
  const b = series(times, (i) => [i + 1, i + 1, i + 1, i + 1, 1]);
  assert.deepEqual(Array.from(resample(b, "4h").timestamps), [Date.UTC(2023, 2, 1, 20), Date.UTC(2023, 2, 2, 0)]);
  const d = resample(b, "1d");
  assert.deepEqual(Array.from(d.timestamps), [Date.UTC(2023, 2, 1), Date.UTC(2023, 2, 2)]);
  assert.deepEqual([d.open[0], d.close[0], d.volume[0], d.open[1], d.close[1], d.volume[1]], [1, 90, 90, 91, 180, 90]);
});

test("resampling composes: 1m → 5m → 1h equals 1m → 1h", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 1000 }), (mins, seed) => {
      const times = mins.sort((a, b) => a - b).map((m) => T0 + m * MIN);
      const b = series(times, (i) => {
        const o = ((seed * (i + 7)) % 97) + 10;
        const c = ((seed * (i + 3)) % 89) + 10;
        return [o, Math.max(o, c) + (i % 3), Math.min(o, c) - (i % 2), c, i % 5];
      });
      assert.deepEqual(rows(resample(resample(b, "5m"), "1h")), rows(resample(b, "1h")));
    }),
    { numRuns: 100 },
  );
});

test("timeframeMs parses minutes, hours, days and weeks; anything else is refused naming the value", () => {
  assert.deepEqual(["1m", "5m", "15m", "1h", "4h", "1d", "1w"].map(timeframeMs), [MIN, 5 * MIN, 15 * MIN, 60 * MIN, 240 * MIN, 1440 * MIN, 10080 * MIN]);
  for (const bad of ["", "0m", "5", "1mo", "1.5h", "h"]) assert.throws(() => timeframeMs(bad), new RegExp(`timeframe ${JSON.stringify(bad)}`));
  assert.throws(() => resample(series([T0], () => [1, 1, 1, 1, 1]), "7x"), RangeError);
});
