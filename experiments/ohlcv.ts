// OHLCV bars from CSV (optionally gzipped) or Arrow IPC files, validated at the boundary with zod.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import {
  DataType,
  Float64,
  makeData,
  makeVector,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  type Vector,
} from "apache-arrow";
import { z } from "zod";

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

/** The CSV header and the Arrow column names, in this order. */
export const OHLCV_COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;
type Column = (typeof OHLCV_COLUMNS)[number];

/**
 * One broken rule. `row` is 1-based over data rows (row 1 is the first bar; in a CSV file it
 * sits on line 2, after the header); 0 means the file as a whole (header, schema, format).
 */
export interface OhlcvProblem {
  readonly row: number;
  readonly column: string;
  /** The offending value as written in the file ("" when absent). */
  readonly value: string;
  readonly rule: string;
}

/** At most this many problems are kept; the count of all of them is in `OhlcvError.total`. */
export const MAX_PROBLEMS = 20;

/** Renders one problem as `row 5, column close: "abc" must be a number`. */
export function formatProblem(p: OhlcvProblem): string {
  const where = p.row === 0 ? (p.column === "" ? "file" : `column ${p.column}`) : `row ${p.row}, column ${p.column}`;
  return p.value === "" ? `${where}: ${p.rule}` : `${where}: ${JSON.stringify(p.value)} ${p.rule}`;
}

/** Data refused as a whole: nothing partial is ever returned. Lists up to MAX_PROBLEMS problems. */
export class OhlcvError extends Error {
  readonly source: string;
  readonly problems: readonly OhlcvProblem[];
  /** Number of problems found, including those not kept. */
  readonly total: number;

