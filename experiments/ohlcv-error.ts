// OHLCV refusals: one problem names row, column, value and rule; OhlcvError lists them for a whole file.

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

/** What a bars file may be, for refusals of the file as a whole. */
export const BARS_FILE_RULE = "a regular file of CSV text with the header timestamp,open,high,low,close,volume, gzipped CSV, or Arrow IPC";

/** A refusal of the file as a whole (row 0, no column): `file: <what>`. */
export function fileError(source: string, what: string): OhlcvError {
  return new OhlcvError(source, [{ row: 0, column: "", value: "", rule: what }]);
}

/** Collects problems, keeping the first MAX_PROBLEMS and counting the rest. */
export class Problems {
  readonly kept: OhlcvProblem[] = [];
  total = 0;
  add(p: OhlcvProblem): void {
    this.total++;
    if (this.kept.length < MAX_PROBLEMS) this.kept.push(p);
  }
}
