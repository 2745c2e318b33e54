// OHLCV loading: every validation rule refused with row, column, value and rule; CSV, gzip and Arrow round trips.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Float64, Int64, makeData, makeVector, Table, tableToIPC, TimestampNanosecond, vectorFromArray } from "apache-arrow";
import {
  loadOhlcv,
  MAX_PROBLEMS,
  ohlcvFromArrow,
  ohlcvToArrow,
  ohlcvToCsv,
  OhlcvError,
  parseOhlcvCsv,
  type Ohlcv,
} from "../../experiments/ohlcv.ts";
import { REFERENCE_BARS } from "../../experiments/facts.ts";

const TMP = mkdtempSync(join(tmpdir(), "arena-ohlcv-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));

const HEADER = "timestamp,open,high,low,close,volume";
const GOOD = [
  "2023-03-01T00:00:00Z,100,101,99,100.5,1.5",
  "2023-03-01T00:01:00Z,100.5,102,100,101,0",
  "2023-03-01T00:02:00Z,101,101.5,98,99,2.25",
];
const csv = (rows: readonly string[], header = HEADER) => [header, ...rows].join("\n") + "\n";

/** Parses and returns the OhlcvError, failing if the text was accepted. */
function refused(text: string): OhlcvError {
  try {
    parseOhlcvCsv(text, "t.csv");
  } catch (err) {
    assert.ok(err instanceof OhlcvError, String(err));
    return err;
  }
  assert.fail("the data was accepted");
}

function assertBarsEqual(a: Ohlcv, b: Ohlcv): void {
  for (const k of ["timestamps", "open", "high", "low", "close", "volume"] as const) assert.deepEqual(Array.from(a[k]), Array.from(b[k]), k);
}

test("parses clean CSV into Float64Arrays with Unix ms timestamps", () => {
  const b = parseOhlcvCsv(csv(GOOD));
  assert.ok(b.close instanceof Float64Array);
  assert.deepEqual(Array.from(b.timestamps), [0, 1, 2].map((m) => Date.UTC(2023, 2, 1, 0, m)));
  assert.deepEqual(Array.from(b.open), [100, 100.5, 101]);
  assert.deepEqual(Array.from(b.high), [101, 102, 101.5]);
  assert.deepEqual(Array.from(b.low), [99, 100, 98]);
  assert.deepEqual(Array.from(b.close), [100.5, 101, 99]);
  assert.deepEqual(Array.from(b.volume), [1.5, 0, 2.25]);
});

test("timestamps may be ISO 8601 UTC (Z or +00:00), Unix ms or Unix s; columns in any order, CRLF allowed", () => {
  const t0 = Date.UTC(2023, 2, 1);
  const forms = [
    ["2023-03-01T00:00:00Z", "2023-03-01T00:01:00.000Z"],
    ["2023-03-01 00:00:00+00:00", "2023-03-01T00:01:00+0000"],
    [String(t0), String(t0 + 60_000)],
    [String(t0 / 1000), String(t0 / 1000 + 60)],
  ];
  for (const [a, b] of forms) {
    const bars = parseOhlcvCsv(`volume,close,low,high,open,timestamp\r\n1,100,99,101,100,${a}\r\n1,100,99,101,100,${b}\r\n`);
    assert.deepEqual(Array.from(bars.timestamps), [t0, t0 + 60_000], `${a}, ${b}`);
  }
});

describe("each rule is refused with the row, the column, the value and the rule", () => {
  const cases: { name: string; text: string; row: number; column: string; value: string; rule: RegExp }[] = [
    { name: "missing column", text: csv(GOOD.map((r) => r.split(",").slice(0, 5).join(",")), "timestamp,open,high,low,close"), row: 0, column: "volume", value: "", rule: /missing from the header/ },
    { name: "unparsable number", text: csv([GOOD[0], "2023-03-01T00:01:00Z,100.5,102,100,abc,0"]), row: 2, column: "close", value: "abc", rule: /not a number/ },
    { name: "NaN", text: csv([GOOD[0], "2023-03-01T00:01:00Z,NaN,102,100,101,0"]), row: 2, column: "open", value: "NaN", rule: /not a number/ },
    { name: "empty value", text: csv(["2023-03-01T00:00:00Z,100,101,99,100.5,"]), row: 1, column: "volume", value: "", rule: /missing/ },
    { name: "zero price", text: csv([GOOD[0], GOOD[1], "2023-03-01T00:02:00Z,101,101.5,0,99,2.25"]), row: 3, column: "low", value: "0", rule: /price > 0/ },
    { name: "negative price", text: csv(["2023-03-01T00:00:00Z,-100,101,99,100.5,1.5"]), row: 1, column: "open", value: "-100", rule: /price > 0/ },
    { name: "negative volume", text: csv([GOOD[0], "2023-03-01T00:01:00Z,100.5,102,100,101,-0.1"]), row: 2, column: "volume", value: "-0.1", rule: /volume >= 0/ },
    { name: "high below max(open, close)", text: csv([GOOD[0], "2023-03-01T00:01:00Z,100.5,100.8,100,101,0"]), row: 2, column: "high", value: "100.8", rule: /high >= max\(open, close\)/ },
    { name: "low above min(open, close)", text: csv([GOOD[0], "2023-03-01T00:01:00Z,100.5,102,100.6,101,0"]), row: 2, column: "low", value: "100.6", rule: /low <= min\(open, close\)/ },
    { name: "duplicate timestamp", text: csv([GOOD[0], GOOD[1], GOOD[1]]), row: 3, column: "timestamp", value: "2023-03-01T00:01:00Z", rule: /no duplicate timestamps/ },
    { name: "unsorted timestamps", text: csv([GOOD[1], GOOD[0]]), row: 2, column: "timestamp", value: "2023-03-01T00:00:00Z", rule: /sorted ascending/ },
    { name: "unparsable timestamp", text: csv(["yesterday,100,101,99,100.5,1.5"]), row: 1, column: "timestamp", value: "yesterday", rule: /ISO 8601 UTC/ },
    { name: "timestamp not in UTC", text: csv(["2023-03-01T00:00:00+02:00,100,101,99,100.5,1.5"]), row: 1, column: "timestamp", value: "2023-03-01T00:00:00+02:00", rule: /ISO 8601 UTC/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const err = refused(c.text);
      assert.equal(err.problems.length, 1, err.message);
      const p = err.problems[0];
      assert.equal(p.row, c.row);
      assert.equal(p.column, c.column);
      assert.equal(p.value, c.value);
      assert.match(p.rule, c.rule);
      assert.match(err.message, /^t\.csv: 1 problem, no bars loaded/);
      if (c.row > 0) assert.ok(err.message.includes(`row ${c.row}, column ${c.column}`), err.message);
    });
  }

  test("a row with the wrong number of fields", () => {
    const err = refused(csv([GOOD[0], "2023-03-01T00:01:00Z,100.5,102"]));
    assert.equal(err.problems[0].row, 2);
    assert.match(err.problems[0].rule, /has 3 fields/);
  });

  test("a file with a header and no rows", () => {
    assert.match(refused(csv([])).message, /no bars/);
  });
});

test("all problems are listed, up to MAX_PROBLEMS, with the total; nothing partial is returned", () => {
  const rows = Array.from({ length: 25 }, (_, i) => `${Date.UTC(2023, 2, 1, 0, i)},100,99,98,100,1`);
  const err = refused(csv(rows));
  assert.equal(err.total, 25);
  assert.equal(err.problems.length, MAX_PROBLEMS);
  assert.deepEqual(err.problems.map((p) => p.row), Array.from({ length: MAX_PROBLEMS }, (_, i) => i + 1));
  assert.match(err.message, /25 problems \(first 20 listed\)/);
});

test("the 2021-01-04 bar of the hourly file (high below open) is reported by row and rule", () => {
  const err = refused(csv(["2021-01-04T04:00:00Z,33000,33300,32900,33287.7,10", "2021-01-04T05:00:00Z,33287.7,33128.82,32000,32500,10"]));
  assert.equal(err.problems[0].row, 2);
  assert.match(err.message, /row 2, column high: "33128\.82" is below max\(open, close\) = 33287\.7/);
});

const SAMPLE: Ohlcv = parseOhlcvCsv(csv(GOOD));

test("CSV round trip: ohlcvToCsv then parse gives the same bars", () => {
  assertBarsEqual(parseOhlcvCsv(ohlcvToCsv(SAMPLE)), SAMPLE);
});

test("Arrow round trip: ohlcvToArrow then ohlcvFromArrow gives the same bars", () => {
  assertBarsEqual(ohlcvFromArrow(ohlcvToArrow(SAMPLE)), SAMPLE);
});

test("loadOhlcv recognises CSV, gzipped CSV and Arrow files by their content", async () => {
  const files = {
    "a.csv": Buffer.from(ohlcvToCsv(SAMPLE)),
    "a.csv.gz": gzipSync(ohlcvToCsv(SAMPLE)),
    "bars.arrow": Buffer.from(ohlcvToArrow(SAMPLE)),
  };
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(join(TMP, name), bytes);
    assertBarsEqual(await loadOhlcv(join(TMP, name)), SAMPLE);
  }
});

