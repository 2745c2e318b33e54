// OHLCV bars from CSV (optionally gzipped) or Arrow IPC files, validated at the boundary with zod.
import {
  DataType,
  Float64,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchReader,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  type Vector,
} from "apache-arrow";
import { OHLCV_COLUMNS, OhlcvCsvReader } from "./ohlcv-csv.ts";
import { fileError, OhlcvError, Problems } from "./ohlcv-error.ts";
import { BarsBuilder, type Raw } from "./ohlcv-rows.ts";
import { withBarsFile } from "./ohlcv-source.ts";

/**
 * Bars in file order, one array element per bar. `timestamps` are Unix milliseconds (UTC) of
 * the bar's open; prices in the file's quote currency; volume in the base currency.
 */
export interface Ohlcv {
  readonly timestamps: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export { OHLCV_COLUMNS, OhlcvCsvReader, parseOhlcvCsv } from "./ohlcv-csv.ts";
export { formatProblem, MAX_PROBLEMS, OhlcvError, type OhlcvProblem } from "./ohlcv-error.ts";
export { MAX_CLOSE_JUMP } from "./ohlcv-rows.ts";

// ---- gaps ----

/** Bars missing between two consecutive rows. Times are Unix ms of the bars' opens. */
export interface OhlcvGap {
  /** 1-based row of the bar after the gap (the bar before it is row - 1). */
  readonly row: number;
  /** Open time of the bar before the gap. */
  readonly from: number;
  /** Open time of the bar after the gap. */
  readonly to: number;
  /** Bars the usual spacing would have put strictly between `from` and `to`. */
  readonly missingBars: number;
}

/**
 * The file's usual bar spacing in ms: the median of the spacings between consecutive bars (the
 * lower middle one for an even count, so it is a spacing that occurs); NaN for fewer than 2 bars.
 */
export function barSpacing(timestamps: Float64Array): number {
  const n = timestamps.length;
  if (n < 2) return NaN;
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = timestamps[i] - timestamps[i - 1];
  d.sort();
  return d[(d.length - 1) >> 1];
}

/**
 * Missing bars: every spacing between consecutive bars larger than the usual one (barSpacing).
 * Real data has gaps (exchange outages, delistings), so they are reported, never refused.
 */
export function ohlcvGaps(bars: Ohlcv): OhlcvGap[] {
  const t = bars.timestamps;
  const step = barSpacing(t);
  const gaps: OhlcvGap[] = [];
  if (!(step > 0)) return gaps;
  for (let i = 1; i < t.length; i++) {
    const d = t[i] - t[i - 1];
    if (d > step) gaps.push({ row: i + 1, from: t[i - 1], to: t[i], missingBars: Math.ceil(d / step) - 1 });
  }
  return gaps;
}

const isoShort = (ms: number) => new Date(ms).toISOString().replace(":00.000Z", "Z");

/**
 * Gaps in one line for a warning: how many, bars missing in all, the first `max` of them and a
 * count of the rest, e.g. `2 gaps, 5 bars missing: 3 before row 7 (2023-03-01T00:05Z →
 * 2023-03-01T00:09Z); 2 before row 12 (...)`. "no gaps" when there are none.
 */
export function describeGaps(gaps: readonly OhlcvGap[], max = 3): string {
  if (gaps.length === 0) return "no gaps";
  let missing = 0;
  for (const g of gaps) missing += g.missingBars;
  const head = `${gaps.length === 1 ? "1 gap" : `${gaps.length} gaps`}, ${missing === 1 ? "1 bar" : `${missing} bars`} missing`;
  const listed = gaps.slice(0, max).map((g) => `${g.missingBars} before row ${g.row} (${isoShort(g.from)} → ${isoShort(g.to)})`);
  const more = gaps.length > max ? `; and ${gaps.length - max} more` : "";
  return `${head}: ${listed.join("; ")}${more}`;
}

// ---- CSV ----

/** Writes bars as CSV with the canonical header and ISO 8601 UTC timestamps. */
export function ohlcvToCsv(bars: Ohlcv): string {
  const out = [OHLCV_COLUMNS.join(",")];
  for (let i = 0; i < bars.close.length; i++) {
    const t = new Date(bars.timestamps[i]).toISOString().replace(".000Z", "Z");
    out.push(`${t},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`);
  }
  return out.join("\n") + "\n";
}

// ---- Arrow ----

/** Unix ms from an Arrow cell: Timestamp columns read as ms already; Int64 is ms, or ns for `ts_ns`. */
function timeCell(v: unknown, nanos: boolean): Raw {
  if (v === null || v === undefined) return null;
  const n = typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : NaN;
  return nanos ? n / 1e6 : n;
}

/** Why an Arrow file cannot be read: its bytes, not the reader's internals (those name fields of its own code). */
const CORRUPT_ARROW = "is not a readable Arrow IPC file: it is truncated or corrupt (rule: an Arrow IPC file or stream, as pyarrow, polars or arena write them)";

/**
 * The table in Arrow IPC bytes, or null when they are damaged in a way the reader would not
 * notice. A file is read batch by batch from its footer's blocks: apache-arrow's own loop
 * re-reads a block forever when the message there is not a record batch, and a damaged footer
 * can claim billions of them (each takes a 24-byte block).
 * @throws whatever the reader throws on other damage.
 */
function arrowTable(bytes: Uint8Array): Table | null {
  const reader = RecordBatchReader.from(bytes).open();
  if (!reader.isFile()) return tableFromIPC(reader);
  if ((reader.numRecordBatches + reader.numDictionaries) * 24 > bytes.length) return null;
  const batches: RecordBatch[] = [];
  for (let i = 0; i < reader.numRecordBatches; i++) {
    const batch = reader.readRecordBatch(i);
    if (batch === null) return null;
    batches.push(batch);
  }
  return new Table(reader.schema, batches);
}

/**
 * Reads bars from Arrow IPC bytes (file or stream format): `timestamp` (Timestamp of any unit,
 * or an integer column in Unix ms), else `time` (Timestamp), else `ts_ns` (Int64 ns), plus
 * numeric `open`, `high`, `low`, `close`, `volume`.
 * @throws OhlcvError for unreadable bytes, missing columns or any broken row rule.
 */
export function ohlcvFromArrow(bytes: Uint8Array, source = "arrow"): Ohlcv {
  // Damaged bytes surface as any error from deep inside the reader, while parsing or on first access to a value.
  const corrupt = () => fileError(source, `${CORRUPT_ARROW}; ${bytes.length} bytes`);
  let table: Table | null;
  try {
    table = arrowTable(bytes);
  } catch {
    throw corrupt();
  }
  if (table === null) throw corrupt();
  const problems = new Problems();
  const timeName = ["timestamp", "time", "ts_ns"].find((c) => table.getChild(c) !== null);
  if (timeName === undefined) problems.add({ row: 0, column: "timestamp", value: "", rule: "is missing (rule: a timestamp, time or ts_ns column)" });
  for (const c of OHLCV_COLUMNS.slice(1)) {
    if (table.getChild(c) === null) problems.add({ row: 0, column: c, value: "", rule: "is missing (rule: columns timestamp, open, high, low, close, volume)" });
  }
  if (problems.total > 0) throw new OhlcvError(source, problems.kept, problems.total);
  const timeVec = table.getChild(timeName!)!;
  const nanos = timeName === "ts_ns" && !DataType.isTimestamp(timeVec.type);
  const vec = OHLCV_COLUMNS.slice(1).map((c) => table.getChild(c)! as Vector);
  const num = (v: unknown): Raw => (v === null || v === undefined ? null : typeof v === "bigint" ? Number(v) : (v as number | string));
  const bars = new BarsBuilder(source, "arrow", table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    let t: Raw, o: Raw, h: Raw, l: Raw, c: Raw, v: Raw;
    try {
      t = timeCell(timeVec.get(i), nanos);
      [o, h, l, c, v] = [num(vec[0].get(i)), num(vec[1].get(i)), num(vec[2].get(i)), num(vec[3].get(i)), num(vec[4].get(i))];
    } catch {
      throw corrupt();
    }
    bars.add(t, o, h, l, c, v);
  }
  return bars.finish();
}

/** Bars as an Arrow IPC file: `timestamp` TimestampMillisecond UTC, the rest Float64. */
export function ohlcvToArrow(bars: Ohlcv): Uint8Array {
  const n = bars.close.length;
  const ts = new BigInt64Array(n);
  for (let i = 0; i < n; i++) ts[i] = BigInt(Math.round(bars.timestamps[i]));
  const f64 = (a: Float64Array) => makeVector(makeData({ type: new Float64(), length: n, data: a }));
  const table = new Table({
    timestamp: makeVector(makeData({ type: new TimestampMillisecond("UTC"), length: n, data: ts })),
    open: f64(bars.open), high: f64(bars.high), low: f64(bars.low), close: f64(bars.close), volume: f64(bars.volume),
  });
  return tableToIPC(table, "file");
}

// ---- files ----

/**
 * Loads bars from a file, recognised by content: gzip (then CSV or Arrow inside), Arrow IPC (file
 * or stream), otherwise CSV text. CSV is parsed as it is read, so memory stays near the size of
 * the bars whatever the file's; Arrow is read whole.
 * @param options.chunkBytes bytes read per step (tests make it small; the default suits files of any size).
 * @throws OhlcvError for bad data, and for a file that is not a regular file, is empty, is binary
 *   or not valid gzip; the fs error (ENOENT, EACCES...) when the file cannot be opened.
 */
export async function loadOhlcv(path: string, options: { readonly chunkBytes?: number } = {}): Promise<Ohlcv> {
  return withBarsFile(path, async (content) => {
    if (content.kind === "arrow") return ohlcvFromArrow(content.bytes, path);
    const csv = new OhlcvCsvReader(path, content.rows);
    for await (const text of content.text) csv.push(text);
    return csv.end();
  }, options.chunkBytes);
}
