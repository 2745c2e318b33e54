// The calibration report: report.json (every figure, no wall time, so it is identical on 1 worker or N) and report.md's before/after table.
import type { Facts } from "../facts.ts";
import { factsSpread, renderTable, spreadToJson, WITHIN_FRACTION, type SpreadRow } from "../facts-spread.ts";
import type { Calibration } from "./calibrate.ts";
import { MOMENT_KEYS } from "./moments.ts";
import type { CalibrationParam } from "./params.ts";
import { LAMBDA, STEP0 } from "./search.ts";

/** What the real target was: the facts of the whole file, or the median of its windows as long as the runs. */
export type CalibrationReference =
  | { readonly kind: "whole"; readonly bars: number }
  | { readonly kind: "windows"; readonly windows: number; readonly bars: number };

/** What the report says about the inputs. */
export interface ReportInputs {
  readonly scenario: string;
  readonly data: string;
  /** Bars in the data file. */
  readonly dataBars: number;
  readonly reference: CalibrationReference;
  readonly real: Facts;
  readonly seeds: number;
  readonly budget: number;
  readonly seed: number;
  readonly durationNs: number;
  readonly params: readonly CalibrationParam[];
}

const sig = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : null);

/** Each fact across the candidate's seeds beside the real value. */
export function rowsOf(c: Calibration["before"], real: Facts): SpreadRow[] {
  return factsSpread(c.facts, real);
}

/** report.json's object. */
export function reportJson(inp: ReportInputs, cal: Calibration): Record<string, unknown> {
  return {
    generator: "btc-arena calibrate",
    scenario: inp.scenario,
    data: inp.data,
    dataBars: inp.dataBars,
    reference: inp.reference,
    seeds: Array.from({ length: inp.seeds }, (_, i) => i + 1),
    durationNs: inp.durationNs,
    budget: inp.budget,
    seed: inp.seed,
    search: { method: "(1+λ) evolution strategy in log-parameter space", lambda: LAMBDA, step0: STEP0 },
    params: inp.params.map((p) => ({ name: p.name, lo: p.lo, hi: p.hi, before: cal.before.values[p.name], after: cal.after.values[p.name] })),
    moments: cal.weights.map((w) => ({ key: w.key, real: sig(w.real), sd: sig(w.sd), weight: sig(w.weight) })),
    objective: { before: sig(cal.before.objective), after: sig(cal.after.objective), bestIndex: cal.after.index },
    facts: { before: spreadToJson(rowsOf(cal.before, inp.real)), after: spreadToJson(rowsOf(cal.after, inp.real)) },
    evaluations: cal.evaluations.map((e) => ({ index: e.index, objective: sig(e.objective), values: e.values })),
  };
}

/** One line naming the real target, e.g. "real: median of 7 windows of 4320 bars of FILE". */
export function referenceLine(inp: ReportInputs): string {
  const r = inp.reference;
  return r.kind === "whole" ? `real: the whole of ${inp.data} (${r.bars} bars)` : `real: median of ${r.windows} windows of ${r.bars} bars of ${inp.data} (the runs' length)`;
}

const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : "n/a");
const cell = (r: SpreadRow) => `${f4(r.median)} [${f4(r.lo)}, ${f4(r.hi)}]`;
const mark = (r: SpreadRow) => `${r.within ? "yes" : "no"}/${r.refInRange ? "yes" : "no"}`;

/** The before/after table: each fact, real, median [95% interval] across seeds before and after, and within ±30% / real in range. */
export function factsComparison(inp: ReportInputs, cal: Calibration): string {
  const before = rowsOf(cal.before, inp.real);
  const after = rowsOf(cal.after, inp.real);
  const moments = new Set<string>(MOMENT_KEYS);
  const header = ["fact", "real", `before: median [95%] of ${inp.seeds}`, `±${WITHIN_FRACTION * 100}%/in range`, "after: median [95%]", `±${WITHIN_FRACTION * 100}%/in range`];
  const cells = before.map((b, i) => [`${moments.has(b.key) ? "*" : " "} ${b.label}`, f4(b.ref), cell(b), mark(b), cell(after[i]), mark(after[i])]);
  const count = (rows: SpreadRow[]) => rows.filter((r) => moments.has(r.key) && r.within).length;
  return (
    renderTable(header, cells) +
    `* a matched moment; within ±${WITHIN_FRACTION * 100}% of real (median): ${count(before)}/${moments.size} before, ${count(after)}/${moments.size} after; objective ${f4(cal.before.objective)} before, ${f4(cal.after.objective)} after (candidate ${cal.after.index})\n`
  );
}

/** The parameter table: bounds, before and after. */
export function paramsTable(inp: ReportInputs, cal: Calibration): string {
  return renderTable(
    ["parameter", "lo", "hi", "before", "after"],
    inp.params.map((p) => [p.name, String(p.lo), String(p.hi), String(cal.before.values[p.name]), String(cal.after.values[p.name])]),
  );
}

/** report.md: the inputs, the facts table and the parameter table (text tables in code blocks). */
export function reportMarkdown(inp: ReportInputs, cal: Calibration): string {
  return [
    `# Calibration of ${inp.scenario} to ${inp.data}`,
    "",
    `${inp.seeds} seeds (1..${inp.seeds}) of ${inp.durationNs / 60e9} simulated minutes per candidate, ${cal.evaluations.length} candidates (budget ${inp.budget}), search seed ${inp.seed}.`,
    "",
    `${referenceLine(inp)}.`,
    "",
    "## Facts: real against the seeds' median and 95% interval",
    "",
    "```",
    factsComparison(inp, cal).trimEnd(),
    "```",
    "",
    "## Parameters",
    "",
    "```",
    paramsTable(inp, cal).trimEnd(),
    "```",
    "",
  ].join("\n");
}
