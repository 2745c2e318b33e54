// Drawdowns of an equity curve: the deepest one, when it began, bottomed and recovered, and the longest.
import type { EquityCurve } from "./returns.ts";

/** The deepest peak-to-trough fall and its timing. Times are Unix ms; durations are ms. */
export interface Drawdown {
  /** Deepest fall from a running peak, 1 − E_trough / E_peak, a fraction in [0, 1]; 0 if equity never falls. */
  readonly depth: number;
  /** Time of the running peak before the trough; null when depth is 0. */
  readonly peakTime: number | null;
  /** Time of the trough (the first bar at the deepest depth); null when depth is 0. */
  readonly troughTime: number | null;
  /** First bar time after the trough with equity ≥ the peak equity; null if never regained (or depth 0). */
  readonly recoveryTime: number | null;
  /** Recovery time: recoveryTime − peakTime, the whole underwater spell; null if never regained. */
  readonly recoveryMs: number | null;
  /** recoveryTime − troughTime, the climb back alone; null if never regained. */
  readonly troughToRecoveryMs: number | null;
}

/** Drawdown analysis of a curve: the deepest drawdown and the longest underwater spell. */
export interface DrawdownStats {
  readonly max: Drawdown;
  /**
   * Longest time from a peak to the first bar that regains it, over every drawdown; a drawdown
   * still open at the last bar counts up to the last bar. 0 when equity never falls.
   */
  readonly longestMs: number;
  /** False when the longest spell is the one still open at the last bar. */
  readonly longestRecovered: boolean;
}

/**
 * Walks the curve once, keeping the running peak. A bar is underwater when its equity is
 * below the running peak; a spell ends at the first bar with equity ≥ that peak (equal counts
 * as regained). Ties in depth keep the earliest drawdown.
 */
export function drawdowns(curve: EquityCurve): DrawdownStats {
  const { t, equity } = curve;
  const n = t.length;
  let peak = equity[0];
  let peakAt = 0;
  let depth = 0;
  let maxPeakAt = -1;
  let maxTroughAt = -1;
  let longestMs = 0;
  let longestRecovered = true;
  for (let i = 1; i < n; i++) {
    if (equity[i] >= peak) {
      if (peakAt < i - 1) {
        const spell = t[i] - t[peakAt];
        if (spell > longestMs) [longestMs, longestRecovered] = [spell, true];
      }
      peak = equity[i];
      peakAt = i;
      continue;
    }
    const dd = 1 - equity[i] / peak;
    if (dd > depth) [depth, maxPeakAt, maxTroughAt] = [dd, peakAt, i];
  }
  if (peakAt < n - 1) {
    const open = t[n - 1] - t[peakAt];
    if (open > longestMs) [longestMs, longestRecovered] = [open, false];
  }
  return { max: deepest(curve, depth, maxPeakAt, maxTroughAt), longestMs, longestRecovered };
}

function deepest(curve: EquityCurve, depth: number, peakAt: number, troughAt: number): Drawdown {
  if (depth === 0) return { depth: 0, peakTime: null, troughTime: null, recoveryTime: null, recoveryMs: null, troughToRecoveryMs: null };
  const { t, equity } = curve;
  let rec = -1;
  for (let i = troughAt + 1; i < t.length; i++) {
    if (equity[i] >= equity[peakAt]) {
      rec = i;
      break;
    }
  }
  const peakTime = t[peakAt];
  const troughTime = t[troughAt];
  if (rec < 0) return { depth, peakTime, troughTime, recoveryTime: null, recoveryMs: null, troughToRecoveryMs: null };
  return { depth, peakTime, troughTime, recoveryTime: t[rec], recoveryMs: t[rec] - peakTime, troughToRecoveryMs: t[rec] - troughTime };
}
