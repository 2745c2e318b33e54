// OHLCV rules between bars: close jumps over 50% are refused by row; gaps are reported, not refused; real bad bars are caught.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  barSpacing,
  describeGaps,
  loadOhlcv,
  MAX_CLOSE_JUMP,
  OhlcvError,
  ohlcvGaps,
  parseOhlcvCsv,
} from "../../experiments/ohlcv.ts";

const HEADER = "timestamp,open,high,low,close,volume";
const MIN = 60_000;
const T0 = Date.UTC(2023, 2, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
/** One row a close; open = previous close, high/low around both, 1-minute bars from T0 unless times given. */
function csv(closes: readonly number[], minutes: readonly number[] = closes.map((_, i) => i)): string {
  const rows = closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1];
    return `${iso(T0 + minutes[i] * MIN)},${o},${Math.max(o, c)},${Math.min(o, c)},${c},1`;
  });
  return [HEADER, ...rows].join("\n") + "\n";
}

function refused(text: string): OhlcvError {
  try {
    parseOhlcvCsv(text, "t.csv");
  } catch (err) {
    assert.ok(err instanceof OhlcvError, String(err));
    return err;
  }
  assert.fail("the data was accepted");
}

describe("close jumps", () => {
  test("a close more than 50% above the previous one is refused with both rows and the rule", () => {
    const err = refused(csv([20000, 20000, 20100, 20050, 20000, 20000, 30500, 30400]));
    assert.equal(err.problems.length, 1, err.message);
    assert.deepEqual(err.problems[0], {
      row: 7, column: "close", value: "30500",
      rule: "jumps 52.5% from row 6's 20000 (rule: |close change| <= 50% between bars)",
    });
    assert.ok(err.message.includes(`row 7, column close: "30500" jumps 52.5% from row 6's 20000 (rule: |close change| <= 50% between bars)`), err.message);
  });

  test("a fall of more than 50% is refused too, signed", () => {
    const err = refused(csv([20000, 9999]));
    assert.equal(err.problems[0].row, 2);
    assert.equal(err.problems[0].rule, "jumps -50.01% from row 1's 20000 (rule: |close change| <= 50% between bars)");
  });

  test("exactly 50% either way is allowed: the rule fires beyond its threshold", () => {
    assert.equal(MAX_CLOSE_JUMP, 0.5);
    assert.equal(parseOhlcvCsv(csv([20000, 30000, 15000])).close.length, 3);
  });

  test("just beyond 50% shows enough decimals to be beyond it", () => {
    const err = refused(csv([20000, 30000.2]));
    assert.match(err.problems[0].rule, /^jumps 50\.001% from/);
  });

  test("every jump is listed, and a row already broken on its own is not also judged against its neighbours", () => {
    const err = refused(csv([100, 200, 100]).replace(",200,1\n", ",abc,1\n"));
    assert.deepEqual(err.problems.map((p) => [p.row, p.column]), [[2, "close"]]);
    assert.match(err.problems[0].rule, /not a number/);
    const two = refused(csv([100, 151, 75]));
    assert.deepEqual(two.problems.map((p) => p.row), [2, 3]);
  });
});

