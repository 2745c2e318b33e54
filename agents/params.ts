// Parameter pieces agents share: durations written as text in scenario files ("30m", "2h").
import { z } from "zod";
import { parseDurationNs } from "../sim/clock.ts";

/** A time offset from the start of the run, written "90s", "30m", "6h" or "1d"; parsed to ns. */
export const Offset = z.string().transform((text, ctx) => {
  const ns = parseDurationNs(text);
  if (Number.isNaN(ns)) {
    ctx.addIssue({ code: "custom", message: "must be a positive duration such as 90s, 30m, 6h or 1d" });
    return z.NEVER;
  }
  return ns;
});

/** Tracks an agent's own inventory from its fills (base coins), for agents that never await. */
export class Inventory {
  coins = 0;
  constructor(private readonly lot: number) {}
  /** SimListener.onFill body: size in lots, buy adds, sell subtracts. */
  fill(buy: boolean, lots: number): void {
    this.coins += (buy ? 1 : -1) * lots * this.lot;
  }
}
