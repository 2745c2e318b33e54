// The moves table: each scenario's specified legs (and volatility multiple) beside what the seeds realised.
import { meanInterval, type MeanInterval } from "./stats.ts";

/** What one run reports about its path (summary.json's `moves` and `volatility`). */
export interface RunPath {
  readonly scenario: string;
  readonly seed: number;
  readonly moves?: readonly { readonly label: string; readonly expectedPct: number; readonly realisedPct: number | null }[];
  readonly volatility?: { readonly expectedAtrMultiple: number; readonly realisedAtrMultiple: number | null };
  /** Mean true range of the run's 1-minute bars, percent of price. */
  readonly atrPct?: number | null;
}

/** One leg of one scenario across seeds. Percent for moves; a plain multiple for volatility. */
export interface MoveRow {
  readonly scenario: string;
  readonly leg: string;
  readonly unit: "%" | "x ATR";
  readonly expected: number;
  /** Mean and 95% t-interval of the realised values across the seeds that measured one. */
  readonly realised: MeanInterval;
  readonly min: number;
  readonly max: number;
  /** Seeds within the tolerance (±5 percentage points for moves, ±10% of the multiple for volatility) / seeds measured. */
  readonly withinTolerance: number;
  readonly seeds: number;
}

export const MOVE_TOLERANCE_PP = 5;
export const VOLATILITY_TOLERANCE = 0.1;

/**
 * Tabulates every scenario's legs in input order; scenarios that specify nothing (or runs too
 * short to measure a leg) give no rows. A volatility multiple is measured against `normal`'s
 * run with the same seed when the suite ran it (the same latent path, three times as
 * volatile), else against the spec's fixed reference ATR.
 */
export function movesTable(runs: readonly RunPath[]): MoveRow[] {
  const normalAtr = new Map<number, number>();
  for (const r of runs) if (r.scenario === "normal" && r.atrPct != null && r.atrPct > 0) normalAtr.set(r.seed, r.atrPct);
  const groups = new Map<string, { unit: MoveRow["unit"]; expected: number; values: number[] }>();
  const key = (scenario: string, leg: string) => `${scenario}\u0000${leg}`;
  for (const r of runs) {
    for (const m of r.moves ?? []) {
      const g = groups.get(key(r.scenario, m.label)) ?? { unit: "%" as const, expected: m.expectedPct, values: [] };
      if (m.realisedPct !== null) g.values.push(m.realisedPct);
      groups.set(key(r.scenario, m.label), g);
    }
    if (r.volatility !== undefined) {
      const same = normalAtr.get(r.seed);
      const leg = same !== undefined && r.atrPct != null ? "volatility vs normal (same seed)" : "volatility vs reference ATR";
      const value = same !== undefined && r.atrPct != null ? Math.round((r.atrPct / same) * 100) / 100 : r.volatility.realisedAtrMultiple;
      const g = groups.get(key(r.scenario, leg)) ?? { unit: "x ATR" as const, expected: r.volatility.expectedAtrMultiple, values: [] };
      if (value !== null) g.values.push(value);
      groups.set(key(r.scenario, leg), g);
    }
  }
  return [...groups].filter(([, g]) => g.values.length > 0).map(([k, g]) => {
    const [scenario, leg] = k.split("\u0000");
    const tol = g.unit === "%" ? MOVE_TOLERANCE_PP : VOLATILITY_TOLERANCE * g.expected;
    return {
      scenario, leg, unit: g.unit, expected: g.expected,
      realised: meanInterval(g.values),
      min: Math.min(...g.values),
      max: Math.max(...g.values),
      withinTolerance: g.values.filter((v) => Math.abs(v - g.expected) <= tol + 1e-9).length,
      seeds: g.values.length,
    };
  });
}
