// Regime labels as both reports draw them: one color per label, and change points turned into spans.
// The label order is the backtest runner's (its regime column holds indexes into it).
import { REGIME_LABELS } from "../backtest/runner.ts";

/** One color per REGIME_LABELS entry, same order: grey while warming up, red for crisis. */
export const REGIME_COLORS: readonly string[] = ["#bdc3c7", "#27ae60", "#c0392b", "#2980b9", "#f39c12", "#8e44ad"];

/**
 * The vega-lite color scale of a regime band. The domain is every label, not only those seen,
 * so a label keeps its color from chart to chart and report to report.
 */
export function regimeColorScale(): { domain: string[]; range: string[] } {
  return { domain: [...REGIME_LABELS], range: [...REGIME_COLORS] };
}

/** A label held over [start, end), times in Unix ms. */
export interface RegimeSpan {
  readonly start: number;
  readonly end: number;
  readonly regime: string;
}

/**
 * Spans from change points (the time each label was first seen, ascending, as strategy bots
 * record them): each label holds until the next change, the last one until `endMs`, the run's end.
 * Empty spans (a change at or after `endMs`, two changes at one time) are dropped.
 */
export function regimeSpans(changes: readonly { readonly time: number; readonly regime: string }[], endMs: number): RegimeSpan[] {
  const out: RegimeSpan[] = [];
  for (let i = 0; i < changes.length; i++) {
    const start = changes[i].time;
    const end = Math.min(i + 1 < changes.length ? changes[i + 1].time : endMs, endMs);
    if (end > start) out.push({ start, end, regime: changes[i].regime });
  }
  return out;
}
