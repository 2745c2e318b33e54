// The classic SMA crossover, traded exactly as Backtrader's SmaCross example trades it.
import { z } from "zod";
import { CrossOver } from "./cross.ts";
import { ExactSum } from "./indicators/fsum.ts";
import { RollingWindow } from "./indicators/window.ts";
import { BarGuard, commonFields, exitsOf } from "./params.ts";
import { NO_EXITS, type Candle, type ExitRules, type Signal, type Strategy } from "./strategy.ts";

export const SmaCrossParams = z
  .strictObject({
    /** Bars in the fast simple moving average of closes. */
    fast: z.number().int().min(1).default(10),
    /** Bars in the slow simple moving average of closes. */
    slow: z.number().int().min(2).default(30),
    ...commonFields(NO_EXITS),
  })
  .refine((p) => p.fast < p.slow, { message: "fast must be shorter than slow", path: ["fast"] });
export type SmaCrossParams = z.infer<typeof SmaCrossParams>;

/**
 * Long when the fast SMA of closes crosses above the slow one, flat when it crosses below:
 * Backtrader's `SmaCross` (`CrossOver(SMA(fast), SMA(slow))`; buy when flat on +1, close when
 * long on −1). Matches it bar for bar, near-ties included:
 * - each SMA is `math.fsum(window) / period`: the window sum correctly rounded, kept exactly
 *   as the window slides ({@link ExactSum});
 * - crossings follow `CrossOver`'s last-non-zero-difference rule ({@link CrossOver});
 * - the first crossover value exists on bar `slow + 1` (SMA needs `slow` bars, `CrossOver`
 *   looks one bar back), so bars 1..slow return "hold" and `startupBars` is `slow + 1`.
 * No exits of its own by default. Creates no objects or arrays per bar.
 */
export class SmaCross implements Strategy {
  readonly name = "sma-cross";
  readonly timeframe: string;
  readonly startupBars: number;
  readonly exits: ExitRules;
  private readonly fast: number;
  private readonly slow: number;
  private readonly closes: RollingWindow;
  private readonly fastSum = new ExactSum();
  private readonly slowSum = new ExactSum();
  private readonly cross = new CrossOver();
  private readonly guard = new BarGuard();
  /** Latest fast and slow SMA in quote units; NaN until each has its window. */
  fastSma = NaN;
  slowSma = NaN;

  constructor(p: SmaCrossParams) {
    this.fast = p.fast;
    this.slow = p.slow;
    this.timeframe = p.timeframe;
    this.startupBars = p.slow + 1;
    this.exits = exitsOf(p);
    this.closes = new RollingWindow(p.slow + 1);
  }

  update(bar: Candle): Signal {
    this.guard.check(bar);
    const x = bar.close;
    const w = this.closes;
    w.push(x);
    this.fastSum.add(x);
    this.slowSum.add(x);
    // The window keeps slow + 1 closes so the one leaving the slow SMA is still there.
    if (w.count > this.fast) this.fastSum.add(-w.ago(this.fast));
    if (w.count > this.slow) this.slowSum.add(-w.ago(this.slow));
    if (w.count >= this.fast) this.fastSma = this.fastSum.value() / this.fast;
    if (w.count < this.slow) return "hold";
    this.slowSma = this.slowSum.value() / this.slow;
    const c = this.cross.update(this.fastSma, this.slowSma);
    return c > 0 ? "enter" : c < 0 ? "exit" : "hold";
  }
}
