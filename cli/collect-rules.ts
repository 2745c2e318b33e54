// `arena collect`'s validation: each fetched candle against the seed's rules (experiments' row schema, then order, gaps and jumps); a bad row is kept out and reported by row and rule.
import { ARROW_ROW, MAX_CLOSE_JUMP } from "../experiments/ohlcv-rows.ts";
import type { Candle } from "../live/collect/source.ts";

/** One refused row or one gap: `row` is 1-based over the fetched candles of this run. */
export interface Reject {
  readonly row: number;
  /** Open time of the candle, ISO 8601 UTC. */
  readonly time: string;
  readonly column: string;
  readonly value: string;
  readonly rule: string;
  /** "rejected": kept out of the file; "gap": bars missing before this row (reported, the row is kept). */
  readonly kind: "rejected" | "gap";
}

export interface Checked {
  readonly kept: Candle[];
  readonly rejects: Reject[];
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

/**
 * Checks `candles` (oldest first) after `prev`, the last stored candle (when resuming): each row
 * on its own (positive prices, non-negative volume, high ≥ max(open, close), low ≤ min(open,
 * close)), then against the last kept row (strictly later: no duplicates; no gap beyond the
 * timeframe; no close jump over MAX_CLOSE_JUMP unless `allowJumps`).
 */
export function checkCandles(candles: readonly Candle[], tfMs: number, prev: Candle | undefined, allowJumps: boolean): Checked {
  const kept: Candle[] = [];
  const rejects: Reject[] = [];
  let last = prev;
  candles.forEach((c, i) => {
    const row = i + 1;
    const [t, open, high, low, close, volume] = c;
    const r = ARROW_ROW.safeParse({ timestamp: t, open, high, low, close, volume });
    const out = (column: string, value: unknown, rule: string) => rejects.push({ row, time: iso(t), column, value: String(value), rule, kind: "rejected" });
    if (!r.success) {
      const cells: Record<string, unknown> = { timestamp: t, open, high, low, close, volume };
      for (const issue of r.error.issues) {
        const column = String(issue.path[0] ?? "");
        out(column, cells[column], issue.message);
      }
      return;
    }
    if (last !== undefined) {
      if (t <= last[0]) return out("timestamp", t, t === last[0] ? `repeats the candle at ${iso(last[0])} (rule: no duplicate timestamps)` : `is before the candle at ${iso(last[0])} (rule: timestamps ascending)`);
      const change = close / last[4] - 1;
      if (!allowJumps && Math.abs(change) > MAX_CLOSE_JUMP) {
        return out("close", close, `jumps ${(change * 100).toFixed(2)}% from ${last[4]} (rule: |close change| <= ${MAX_CLOSE_JUMP * 100}% between bars; --allow-jumps keeps it)`);
      }
      if (t - last[0] > tfMs) {
        const missing = Math.round((t - last[0]) / tfMs) - 1;
        rejects.push({ row, time: iso(t), column: "timestamp", value: String(t), rule: `${missing} bar(s) missing after ${iso(last[0])} (rule: no gap beyond the timeframe)`, kind: "gap" });
      }
    }
    kept.push(c);
    last = c;
  });
  return { kept, rejects };
}
