// Streaming OHLCV CSV: text pushed in chunks of any size, split into lines, header checked, rows validated as they come.
import { fileError, OhlcvError, Problems } from "./ohlcv-error.ts";
import { BarsBuilder } from "./ohlcv-rows.ts";
import type { Ohlcv } from "./ohlcv.ts";

/** The CSV header and the Arrow column names, in this order. */
export const OHLCV_COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;

/** Longest line accepted, in UTF-16 code units: beyond it the text is not bars (and would be held whole). */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * Reads CSV text with a header naming `timestamp,open,high,low,close,volume` (any order; extra
 * columns are ignored); plain comma-separated fields, no quoting. Lines end in LF or CRLF, a
 * leading BOM is dropped, blank lines at the end are ignored. Only the unfinished last line is
 * held between chunks, so a file of any length is read in the memory of its bars.
 */
export class OhlcvCsvReader {
  private carry = "";
  private started = false;
  private lines = 0;
  private width = -1;
  private cols: number[] = [];
  private rows = 0;
  // Blank lines are rows only when a non-blank one follows (those at the end are dropped).
  private blank = 0;
  private readonly fields = new Problems();
  private readonly bars: BarsBuilder;

  /**
   * @param source name used in error messages (usually the path).
   * @param rows the number of data rows, when known (see countRows): the bars are then kept in their final arrays.
   */
  constructor(readonly source = "csv", rows = 0) {
    this.bars = new BarsBuilder(source, "csv", rows);
  }

  /**
   * Takes the next piece of text; lines may be split anywhere between pieces.
   * @throws OhlcvError at once for a bad header or an over-long line.
   */
  push(text: string): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const s = this.carry.length === 0 ? text : this.carry + text;
    let start = 0;
    for (let nl = s.indexOf("\n"); nl !== -1; nl = s.indexOf("\n", start)) {
      const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(s.slice(start, end));
      start = nl + 1;
    }
    this.carry = start === 0 ? s : s.slice(start);
    // Checked here too so that a line with no end in sight is refused before it is held whole.
    if (this.carry.length > MAX_LINE_CHARS) throw this.tooLong(this.lines + 1);
  }

  private tooLong(line: number): OhlcvError {
    return fileError(this.source, `line ${line} runs past ${MAX_LINE_CHARS} characters without a line break (rule: one bar a line of CSV text)`);
  }

  /**
   * Ends the text and returns the bars.
   * @throws OhlcvError naming row, column, value and rule for every problem (up to MAX_PROBLEMS).
   */
  end(): Ohlcv {
    if (!this.started) throw fileError(this.source, `is empty (rule: a header line ${OHLCV_COLUMNS.join(",")}, then one bar a line)`);
    // The text after the last line break is a line too ("" after a final newline, dropped as blank).
    this.line(this.carry);
    this.carry = "";
    if (this.fields.total > 0) throw new OhlcvError(this.source, this.fields.kept, this.fields.total);
    return this.bars.finish();
  }

  private line(l: string): void {
    this.lines++;
    if (l.length > MAX_LINE_CHARS) throw this.tooLong(this.lines);
    if (this.width < 0) {
      this.header(l);
      return;
    }
    if (l.trim() === "") {
      this.blank++;
      return;
    }
    for (; this.blank > 0; this.blank--) this.row("");
    this.row(l);
  }

  private header(l: string): void {
    if (l.trim() === "") {
      throw fileError(this.source, `has a blank first line where the header belongs (rule: the first line names the columns ${OHLCV_COLUMNS.join(",")})`);
    }
    const header = l.split(",").map((h) => h.trim().toLowerCase());
    const index = new Map<string, number>();
    const problems = new Problems();
    header.forEach((h, i) => {
      if (index.has(h)) problems.add({ row: 0, column: h, value: "", rule: `appears twice in the header (rule: one column each of ${OHLCV_COLUMNS.join(",")})` });
      index.set(h, i);
    });
    for (const c of OHLCV_COLUMNS) {
      if (!index.has(c)) problems.add({ row: 0, column: c, value: "", rule: `is missing from the header (rule: the header names ${OHLCV_COLUMNS.join(",")})` });
    }
    if (problems.total > 0) throw new OhlcvError(this.source, problems.kept, problems.total);
    this.width = header.length;
    this.cols = OHLCV_COLUMNS.map((c) => index.get(c)!);
  }

  private row(l: string): void {
    const row = ++this.rows;
    const f = l.split(",");
    if (f.length !== this.width) {
      this.fields.add({ row, column: "*", value: "", rule: `has ${f.length} fields (rule: as many as the header's ${this.width})` });
      return;
    }
    // A file with rows of the wrong width is refused for those alone, so the values need no judging.
    if (this.fields.total > 0) return;
    const c = this.cols;
    this.bars.add(f[c[0]], f[c[1]], f[c[2]], f[c[3]], f[c[4]], f[c[5]]);
  }
}

/**
 * Parses CSV text whole (see OhlcvCsvReader for the format).
 * @param source name used in error messages (usually the path).
 * @throws OhlcvError naming row, column, value and rule for every problem (up to MAX_PROBLEMS).
 */
export function parseOhlcvCsv(text: string, source = "csv"): Ohlcv {
  const reader = new OhlcvCsvReader(source);
  reader.push(text);
  return reader.end();
}
