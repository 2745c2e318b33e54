// OHLCV row rules (zod schemas) and the streaming validator that turns raw rows into bars, one row at a time.
import { z } from "zod";
import { BarColumns } from "./ohlcv-columns.ts";
import { MAX_PROBLEMS, OhlcvError, Problems, type OhlcvProblem } from "./ohlcv-error.ts";
import type { Ohlcv } from "./ohlcv.ts";

/** A cell as a reader hands it over: CSV text, or an Arrow value. */
export type Raw = string | number | bigint | null | undefined;
type Column = "timestamp" | "open" | "high" | "low" | "close" | "volume";

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// ISO 8601 in UTC only: a trailing Z or a zero offset, so no local time zone can creep in.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]00:?00)$/;
const UNIX_INTEGER = /^\d{1,16}$/;
// Unix times below this are seconds (1e11 s is the year 5138; 1e11 ms is March 1973).
const SECONDS_BELOW = 1e11;

function missing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** The finite number a cell holds, else NaN (absent cells too). Shared by the schemas and the fast path. */
function cellNumber(v: Raw): number {
  if (v === null || v === undefined) return NaN;
  let n: number;
  if (typeof v === "string") {
    const s = v.trim();
    n = DECIMAL.test(s) ? Number(s) : NaN;
  } else {
    n = Number(v);
  }
  return Number.isFinite(n) ? n : NaN;
}

/** Unix ms a CSV time cell holds (ISO 8601 UTC, or Unix s or ms as an integer), else NaN (absent cells too). */
function cellCsvTime(v: Raw): number {
  if (v === null || v === undefined) return NaN;
  const s = String(v).trim();
  let ms = NaN;
  if (UNIX_INTEGER.test(s)) {
    const n = Number(s);
    ms = n < SECONDS_BELOW ? n * 1000 : n;
  } else if (ISO_UTC.test(s)) {
    ms = Date.parse(s.charCodeAt(10) === 0x20 ? s.replace(" ", "T") : s);
  }
  return Number.isFinite(ms) ? ms : NaN;
}

/** A finite number from a decimal string or a number; absent and unparsable values are issues. */
const numberCell = z.custom<Raw>().transform((v, ctx): number => {
  if (missing(v)) {
    ctx.addIssue({ code: "custom", message: "is missing (rule: a value is required)" });
    return z.NEVER;
  }
  const n = cellNumber(v);
  if (Number.isNaN(n)) {
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
  const ms = cellCsvTime(v);
  if (Number.isNaN(ms)) {
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

/** The rules of one CSV row (cells as text). */
export const CSV_ROW = rowSchema(csvTimestamp);
/** The rules of one Arrow row (timestamp in Unix ms). */
export const ARROW_ROW = rowSchema(msTimestamp);

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

/**
 * Validates rows one by one as a reader streams them, and collects the bars: each row against
 * its schema, then each pair of consecutive valid rows (timestamps strictly increase, no close
 * moves more than MAX_CLOSE_JUMP from the previous one). Gaps are not errors (see ohlcvGaps).
 * Problems are listed as a whole-file pass would list them: every row's own problems in row
 * order, then those between rows.
 */
export class BarsBuilder {
  private readonly cols: BarColumns;
  private readonly own = new Problems();
  private readonly between = new Problems();
  private readonly csv: boolean;
  private rows = 0;
  // The previous row: valid on its own, its values, and its cells as written (for messages).
  private prevOk = false;
  private prevT = 0;
  private prevClose = 0;
  private prevTRaw: Raw = null;
  private prevCloseRaw: Raw = null;

  /**
   * @param kind which cells the rows carry: CSV text, or Arrow values with Unix ms times.
   * @param rows the number of rows, when known: the bars are then kept in their final arrays.
   */
  constructor(readonly source: string, kind: "csv" | "arrow", rows = 0) {
    this.csv = kind === "csv";
    this.cols = new BarColumns(rows);
  }

  /** Adds the next data row (row numbers count from 1 in call order). */
  add(timestamp: Raw, open: Raw, high: Raw, low: Raw, close: Raw, volume: Raw): void {
    const row = ++this.rows;
    // Fast path: the schema's own cell functions; a row that fails any rule goes through zod for its issues.
    const t = this.csv ? cellCsvTime(timestamp) : cellNumber(timestamp);
    const o = cellNumber(open);
    const h = cellNumber(high);
    const l = cellNumber(low);
    const c = cellNumber(close);
    const v = cellNumber(volume);
    if (!(t === t && o > 0 && h > 0 && l > 0 && c > 0 && v >= 0 && h >= Math.max(o, c) && l <= Math.min(o, c))) {
      this.refuseRow(row, { timestamp, open, high, low, close, volume });
      return;
    }
    if (this.prevOk) this.judgePair(row, t, c, timestamp, close);
    this.prevOk = true;
    this.prevT = t;
    this.prevClose = c;
    this.prevTRaw = timestamp;
    this.prevCloseRaw = close;
    // Once anything is refused no bars are returned, so none are kept.
    if (this.own.total + this.between.total === 0) this.cols.push(t, o, h, l, c, v);
  }

  private refuseRow(row: number, raw: Record<Column, Raw>): void {
    this.prevOk = false;
    const r = (this.csv ? CSV_ROW : ARROW_ROW).safeParse(raw);
    if (r.success) throw new Error(`BarsBuilder: row ${row} passed the schema but not the fast path (${JSON.stringify(raw, (_, x) => (typeof x === "bigint" ? String(x) : x))})`);
    for (const issue of r.error.issues) {
      const column = String(issue.path[0] ?? "");
      const v = raw[column as Column];
      this.own.add({ row, column, value: missing(v) ? "" : String(v), rule: issue.message });
    }
  }

  private judgePair(row: number, t: number, c: number, tRaw: Raw, cRaw: Raw): void {
    const prev = row - 1;
    if (t <= this.prevT) {
      this.between.add({
        row, column: "timestamp", value: String(tRaw),
        rule: t === this.prevT ? `repeats row ${prev}'s timestamp (rule: no duplicate timestamps)` : `is before row ${prev}'s ${String(this.prevTRaw)} (rule: timestamps sorted ascending)`,
      });
    }
    const change = c / this.prevClose - 1;
    if (Math.abs(change) > MAX_CLOSE_JUMP) {
      this.between.add({
        row, column: "close", value: String(cRaw),
        rule: `jumps ${jumpPercent(change)}% from row ${prev}'s ${String(this.prevCloseRaw)} (rule: |close change| <= ${MAX_CLOSE_JUMP * 100}% between bars)`,
      });
    }
  }

  /**
   * The bars, in row order.
   * @throws OhlcvError listing the problems when any rule is broken, or when there were no rows.
   */
  finish(): Ohlcv {
    const kept: OhlcvProblem[] = [...this.own.kept, ...this.between.kept].slice(0, MAX_PROBLEMS);
    let total = this.own.total + this.between.total;
    if (this.rows === 0) {
      kept.push({ row: 0, column: "", value: "", rule: "holds no bars (rule: at least one data row)" });
      total++;
    }
    if (total > 0) throw new OhlcvError(this.source, kept, total);
    return this.cols.finish();
  }
}