test("Arrow: ts_ns (Int64 ns) or time (Timestamp) instead of timestamp", () => {
  const n = 3;
  const f64 = (a: Float64Array) => makeVector(makeData({ type: new Float64(), length: n, data: a }));
  const ns = BigInt64Array.from(Array.from(SAMPLE.timestamps, (ms) => BigInt(ms) * 1_000_000n));
  const cols = { open: f64(SAMPLE.open), high: f64(SAMPLE.high), low: f64(SAMPLE.low), close: f64(SAMPLE.close), volume: f64(SAMPLE.volume) };
  const withTsNs = new Table({ ts_ns: makeVector(makeData({ type: new Int64(), length: n, data: ns })), ...cols });
  assertBarsEqual(ohlcvFromArrow(tableToIPC(withTsNs, "file")), SAMPLE);
  const withTime = new Table({ time: makeVector(makeData({ type: new TimestampNanosecond("UTC"), length: n, data: ns })), ...cols });
  assertBarsEqual(ohlcvFromArrow(tableToIPC(withTime, "stream")), SAMPLE);
});

test("Arrow: missing columns, nulls and broken row rules are refused like CSV", () => {
  const noVolume = new Table({ timestamp: vectorFromArray([1, 2], new Float64()), open: vectorFromArray([1, 1], new Float64()) });
  assert.throws(() => ohlcvFromArrow(tableToIPC(noVolume, "file"), "x.arrow"), (err: unknown) => {
    assert.ok(err instanceof OhlcvError);
    assert.deepEqual(err.problems.map((p) => [p.row, p.column]), [[0, "high"], [0, "low"], [0, "close"], [0, "volume"]]);
    assert.match(err.message, /^x\.arrow: 4 problems/);
    return true;
  });
  const bad: Ohlcv = { ...SAMPLE, high: Float64Array.from([101, 100.2, 101.5]) };
  assert.throws(() => ohlcvFromArrow(ohlcvToArrow(bad), "x.arrow"), (err: unknown) => {
    assert.ok(err instanceof OhlcvError);
    assert.deepEqual(err.problems[0], { row: 2, column: "high", value: "100.2", rule: "is below max(open, close) = 101 (rule: high >= max(open, close))" });
    return true;
  });
  const withNull = new Table({
    timestamp: vectorFromArray([1, 2], new Float64()), open: vectorFromArray([1, null], new Float64()),
    high: vectorFromArray([1, 1], new Float64()), low: vectorFromArray([1, 1], new Float64()),
    close: vectorFromArray([1, 1], new Float64()), volume: vectorFromArray([1, 1], new Float64()),
  });
  assert.throws(() => ohlcvFromArrow(tableToIPC(withNull, "file")), (err: unknown) => {
    assert.ok(err instanceof OhlcvError);
    assert.deepEqual([err.problems[0].row, err.problems[0].column], [2, "open"]);
    assert.match(err.problems[0].rule, /missing/);
    return true;
  });
  assert.throws(() => ohlcvFromArrow(new Uint8Array([65, 82, 82, 79, 87, 49, 0, 0])), /not a readable Arrow IPC file/);
});

test("the repo's real BTC/USDT file loads clean: 30,240 one-minute bars from 2023-03-01", async () => {
  const b = await loadOhlcv(REFERENCE_BARS.path);
  assert.equal(b.close.length, 30_240);
  assert.equal(b.timestamps[0], Date.UTC(2023, 2, 1));
  assert.equal(b.timestamps[30_239], Date.UTC(2023, 2, 21, 23, 59));
  assert.equal(b.close[0], 23142.31);
});