  constructor(source: string, problems: readonly OhlcvProblem[], total = problems.length) {
    const head = total === 1 ? "1 problem" : `${total} problems${total > problems.length ? ` (first ${problems.length} listed)` : ""}`;
    super(`${source}: ${head}, no bars loaded:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.name = "OhlcvError";
    this.source = source;
    this.problems = problems;
    this.total = total;
  }
}

// ---- cell and row schemas (zod) ----

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// ISO 8601 in UTC only: a trailing Z or a zero offset, so no local time zone can creep in.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]00:?00)$/;
// Unix times below this are seconds (1e11 s is the year 5138; 1e11 ms is March 1973).
const SECONDS_BELOW = 1e11;

type Raw = string | number | bigint | null | undefined;

function missing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** A finite number from a decimal string or a number; absent and unparsable values are issues. */
const numberCell = z.custom<Raw>().transform((v, ctx): number => {
  if (missing(v)) {
    ctx.addIssue({ code: "custom", message: "is missing (rule: a value is required)" });
    return z.NEVER;
  }
  const n = typeof v === "string" ? (DECIMAL.test(v.trim()) ? Number(v.trim()) : NaN) : Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: "is not a number (rule: a finite decimal number)" });
    return z.NEVER;
  }
  return n;
});

const price = numberCell.pipe(z.number().positive({ error: "is not positive (rule: price > 0)" }));
const volume = numberCell.pipe(z.number().nonnegative({ error: "is negative (rule: volume >= 0)" }));

/** CSV timestamps: ISO 8601 UTC, or Unix seconds or milliseconds as an integer. */
const csvTimestamp = z.custom<Raw>().transform((v, ctx): number => {
  if (missing(v)) {
    ctx.addIssue({ code: "custom", message: "is missing (rule: a value is required)" });
    return z.NEVER;
  }
  const s = String(v).trim();
  let ms = NaN;
  if (/^\d{1,16}$/.test(s)) {
    const n = Number(s);
    ms = n < SECONDS_BELOW ? n * 1000 : n;
  } else if (ISO_UTC.test(s)) {
    ms = Date.parse(s.replace(" ", "T"));
  }
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "is not a time (rule: ISO 8601 UTC such as 2023-03-01T00:00:00Z, or Unix s or ms)" });
    return z.NEVER;
  }
  return ms;
});

/** Arrow timestamps, already converted to Unix ms by the reader. */
const msTimestamp = numberCell;

function rowSchema(timestamp: z.ZodType<number, Raw>) {
  return z
    .object({ timestamp, open: price, high: price, low: price, close: price, volume })
    .superRefine((b, ctx) => {
      // zod still runs this when a price failed its own rule; only judge four valid prices.
      if (![b.open, b.high, b.low, b.close].every((v) => typeof v === "number" && v > 0)) return;
      const top = Math.max(b.open, b.close);
      const bottom = Math.min(b.open, b.close);
      if (b.high < top) ctx.addIssue({ code: "custom", path: ["high"], message: `is below max(open, close) = ${top} (rule: high >= max(open, close))` });
      if (b.low > bottom) ctx.addIssue({ code: "custom", path: ["low"], message: `is above min(open, close) = ${bottom} (rule: low <= min(open, close))` });
    });
}

const CSV_ROW = rowSchema(csvTimestamp);
const ARROW_ROW = rowSchema(msTimestamp);

/**
 * Largest close-to-close move between consecutive bars, as a fraction: beyond it a bar is
 * taken for a bad print (BTC's worst hour, 13 March 2020, was -20%; its worst day about -50%).
 */
export const MAX_CLOSE_JUMP = 0.5;

/** The move in percent with as many decimals as it takes to show it beyond the limit (50.01, not 50.0). */
function jumpPercent(change: number): string {
  const pct = change * 100;
  for (let digits = 1; digits < 8; digits++) {
    const s = pct.toFixed(digits);
    if (Math.abs(Number(s)) > MAX_CLOSE_JUMP * 100) return s;
  }
  return String(pct);
}

/** Collects problems, keeping the first MAX_PROBLEMS and counting the rest. */
class Problems {
  readonly kept: OhlcvProblem[] = [];
  total = 0;
  add(p: OhlcvProblem): void {
    this.total++;
    if (this.kept.length < MAX_PROBLEMS) this.kept.push(p);
  }
}

/**
 * Validates rows one by one (each `get(i)` returns the raw cells of data row i, 0-based) and
 * fills the typed result; then checks consecutive rows: timestamps strictly increase and no
 * close moves more than MAX_CLOSE_JUMP from the previous one. Gaps are not errors (see ohlcvGaps).
 * @throws OhlcvError listing the problems when any rule is broken.
 */
function validateRows(source: string, n: number, schema: typeof CSV_ROW, get: (i: number) => Record<Column, Raw>): Ohlcv {
  const problems = new Problems();
  const out = {
    timestamps: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n),
    low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n),
  };
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const raw = get(i);
    const r = schema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const column = String(issue.path[0] ?? "");
        const v = raw[column as Column];
        problems.add({ row: i + 1, column, value: missing(v) ? "" : String(v), rule: issue.message });
      }
      continue;
    }
    ok[i] = 1;
    out.timestamps[i] = r.data.timestamp;
    out.open[i] = r.data.open;
    out.high[i] = r.data.high;
    out.low[i] = r.data.low;
    out.close[i] = r.data.close;
    out.volume[i] = r.data.volume;
  }
  // Rules between consecutive rows, judged only where both rows are valid on their own.
  for (let i = 1; i < n; i++) {
    if (ok[i] === 0 || ok[i - 1] === 0) continue;
    const t = out.timestamps[i];
    const prev = out.timestamps[i - 1];
    if (t <= prev) {
      const value = String(get(i).timestamp);
      const was = String(get(i - 1).timestamp);
      problems.add({
        row: i + 1, column: "timestamp", value,
        rule: t === prev ? `repeats row ${i}'s timestamp (rule: no duplicate timestamps)` : `is before row ${i}'s ${was} (rule: timestamps sorted ascending)`,
      });
    }
    const change = out.close[i] / out.close[i - 1] - 1;
    if (Math.abs(change) > MAX_CLOSE_JUMP) {
      problems.add({
        row: i + 1, column: "close", value: String(get(i).close),
        rule: `jumps ${jumpPercent(change)}% from row ${i}'s ${String(get(i - 1).close)} (rule: |close change| <= ${MAX_CLOSE_JUMP * 100}% between bars)`,
      });
    }
  }
  if (n === 0) problems.add({ row: 0, column: "", value: "", rule: "holds no bars (rule: at least one data row)" });
  if (problems.total > 0) throw new OhlcvError(source, problems.kept, problems.total);
  return out;
}

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