describe("gaps", () => {
  test("missing bars are not fatal; ohlcvGaps reports each with the row after it, both times and the count", () => {
    // 1-minute bars with minutes 3-4 missing (2 bars) and minute 9 missing (1 bar).
    const bars = parseOhlcvCsv(csv([10, 10, 10, 10, 10, 10, 10, 10], [0, 1, 2, 5, 6, 7, 8, 10]));
    assert.equal(barSpacing(bars.timestamps), MIN);
    assert.deepEqual(ohlcvGaps(bars), [
      { row: 4, from: T0 + 2 * MIN, to: T0 + 5 * MIN, missingBars: 2 },
      { row: 8, from: T0 + 8 * MIN, to: T0 + 10 * MIN, missingBars: 1 },
    ]);
  });

  test("the usual spacing is the median one, so hourly files are judged in hours", () => {
    const bars = parseOhlcvCsv(csv([10, 10, 10, 10, 10], [0, 60, 120, 300, 360]));
    assert.equal(barSpacing(bars.timestamps), 60 * MIN);
    assert.deepEqual(ohlcvGaps(bars), [{ row: 4, from: T0 + 120 * MIN, to: T0 + 300 * MIN, missingBars: 2 }]);
  });

  test("a spacing that is not a whole number of bars counts the bar slots it skips", () => {
    const bars = parseOhlcvCsv(csv([10, 10, 10, 10], [0, 1, 2, 3.5]));
    assert.deepEqual(ohlcvGaps(bars).map((g) => [g.row, g.missingBars]), [[4, 1]]);
  });

  test("no gaps in regular bars, nor with one bar", () => {
    assert.deepEqual(ohlcvGaps(parseOhlcvCsv(csv([1, 1, 1]))), []);
    assert.deepEqual(ohlcvGaps(parseOhlcvCsv(csv([1]))), []);
    assert.ok(Number.isNaN(barSpacing(new Float64Array(1))));
  });

  test("describeGaps: count, bars missing, the first few with rows and times, then how many more", () => {
    assert.equal(describeGaps([]), "no gaps");
    const one = { row: 4, from: T0 + 2 * MIN, to: T0 + 5 * MIN, missingBars: 2 };
    assert.equal(describeGaps([one]), "1 gap, 2 bars missing: 2 before row 4 (2023-03-01T00:02Z → 2023-03-01T00:05Z)");
    const many = Array.from({ length: 5 }, (_, i) => ({ row: 10 * (i + 1), from: T0 + 10 * i * MIN, to: T0 + (10 * i + 2) * MIN, missingBars: 1 }));
    const text = describeGaps(many, 2);
    assert.equal(text, "5 gaps, 5 bars missing: 1 before row 10 (2023-03-01T00:00Z → 2023-03-01T00:02Z); 1 before row 20 (2023-03-01T00:10Z → 2023-03-01T00:12Z); and 3 more");
  });
});

describe("real data", () => {
  const fixture = fileURLToPath(new URL("../fixtures/btcusd-1h-cryptocompare-2021-01-04-bad-bar.csv", import.meta.url));

  test("the original hourly bar of 2021-01-04T05:00Z (high below open) is refused by row and rule", async () => {
    // Lines 9854-9865 of the CryptoCompare hourly file, unchanged (CRLF kept): the bad bar is
    // row 9859 of the full file, row 7 of this slice.
    await assert.rejects(loadOhlcv(fixture), (err: unknown) => {
      assert.ok(err instanceof OhlcvError, String(err));
      assert.equal(err.total, 1, err.message);
      assert.deepEqual(err.problems[0], {
        row: 7, column: "high", value: "33128.82",
        rule: "is below max(open, close) = 33287.7 (rule: high >= max(open, close))",
      });
      assert.match(err.message, /btcusd-1h-cryptocompare-2021-01-04-bad-bar\.csv: 1 problem, no bars loaded:\n {2}row 7, column high: "33128\.82" is below max\(open, close\) = 33287\.7/);
      return true;
    });
  });

  test("the repo's hourly subset loads clean: 17,520 bars, 2022-01-01 to 2023-12-31, no gaps", async () => {
    const b = await loadOhlcv(fileURLToPath(new URL("../../data/btcusd-1h-cryptocompare-2022-01-01_2023-12-31.csv.gz", import.meta.url)));
    assert.equal(b.close.length, 17_520);
    assert.equal(b.timestamps[0], Date.UTC(2022, 0, 1));
    assert.equal(b.timestamps[17_519], Date.UTC(2023, 11, 31, 23));
    assert.equal(barSpacing(b.timestamps), 60 * MIN);
    assert.deepEqual(ohlcvGaps(b), []);
    assert.equal(b.close[0], 46657.53);
  });
});
