// The reference cut into windows as long as the runs: sample facts depend on sample length, so runs are compared with windows of their own length.
import { ABS_ACF_LAGS, ACF_LAGS, KURTOSIS_HORIZONS, MIN_FACTS_BARS, stylizedFacts, type Facts } from "./facts.ts";
import { factsSpread, renderTable, spreadOf, spreadToJson, WITHIN_FRACTION, withinOf, type SpreadRow } from "./facts-spread.ts";
import type { Ohlcv } from "./ohlcv.ts";

/** A reference too short for (or a window length unfit for) the windows; the message names the numbers. */
export class ReferenceWindowsError extends Error {
  override readonly name = "ReferenceWindowsError";
}

/**
 * The stylized facts of `bars` cut into consecutive non-overlapping windows of `windowBars` bars
 * from the first bar; the remainder shorter than a window is dropped.
 * @throws ReferenceWindowsError when `windowBars` is not an integer of at least MIN_FACTS_BARS, or fewer than 2 windows fit.
 */
export function referenceWindows(bars: Pick<Ohlcv, "close" | "volume">, windowBars: number): Facts[] {
  if (!Number.isInteger(windowBars) || windowBars < MIN_FACTS_BARS) {
    throw new ReferenceWindowsError(`a window of ${windowBars} bars is not a whole number of at least ${MIN_FACTS_BARS} bars, the fewest the facts need`);
  }
  const n = bars.close.length;
  const count = Math.floor(n / windowBars);
  if (count < 2) {
    throw new ReferenceWindowsError(
      `the reference holds ${n} bars, ${count} window${count === 1 ? "" : "s"} of ${windowBars} bars; a spread across windows needs at least 2 (${2 * windowBars} bars)`,
    );
  }
  const out: Facts[] = [];
  for (let w = 0; w < count; w++) {
    const from = w * windowBars;
    out.push(stylizedFacts({ close: bars.close.subarray(from, from + windowBars), volume: bars.volume.subarray(from, from + windowBars) }));
  }
  return out;
}

/**
 * The windows' median fact by fact (spreadOf's median: NaN values left out, NaN when none is
 * finite), as one Facts whose `bars` is the windows' length: a length-matched target for runs.
 * @throws ReferenceWindowsError when there are no windows or they differ in length.
 */
export function medianFacts(windows: readonly Facts[]): Facts {
  if (windows.length === 0) throw new ReferenceWindowsError("no windows to take the median of");
  const bars = windows[0].bars;
  const other = windows.find((f) => f.bars !== bars);
  if (other !== undefined) throw new ReferenceWindowsError(`the windows differ in length (${bars} and ${other.bars} bars); a median across them needs one length`);
  const med = (get: (f: Facts) => number) => spreadOf(windows.map(get)).median;
  const byKey = <K extends number, T extends "kurtosis" | "acf" | "absAcf">(keys: readonly K[], field: T) =>
    Object.fromEntries(keys.map((k) => [`${k}`, med((f) => (f[field] as Record<string, number>)[`${k}`])])) as Facts[T];
  return {
    bars,
    stdPct: med((f) => f.stdPct),
    kurtosis: byKey(KURTOSIS_HORIZONS, "kurtosis"),
    acf: byKey(ACF_LAGS, "acf"),
    absAcf: byKey(ABS_ACF_LAGS, "absAcf"),
    hill: med((f) => f.hill),
    volumeAbsCorr: med((f) => f.volumeAbsCorr),
  };
}

/** Each fact of FACT_KEYS across the windows: median, 95% interval and range (no reference of their own). */
export function windowsSpread(windows: readonly Facts[]): SpreadRow[] {
  return factsSpread(windows);
}

/** One fact: the runs' spread beside the windows' spread, the runs judged against the windows' median. */
export interface WindowRow {
  readonly key: string;
  readonly label: string;
  readonly runs: SpreadRow;
  readonly windows: SpreadRow;
  /** The runs' median within ±WITHIN_FRACTION of the windows' median. */
  readonly runsWithin: boolean;
  /** The windows' median inside the runs' min..max. */
  readonly medianInRunsRange: boolean;
}

/** Every fact of FACT_KEYS: the runs against the windows' median. */
export function compareToWindows(runs: readonly Facts[], windows: readonly Facts[]): WindowRow[] {
  const r = factsSpread(runs);
  return windowsSpread(windows).map((w, i) => ({
    key: w.key,
    label: w.label,
    runs: r[i],
    windows: w,
    runsWithin: withinOf(r[i].median, w.median),
    medianInRunsRange: Number.isFinite(w.median) && r[i].n > 0 && r[i].min <= w.median && w.median <= r[i].max,
  }));
}

/** JSON rows: the windows' spread (spreadToJson without the reference fields, the windows having none) and the two tests. */
export function windowRowsToJson(rows: readonly WindowRow[]): Record<string, unknown>[] {
  const spreads = spreadToJson(rows.map((r) => r.windows));
  return rows.map((r, i) => {
    const { ref: _ref, refInRange: _in, within: _within, ...windows } = spreads[i];
    return { ...windows, runsWithin: r.runsWithin, medianInRunsRange: r.medianInRunsRange };
  });
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "n/a");
const yes = (ok: boolean) => (ok ? "yes" : "no");

/** The text table: per fact the runs' median and range, the windows' median and range, and the two tests. */
export function windowsTable(rows: readonly WindowRow[]): string {
  const header = ["", "runs median", "runs range", "windows median", "windows range", `±${WITHIN_FRACTION * 100}%`, "in runs range"];
  const cells = rows.map((r) => [
    r.label,
    fmt(r.runs.median),
    `${fmt(r.runs.min)}..${fmt(r.runs.max)}`,
    fmt(r.windows.median),
    `${fmt(r.windows.min)}..${fmt(r.windows.max)}`,
    yes(r.runsWithin),
    yes(r.medianInRunsRange),
  ]);
  return renderTable(header, cells);
}