/**
 * Parses CSV text with a header naming `timestamp,open,high,low,close,volume` (any order;
 * extra columns are ignored). Plain comma-separated fields, no quoting.
 * @param source name used in error messages (usually the path).
 * @throws OhlcvError naming row, column, value and rule for every problem (up to MAX_PROBLEMS).
 */
export function parseOhlcvCsv(text: string, source = "csv"): Ohlcv {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  const header = (lines[0] ?? "").split(",").map((h) => h.trim().toLowerCase());
  const index = new Map<string, number>();
  const problems = new Problems();
  header.forEach((h, i) => {
    if (index.has(h)) problems.add({ row: 0, column: h, value: "", rule: `appears twice in the header (rule: one column each of ${OHLCV_COLUMNS.join(",")})` });
    index.set(h, i);
  });
  for (const c of OHLCV_COLUMNS) {
    if (!index.has(c)) problems.add({ row: 0, column: c, value: "", rule: `is missing from the header (rule: the header names ${OHLCV_COLUMNS.join(",")})` });
  }
  if (problems.total > 0) throw new OhlcvError(source, problems.kept, problems.total);
  const n = lines.length - 1;
  const cols = OHLCV_COLUMNS.map((c) => index.get(c)!);
  const fieldProblems = new Problems();
  const rows: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = lines[i + 1].split(",");
    if (rows[i].length !== header.length) {
      fieldProblems.add({ row: i + 1, column: "", value: "", rule: `has ${rows[i].length} fields (rule: as many as the header's ${header.length})` });
    }
  }
  if (fieldProblems.total > 0) throw new OhlcvError(source, fieldProblems.kept.map((p) => ({ ...p, column: "*" })), fieldProblems.total);
  return validateRows(source, n, CSV_ROW, (i) => {
    const f = rows[i];
    return { timestamp: f[cols[0]], open: f[cols[1]], high: f[cols[2]], low: f[cols[3]], close: f[cols[4]], volume: f[cols[5]] };
  });
}

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

/**
 * Reads bars from Arrow IPC bytes (file or stream format): `timestamp` (Timestamp of any unit,
 * or an integer column in Unix ms), else `time` (Timestamp), else `ts_ns` (Int64 ns), plus
 * numeric `open`, `high`, `low`, `close`, `volume`.
 * @throws OhlcvError for unreadable bytes, missing columns or any broken row rule.
 */
export function ohlcvFromArrow(bytes: Uint8Array, source = "arrow"): Ohlcv {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new OhlcvError(source, [{ row: 0, column: "", value: "", rule: `is not a readable Arrow IPC file (${err instanceof Error ? err.message : String(err)})` }]);
  }
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
  return validateRows(source, table.numRows, ARROW_ROW, (i) => ({
    timestamp: timeCell(timeVec.get(i), nanos),
    open: num(vec[0].get(i)), high: num(vec[1].get(i)), low: num(vec[2].get(i)),
    close: num(vec[3].get(i)), volume: num(vec[4].get(i)),
  }));
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
 * Loads bars from a file, recognised by content: gzip (then CSV inside), Arrow IPC (file or
 * stream), otherwise CSV text.
 * @throws OhlcvError for bad data; the fs error (ENOENT, EISDIR...) when the file cannot be read.
 */
export async function loadOhlcv(path: string): Promise<Ohlcv> {
  let bytes: Uint8Array = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new OhlcvError(path, [{ row: 0, column: "", value: "", rule: `is not valid gzip (${err instanceof Error ? err.message : String(err)})` }]);
    }
  }
  const magic = Buffer.from(bytes.subarray(0, 6)).toString("latin1");
  const stream = bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff;
  if (magic === "ARROW1" || stream) return ohlcvFromArrow(bytes, path);
  return parseOhlcvCsv(Buffer.from(bytes).toString("utf8"), path);
}
