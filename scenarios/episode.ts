// A real episode as a scenario: the closes of a window of bars become the latent value's path, traded by normal's populations.
import { BUILTIN_SPECS } from "./builtins.ts";

/** Bars as the episode needs them: open times (Unix ms, ascending) and closes. */
export interface EpisodeBars {
  readonly timestamps: ArrayLike<number>;
  readonly close: ArrayLike<number>;
}

export interface EpisodeRequest {
  /** Scenario name: lower-case letters, digits and dashes. */
  readonly name: string;
  readonly description?: string;
  /** Open times of the first and last bar, Unix ms (inclusive). */
  readonly fromMs: number;
  readonly toMs: number;
  /** The bars file as the user named it, recorded in the scenario's `source`. */
  readonly data: string;
}

/** Fewest bars an episode takes: two returns, so its run has something to track. */
export const MIN_EPISODE_BARS = 3;

/** A window the bars cannot give; `flag` is the CLI flag the message is about. */
export class EpisodeWindowError extends Error {
  constructor(readonly flag: "--from" | "--to" | "--data", message: string) {
    super(`${flag}: ${message}`);
    this.name = "EpisodeWindowError";
  }
}

export const isoOf = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/**
 * The bars from `fromMs` to `toMs`: index of the first, count and spacing (ms).
 * @throws EpisodeWindowError naming the flag: from >= to, a bound outside the file or between
 *   bars, missing bars inside the window, fewer than MIN_EPISODE_BARS.
 */
export function episodeWindow(bars: EpisodeBars, fromMs: number, toMs: number): { first: number; count: number; stepMs: number } {
  const t = bars.timestamps;
  const n = t.length;
  if (n < MIN_EPISODE_BARS) throw new EpisodeWindowError("--data", `holds ${n} bars; an episode needs at least ${MIN_EPISODE_BARS}`);
  if (!(fromMs < toMs)) throw new EpisodeWindowError("--from", `${isoOf(fromMs)} is not before --to ${isoOf(toMs)}`);
  const span = `the file's bars open from ${isoOf(t[0])} to ${isoOf(t[n - 1])}`;
  if (fromMs < t[0] || fromMs > t[n - 1]) throw new EpisodeWindowError("--from", `${isoOf(fromMs)} is outside the file (${span})`);
  if (toMs > t[n - 1]) throw new EpisodeWindowError("--to", `${isoOf(toMs)} is outside the file (${span})`);
  const first = lowerBound(t, fromMs);
  const last = lowerBound(t, toMs);
  if (t[first] !== fromMs) throw new EpisodeWindowError("--from", `${isoOf(fromMs)} is not the open time of a bar (the next one opens at ${isoOf(t[first])})`);
  if (t[last] !== toMs) throw new EpisodeWindowError("--to", `${isoOf(toMs)} is not the open time of a bar (the next one opens at ${isoOf(t[last])})`);
  const count = last - first + 1;
  if (count < MIN_EPISODE_BARS) throw new EpisodeWindowError("--to", `${isoOf(toMs)} leaves ${count} bars after --from; an episode needs at least ${MIN_EPISODE_BARS}`);
  const stepMs = t[first + 1] - t[first];
  if (!(stepMs >= 1000 && stepMs % 1000 === 0)) throw new EpisodeWindowError("--from", `bars ${stepMs} ms apart: the path's step must be a whole number of seconds`);
  for (let i = first + 1; i <= last; i++) {
    if (t[i] - t[i - 1] !== stepMs) {
      throw new EpisodeWindowError("--to", `the window is not evenly spaced: ${isoOf(t[i - 1])} is followed by ${isoOf(t[i])}, not ${isoOf(t[i - 1] + stepMs)} (missing bars); choose a window without gaps`);
    }
  }
  return { first, count, stepMs };
}

/** First index whose time is >= `x` (times ascending). */
function lowerBound(t: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Volatility of the bridge between points, per square-root hour: zero for 1-minute points
 * (their closes already carry the real 1-minute variance, and the traders add the seconds);
 * for longer bars, the RMS of the window's own log returns scaled to an hour, so the minutes
 * between points vary as a random walk with the episode's volatility would, instead of running
 * in hour-long straight lines that no trend-follower or volatility measure would see in a real market.
 */
export function bridgeSigma(prices: readonly number[], stepMs: number): number {
  if (stepMs <= 60_000) return 0;
  let ss = 0;
  for (let i = 1; i < prices.length; i++) ss += Math.log(prices[i] / prices[i - 1]) ** 2;
  const perBar = Math.sqrt(ss / (prices.length - 1));
  return Math.round((perBar / Math.sqrt(stepMs / 3_600_000)) * 1e6) / 1e6;
}

/**
 * The scenario (raw JSON, as a file holds it) whose latent value follows the closes of the bars
 * opened from `fromMs` to `toMs`: point k is the close of the k-th bar, at time k × step; time 0
 * (the epoch) is when the first bar closed; the run lasts the span; normal's populations and
 * bots trade it.
 * @throws EpisodeWindowError (see episodeWindow).
 */
export function episodeSpec(bars: EpisodeBars, req: EpisodeRequest): Record<string, unknown> {
  const { first, count, stepMs } = episodeWindow(bars, req.fromMs, req.toMs);
  const prices = Array.from({ length: count }, (_, i) => bars.close[first + i]);
  const normal = BUILTIN_SPECS.normal as { populations: unknown; bots: unknown };
  return {
    name: req.name,
    description: req.description ?? `real episode: ${req.data}, ${isoOf(req.fromMs)} to ${isoOf(req.toMs)}, ${count} bars of ${stepMs / 1000} s`,
    duration: `${(count - 1) * (stepMs / 1000)}s`,
    epoch: isoOf(req.fromMs + stepMs),
    initialPrice: prices[0],
    fundamental: { path: { step: `${stepMs / 1000}s`, bridgeSigmaPerSqrtHour: bridgeSigma(prices, stepMs), prices } },
    populations: normal.populations,
    bots: normal.bots,
    source: { generatedBy: "arena episode", data: req.data, from: isoOf(req.fromMs), to: isoOf(req.toMs) },
  };
}
