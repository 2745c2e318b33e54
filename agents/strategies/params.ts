// Parameters every strategy shares (timeframe, Freqtrade-style exits) and the per-bar input guard.
import { z } from "zod";
import type { Candle, ExitRules } from "./strategy.ts";

/** Bar lengths a strategy can be written for. */
export const TIMEFRAMES = ["1m", "5m", "15m", "1h", "4h", "1d"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** Stop-loss, ROI table and trailing stop used by the rule strategies unless params say otherwise. */
export const DEFAULT_EXITS: ExitRules = Object.freeze({
  stoploss: -0.05,
  roi: Object.freeze([Object.freeze([0, 0.1] as const)]),
  trailing: null,
});

const RoiTable = z
  .array(z.tuple([z.number().int().min(0), z.number().finite()]))
  .refine((rows) => new Set(rows.map((r) => r[0])).size === rows.length, { message: "ROI minutes must be distinct" });

const Trailing = z.strictObject({
  /** How far below the best price the stop trails, a fraction (0.02 = 2%). */
  distance: z.number().gt(0).lt(1),
  /** Gain over the entry price, a fraction, before the stop starts trailing (0 = at once). */
  offset: z.number().min(0).finite().default(0),
});

/**
 * Zod fields every strategy's params carry: `timeframe` (default "1h") and the exits
 * `stoploss` (a negative fraction, -0.05 = -5%, or null), `roi` ([minutes since entry, minimum
 * profit as a fraction] rows) and `trailing` ({distance, offset} fractions, or null), whose
 * defaults come from `exits`.
 */
export function commonFields(exits: ExitRules) {
  return {
    timeframe: z.enum(TIMEFRAMES).default("1h"),
    stoploss: z.number().gt(-1).lt(0).nullable().default(exits.stoploss),
    roi: RoiTable.default(() => exits.roi.map(([m, p]) => [m, p] as [number, number])),
    trailing: Trailing.nullable().default(exits.trailing === null ? null : { ...exits.trailing }),
  };
}

/** What `commonFields` parses to. */
export interface CommonParams {
  readonly timeframe: Timeframe;
  readonly stoploss: number | null;
  readonly roi: ReadonlyArray<readonly [number, number]>;
  readonly trailing: { readonly distance: number; readonly offset: number } | null;
}

/** Frozen `ExitRules` from parsed params. */
export function exitsOf(p: CommonParams): ExitRules {
  return Object.freeze({
    stoploss: p.stoploss,
    roi: Object.freeze(p.roi.map(([m, r]) => Object.freeze([m, r] as const))),
    trailing: p.trailing === null ? null : Object.freeze({ distance: p.trailing.distance, offset: p.trailing.offset }),
  });
}

/**
 * Checks the one promise the runner makes about bars: times strictly increase and the values
 * indicators read are finite. A NaN close would silently poison every average after it.
 */
export class BarGuard {
  private last = -Infinity;

  /** @throws RangeError naming the field and the value when a bar breaks the promise. */
  check(bar: Candle): void {
    const t = bar.time;
    if (!(t > this.last)) throw new RangeError(`bar.time: ${t} is invalid: bars must arrive in increasing time order (previous ${this.last})`);
    if (!Number.isFinite(bar.close + bar.high + bar.low + bar.volume)) {
      for (const field of ["close", "high", "low", "volume"] as const) {
        if (!Number.isFinite(bar[field])) throw new RangeError(`bar.${field}: ${bar[field]} is invalid: must be finite`);
      }
    }
    this.last = t;
  }
}
