// Instrument rules (tick, lot, min notional, fees) and the integer unit system derived from them.
import { z } from "zod";
import { parseAt } from "./validate.ts";

/**
 * An instrument as a user writes it: decimal tick and lot, asset scales, fee rates.
 * Inside the engine everything is an integer: prices in ticks, sizes in lots, balances in
 * the smallest unit of each asset (satoshis for BTC; `quoteScale` units per quote coin).
 */
export const InstrumentSpec = z
  .object({
    symbol: z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, "must look like BASE/QUOTE"),
    /** Quote currency per tick, e.g. 0.01 USDT. */
    tickSize: z.number().positive().finite(),
    /** Base currency per lot, e.g. 0.0001 BTC. */
    lotSize: z.number().positive().finite(),
    /** Smallest units per base coin: 1e8 for BTC (satoshis). */
    baseScale: z.number().int().positive(),
    /** Smallest units per quote coin: 1e6 for USDT. */
    quoteScale: z.number().int().positive(),
    /** Smallest accepted order value, in quote coins (e.g. 5 USDT). */
    minNotional: z.number().nonnegative().finite(),
    /** Maker fee in parts per million of notional (1000 = 0.1%). */
    makerFeePpm: z.number().int().min(0).max(1_000_000),
    takerFeePpm: z.number().int().min(0).max(1_000_000),
  })
  .strict();
export type InstrumentSpec = z.infer<typeof InstrumentSpec>;

/** The default: BTC/USDT with a 0.01 tick, 0.0001 BTC lot, 5 USDT minimum and 0.1% fees. */
export const DEFAULT_INSTRUMENT: InstrumentSpec = Object.freeze({
  symbol: "BTC/USDT",
  tickSize: 0.01,
  lotSize: 0.0001,
  baseScale: 100_000_000,
  quoteScale: 1_000_000,
  minNotional: 5,
  makerFeePpm: 1000,
  takerFeePpm: 1000,
});

/** A validated instrument with its integer conversion factors. Immutable. */
export interface Instrument {
  readonly spec: InstrumentSpec;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Base smallest units in one lot. */
  readonly baseUnitsPerLot: number;
  /** Quote smallest units paid for one lot at a price of one tick. */
  readonly quoteUnitsPerTickLot: number;
  /** Minimum notional in quote smallest units. */
  readonly minNotionalUnits: number;
  readonly makerFeePpm: number;
  readonly takerFeePpm: number;
  /** 1 / tickSize when that is a whole number (0.01 → 100), else 0: lets ticksToPrice divide
   * by an integer, which gives the double nearest the decimal price exactly and fast. */
  readonly ticksPerCoin: number;
  /** 1 / lotSize when that is a whole number, else 0. */
  readonly lotsPerCoin: number;
}

/** Exact integer if `x` is within a relative 1e-9 of one, else NaN. */
function nearInteger(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : NaN;
}

/**
 * Validates a spec and derives integer factors.
 * @throws Error naming the field and value when the spec is invalid or its units are not
 *   integers (a tick × lot smaller than one quote unit cannot be settled exactly).
 */
export function makeInstrument(input: unknown = DEFAULT_INSTRUMENT): Instrument {
  const spec = parseAt(InstrumentSpec, input, "instrument");
  const baseUnitsPerLot = nearInteger(spec.lotSize * spec.baseScale);
  if (!(baseUnitsPerLot >= 1)) {
    throw new Error(
      `instrument.lotSize: ${spec.lotSize} is not a whole number of base units at baseScale ${spec.baseScale}`,
    );
  }
  const quoteUnitsPerTickLot = nearInteger(spec.tickSize * spec.lotSize * spec.quoteScale);
  if (!(quoteUnitsPerTickLot >= 1)) {
    throw new Error(
      `instrument.tickSize: ${spec.tickSize} × lotSize ${spec.lotSize} is not a whole number of quote units at quoteScale ${spec.quoteScale}`,
    );
  }
  const [base, quote] = spec.symbol.split("/");
  return Object.freeze({
    spec,
    symbol: spec.symbol,
    base,
    quote,
    baseUnitsPerLot,
    quoteUnitsPerTickLot,
    minNotionalUnits: Math.round(spec.minNotional * spec.quoteScale),
    makerFeePpm: spec.makerFeePpm,
    takerFeePpm: spec.takerFeePpm,
    ticksPerCoin: wholeInverse(spec.tickSize),
    lotsPerCoin: wholeInverse(spec.lotSize),
  });
}

/**
 * Fee on a notional, rounded down to the quote unit. Exact for any safe-integer notional:
 * splitting avoids the product notional × ppm leaving the safe-integer range. Rounding down
 * means fees charged on partial fills never add up to more than the fee on the whole.
 */
export function feeOf(notionalUnits: number, ppm: number): number {
  const q = Math.floor(notionalUnits / 1_000_000);
  const r = notionalUnits - q * 1_000_000;
  return q * ppm + Math.floor((r * ppm) / 1_000_000);
}

/** Converts a decimal price to ticks; NaN when it is not on the tick grid. */
export function priceToTicks(inst: Instrument, price: number): number {
  return nearInteger(price / inst.spec.tickSize);
}

/** Converts a decimal base amount to lots; NaN when it is not a whole number of lots. */
export function amountToLots(inst: Instrument, amount: number): number {
  return nearInteger(amount / inst.spec.lotSize);
}

/** 1/x when it is a whole number (within 1e-9 relative), else 0. */
function wholeInverse(x: number): number {
  const inv = nearInteger(1 / x);
  return Number.isSafeInteger(inv) && inv >= 1 ? inv : 0;
}

/** Price in quote coins of a number of ticks: the double nearest the exact decimal. */
export function ticksToPrice(inst: Instrument, ticks: number): number {
  const d = inst.ticksPerCoin;
  return d !== 0 ? ticks / d : Number((ticks * inst.spec.tickSize).toPrecision(15));
}

/** Amount in base coins of a number of lots: the double nearest the exact decimal. */
export function lotsToAmount(inst: Instrument, lots: number): number {
  const d = inst.lotsPerCoin;
  return d !== 0 ? lots / d : Number((lots * inst.spec.lotSize).toPrecision(15));
}
