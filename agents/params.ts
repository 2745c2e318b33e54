// Parameter pieces agents share: durations written as text in scenario files ("30m", "2h"), bounded times and rates.
import { z } from "zod";
import { DAY, MAX_TIME_NS, parseDurationNs } from "../sim/clock.ts";

/** A time offset from the start of the run, written "90s", "30m", "6h" or "1d"; parsed to ns. */
export const Offset = z.string().transform((text, ctx) => {
  const ns = parseDurationNs(text);
  if (Number.isNaN(ns)) {
    ctx.addIssue({ code: "custom", message: "must be a positive duration such as 90s, 30m, 6h or 1d" });
    return z.NEVER;
  }
  return ns;
});

/** The longest wake-up interval (refresh, step): a day, so the wakes it schedules stay far inside the clock's 104 days. */
export const MAX_STEP_NS = DAY;

/** "1 day", "104 days": a cap as messages show it. */
function days(ns: number): string {
  const d = ns / DAY;
  return d === 1 ? "1 day" : `${Math.floor(d)} days`;
}

/**
 * A time parameter written in a unit `nsPerUnit` ns long (1e6 for ms, 1e9 for s): once rounded
 * to whole ns it must be at least 1 ns (0 too when `zero`) and at most `maxNs`, so the times
 * it gives the kernel are safe integers that move forward.
 */
export function time(nsPerUnit: number, unit: string, options: { maxNs?: number; zero?: boolean } = {}) {
  const maxNs = options.maxNs ?? MAX_TIME_NS;
  const low = options.zero === true ? "0 or at least 1 ns" : "at least 1 ns";
  return z.number().refine(
    (v) => {
      const ns = Math.round(v * nsPerUnit);
      return Number.isFinite(v) && ((options.zero === true && v === 0) || (ns >= 1 && ns <= maxNs));
    },
    { message: `must be a time of ${low} (${1 / nsPerUnit} ${unit}) and at most ${days(maxNs)} (${maxNs / nsPerUnit} ${unit})` },
  );
}

/** Lowest arrival rate, a minute: one a day, so the mean gap between arrivals stays within MAX_STEP_NS. */
export const MIN_RATE_PER_MIN = 1 / 1440;

/** Mean arrivals per minute of a Poisson process: from one a day to ten a second. */
export const RatePerMin = z
  .number()
  .min(MIN_RATE_PER_MIN, `must be at least ${MIN_RATE_PER_MIN} (one a day)`)
  .max(600, "must be at most 600 (ten a second)");

/** Tracks an agent's own inventory from its fills (base coins), for agents that never await. */
export class Inventory {
  coins = 0;
  constructor(private readonly lot: number) {}
  /** SimListener.onFill body: size in lots, buy adds, sell subtracts. */
  fill(buy: boolean, lots: number): void {
    this.coins += (buy ? 1 : -1) * lots * this.lot;
  }
}
