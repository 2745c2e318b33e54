// The row validator's fast path accepts exactly what the zod row schemas accept, with the same values and problems.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { OhlcvError } from "../../experiments/ohlcv.ts";
import { ARROW_ROW, BarsBuilder, CSV_ROW, type Raw } from "../../experiments/ohlcv-rows.ts";

const COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;

/** What the schema alone says of one row: its values, or its problems as the validator words them. */
function bySchema(schema: typeof CSV_ROW, raw: Record<(typeof COLUMNS)[number], Raw>) {
  const r = schema.safeParse(raw);
  if (r.success) return { values: COLUMNS.map((c) => r.data[c]) };
  return {
    problems: r.error.issues.map((i) => {
      const v = raw[String(i.path[0]) as (typeof COLUMNS)[number]];
      const missing = v === null || v === undefined || (typeof v === "string" && v.trim() === "");
      return { row: 1, column: String(i.path[0] ?? ""), value: missing ? "" : String(v), rule: i.message };
    }),
  };
}

function byBuilder(kind: "csv" | "arrow", cells: readonly Raw[]) {
  const b = new BarsBuilder("t", kind);
  b.add(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]);
  try {
    const bars = b.finish();
    return { values: [bars.timestamps[0], bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]] };
  } catch (err) {
    assert.ok(err instanceof OhlcvError, String(err));
    return { problems: err.problems };
  }
}

const text = fc.constantFrom("100", " 101.5 ", "99", "1e2", "+100", ".5", "5.", "-1", "-0", "0", "abc", "", "  ", "NaN", "Infinity", "1e400", "0x10", "1_0", "100\r", "€");
const time = fc.constantFrom(
  "2023-03-01T00:00:00Z", " 2023-03-01 00:01:00+00:00 ", "2023-03-01T00:02:00.123456789Z", "2023-03-01T00:03Z", "2023-03-01T00:00:00+02:00",
  "2023-02-30T00:00:00Z", "1677628800000", "1677628800", "99999999999999999", "-5", "", "yesterday", "1.5",
);

test("CSV rows: the fast path agrees with CSV_ROW on acceptance, values and problems", () => {
  fc.assert(
    fc.property(fc.tuple(time, text, text, text, text, text), (cells) => {
      const raw = Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]])) as Record<(typeof COLUMNS)[number], Raw>;
      assert.deepEqual(byBuilder("csv", cells), bySchema(CSV_ROW, raw));
    }),
    { numRuns: 3000, seed: 6 },
  );
});

test("Arrow rows: the fast path agrees with ARROW_ROW for numbers, bigints, strings and nulls", () => {
  const cell: fc.Arbitrary<Raw> = fc.oneof(
    fc.constantFrom(100, 101.5, 99, 0, -0, -1, NaN, Infinity, null, undefined, 100n, -3n),
    fc.double({ min: 50, max: 150, noNaN: true }),
    text,
  );
  fc.assert(
    fc.property(fc.tuple(cell, cell, cell, cell, cell, cell), (cells) => {
      const raw = Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]])) as Record<(typeof COLUMNS)[number], Raw>;
      assert.deepEqual(byBuilder("arrow", cells), bySchema(ARROW_ROW, raw));
    }),
    { numRuns: 3000, seed: 7 },
  );
});
