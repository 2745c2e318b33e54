// RSI thresholds: enter when RSI falls below a level, exit when it rises above another; the seed's rule under its memory filter.
import { z } from "zod";
import { RSI } from "trading-signals";
import { BarGuard, commonFields, DEFAULT_EXITS, exitsOf } from "./params.ts";
import type { Candle, ExitRules, Signal, Strategy } from "./strategy.ts";

/** The rule's own fields (memory-rsi adds its memory to them). */
export const rsiThresholdShape = {
  /** Bars in the RSI. */
  rsiPeriod: z.number().int().min(2).default(14),
  /** "enter" when RSI < this (the seed's 40). */
  entryBelow: z.number().min(0).max(100).default(40),
  /** "exit" when RSI > this. */
  exitAbove: z.number().min(0).max(100).default(60),
};

export function rsiLevels(p: { entryBelow: number; exitAbove: number }, ctx: z.RefinementCtx): void {
  if (p.entryBelow >= p.exitAbove) ctx.addIssue({ code: "custom", message: "entryBelow must be below exitAbove", path: ["entryBelow"] });
}

export const RsiThresholdParams = z.strictObject({ ...rsiThresholdShape, ...commonFields(DEFAULT_EXITS) }).superRefine(rsiLevels);
export type RsiThresholdParams = z.infer<typeof RsiThresholdParams>;

/**
 * On a bar's close: "exit" when RSI > `exitAbove`, "enter" when RSI < `entryBelow`, else
 * "hold". Exits besides: the Freqtrade-style stop-loss and ROI table (defaults -5%, +10%).
 */
export class RsiThreshold implements Strategy {
  readonly name: string;
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  private readonly rsi: RSI;
  private readonly p: Pick<RsiThresholdParams, "entryBelow" | "exitAbove">;
  private readonly guard = new BarGuard();
  private bars = 0;

  constructor(p: RsiThresholdParams, name = "rsi-threshold") {
    this.name = name;
    this.p = p;
    this.timeframe = p.timeframe;
    this.exits = exitsOf(p);
    this.rsi = new RSI(p.rsiPeriod);
    this.startupBars = p.rsiPeriod + 1;
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    const rsi = this.rsi.update(bar.close, false);
    if (++this.bars < this.startupBars || rsi === null) return "hold";
    if (rsi > this.p.exitAbove) return "exit";
    if (rsi < this.p.entryBelow) return "enter";
    return "hold";
  }
}
