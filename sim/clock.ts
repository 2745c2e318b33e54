// Simulated time: integer nanoseconds from scenario start, a monotonic clock and unit constants.

/** One microsecond in ns. */
export const US = 1_000;
/** One millisecond in ns. */
export const MS = 1_000_000;
/** One second in ns. */
export const SECOND = 1_000_000_000;
/** One minute in ns. */
export const MINUTE = 60 * SECOND;
/** One hour in ns. */
export const HOUR = 60 * MINUTE;
/** One day in ns. */
export const DAY = 24 * HOUR;

/**
 * The last representable instant: `Number.MAX_SAFE_INTEGER` ns (2^53 − 1), about 104 days
 * of simulated time. A Number holds every integer nanosecond exactly up to here and no
 * further, so the kernel refuses to go past it rather than silently round.
 */
export const MAX_TIME_NS = Number.MAX_SAFE_INTEGER;

/**
 * Converts seconds to integer ns, rounding to the nearest ns (so `ns(0.1)` is exactly
 * 100_000_000 despite binary floating point).
 * @throws RangeError if the result is not a safe integer (NaN, infinite, or beyond ±104 days).
 */
export function ns(seconds: number): number {
  const t = Math.round(seconds * SECOND);
  if (!Number.isSafeInteger(t)) {
    throw new RangeError(`${seconds} s is not representable as integer ns (limit ±${MAX_TIME_NS} ns)`);
  }
  return t;
}

/** Converts ns to (fractional) seconds, for reports at the boundary. */
export function toSeconds(timeNs: number): number {
  return timeNs / SECOND;
}

/**
 * Number.isSafeInteger(t) written as comparisons, which cost less than the built-in's call:
 * the kernel checks every event's time.
 */
export function isSafeTime(t: number): boolean {
  return Math.floor(t) === t && t <= MAX_TIME_NS && t >= -MAX_TIME_NS;
}

/**
 * The run's clock. `now` is integer ns from scenario start and only moves forward; the
 * kernel advances it to each event's time before handling the event.
 */
export class SimClock {
  private t: number;

  /**
   * @param start initial time in ns (default 0, the scenario start).
   * @throws RangeError if `start` is negative or not a safe integer.
   */
  constructor(start = 0) {
    if (!Number.isSafeInteger(start) || start < 0) {
      throw new RangeError(`clock start ${start} ns is not a non-negative safe integer`);
    }
    this.t = start;
  }

  /** Current simulated time in ns. */
  get now(): number {
    return this.t;
  }

  /**
   * Moves the clock to `t` ns. Staying at the same time is allowed (simultaneous events).
   * @throws RangeError if `t` is not a safe integer (NaN, fractional, or past
   *   `MAX_TIME_NS` ≈ 104 days) or if `t` is before `now` (time going backwards).
   */
  advanceTo(t: number): void {
    if (!isSafeTime(t) || t < this.t) throw badAdvance(t, this.t);
    this.t = t;
  }
}

// Error messages are built in a function of their own: TurboFan merges identical
// number-to-string conversions of two throw paths into one node and may then compute it on
// the hot path, for every call.
function badAdvance(t: number, now: number): RangeError {
  if (!isSafeTime(t)) return new RangeError(`clock time ${t} ns is not a safe integer (max ${MAX_TIME_NS} ns ≈ 104 days)`);
  return new RangeError(`clock time ${t} ns is before now ${now} ns: time going backwards`);
}

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: US, ms: MS, s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/**
 * A duration written with a unit (ns, us, ms, s, m, h, d), e.g. "90s", "1.5h", "1d".
 * @returns integer ns, or NaN when the text is not such a duration or is not a positive
 *   safe integer of ns (at most about 104 days).
 */
export function parseDurationNs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)$/.exec(text.trim());
  const v = m === null ? NaN : Math.round(Number(m[1]) * UNIT_NS[m[2]]);
  return v > 0 && Number.isSafeInteger(v) ? v : NaN;
}
