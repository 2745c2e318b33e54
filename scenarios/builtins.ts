// The built-in scenarios, written as scenario files would be, and validated the same way.
import { buildScenario, typeRegistry } from "./build.ts";
import { parseScenario, type ScenarioSpec } from "./spec.ts";

/**
 * `normal`: a day of ordinary trading around 30,000 USDT, calibrated against the stylized facts
 * of real BTC/USDT 1-minute bars length for length: 21-day runs, the reference's own length,
 * match every fact the calibration targets within ±30% on seeds 1-8 and on seeds 9-16
 * (`tools/normal-facts.ts --duration-days 21`; docs/stylized-facts.md). The latent value's
 * volatility is the product of three factors, of about an hour, ten hours and days (a run
 * starts somewhere in the two slower cycles, so runs differ in volatility as real days do),
 * with small jumps for the minute's tails and rare news (a one-way drift over 80 minutes); market
 * activity moves the noise flow's rate, so volume has a life of its own beside volatility.
 * Judge it over seeds, not one run.
 */
const NORMAL = {
  name: "normal",
  description: "a day of ordinary trading: noise flow, market makers, value and trend traders",
  duration: "1d",
  initialPrice: 30_000,
  fundamental: {
    sigmaPerSqrtHour: 0.0021, volOfVolPerSqrtHour: 0.8, volReversionPerHour: 0.96, midVolOfVolPerSqrtHour: 0.3, midVolReversionPerHour: 0.1,
    slowVolOfVolPerSqrtHour: 0.075, slowVolReversionPerHour: 0.0067,
    jumpsPerDay: 39, jumpSigma: 0.0025, jumpsFollowVol: false, newsPerDay: 0.08, newsSigma: 0.03, newsMinutes: 80,
  },
  activity: { volOfVolPerSqrtHour: 1.4, reversionPerHour: 1 },
  populations: [
    { type: "noise", count: 60, params: { ratePerMin: 3 } },
    { type: "market-maker", count: 4, params: { refreshMs: 3000, gridBps: 2 } },
    { type: "fundamental", count: 20, params: { ratePerMin: 10, thresholdBps: 3, sizePerPct: 1.5, marketProb: 0.8, base: 150, quote: 4_500_000 } },
    { type: "momentum", count: 10, params: { sizePerPct: 0.1, thresholdBps: 25 } },
  ],
  // The baselines, then every rule strategy (agents/strategies) on 1-minute candles behind the
  // default risk manager, each with its own account.
  bots: [
    { name: "hodl", type: "buy-and-hold" },
    { name: "ema", type: "ema-cross" },
    ...["sma-cross", "trend-following", "mean-reversion", "breakout", "ensemble"].map((strategy) => ({ name: strategy, type: "strategy", params: { strategy } })),
  ],
};

/**
 * The background of the three-hour event scenarios: `normal` at its median volatility. Over
 * three hours the middle and slow factors are a level drawn at the start, and a seed drawn on
 * a crisis day would move the value past a leg's tolerance on its own (docs/stylized-facts.md).
 */
const EVENT_BACKGROUND = { ...NORMAL, fundamental: { ...NORMAL.fundamental, midVolOfVolPerSqrtHour: 0, slowVolOfVolPerSqrtHour: 0 } };

/**
 * `crash`: the normal market, then the latent value reprices by -30% 30 minutes in while the
 * market makers and value traders step back for 15 minutes; value traders carry the repricing
 * into the book. Not a price overwrite: the fall is traded.
 */
const CRASH = {
  ...EVENT_BACKGROUND,
  name: "crash",
  description: "a sudden -30%: the fundamental reprices 30 minutes in and the market trades it down",
  duration: "3h",
  expectedMovePct: -30,
  shocks: [
    { at: "30m", type: "fundamental-jump", label: "-30% repricing", params: { sizePct: -30 } },
    { at: "30m", type: "liquidity-withdrawal", label: "makers step back", params: { share: 0.5, minutes: 15 } },
  ],
};

/**
 * `pump-and-dump`: a manipulator accumulates for 30 minutes, then pumps with market buys behind
 * a spoofed ladder of bids while the story spreads (value traders' belief rises 50% over ten
 * minutes) and
 * momentum traders chase; an hour later the story collapses (-60% from the top) and the
 * manipulator dumps everything it holds at market.
 */
const PUMP_AND_DUMP = {
  ...EVENT_BACKGROUND,
  name: "pump-and-dump",
  description: "+50% on hype, spoofed bids and a manipulator's buying, then -60% from the top as it dumps",
  duration: "3h",
  populations: [
    ...NORMAL.populations,
    { type: "pump-and-dump", count: 1, params: { pumpAt: "30m", dumpAt: "90m", endAt: "150m" } },
    { type: "spoofer", count: 1, params: { from: "30m", until: "90m", side: "buy" } },
  ],
  moves: [
    { label: "pump", at: "30m", within: "1h", pct: 50 },
    { label: "dump", at: "90m", within: "90m", pct: -60 },
  ],
  shocks: [
    // The story spreads over ten minutes: five steps of +8.45% compound to +50%.
    ...[30, 32, 34, 36, 38].map((m, i) => ({
      at: `${m}m`, type: "fundamental-jump", label: i === 0 ? "pump: hype builds to +50%" : `hype step ${i + 1}`, params: { sizePct: 8.4472 },
    })),
    { at: "90m", type: "fundamental-jump", label: "dump: hype gone -60%", params: { sizePct: -60 } },
    { at: "90m", type: "liquidity-withdrawal", label: "buyers vanish", params: { share: 0.3, minutes: 20 } },
  ],
};

/**
 * `flash-crash`: an hour in, a whale sells and leveraged longs are liquidated one after another
 * while market makers and value traders step back for ten minutes; nothing changed in the
 * value, so when they return they buy the market back up within the hour.
 */
const FLASH_CRASH = {
  ...EVENT_BACKGROUND,
  name: "flash-crash",
  description: "-20% within 10 minutes from a whale sale and a liquidation cascade into a thin book, recovered within the hour",
  duration: "3h",
  populations: [
    ...NORMAL.populations,
    { type: "liquidation-cascade", count: 1, params: { at: "1h", firstPct: 1, lastPct: 20 } },
  ],
  moves: [
    { label: "flash crash", at: "1h", within: "10m", pct: -20 },
    { label: "recovery", at: "70m", within: "50m", pct: 25 },
  ],
  shocks: [{ at: "1h", type: "liquidity-withdrawal", label: "whale sale, liquidity pulled", params: { share: 0.9, minutes: 10 } }],
};

/** `high-volatility`: a normal day with the latent value three times as volatile (3x normal's ATR). */
const HIGH_VOLATILITY = {
  ...NORMAL,
  name: "high-volatility",
  description: "a day at three times the normal scenario's average true range",
  fundamental: { ...NORMAL.fundamental, sigmaPerSqrtHour: 0.006, jumpSigma: 0.026 },
  // Reference: normal's mean true range of 1-minute bars, averaged over seeds 1-8. The sigmas
  // are set so the suite's moves table (against the same seed's normal day) shows the 3x targeted.
  volatility: { atrMultiple: 3, referenceAtrPct: 0.1 },
};

export const BUILTIN_SPECS: Readonly<Record<string, unknown>> = Object.freeze({
  normal: NORMAL,
  crash: CRASH,
  "pump-and-dump": PUMP_AND_DUMP,
  "flash-crash": FLASH_CRASH,
  "high-volatility": HIGH_VOLATILITY,
});

/** A built-in scenario, validated. @throws when the name is unknown. */
export function builtinSpec(name: string): ScenarioSpec {
  if (!Object.hasOwn(BUILTIN_SPECS, name)) throw new Error(`scenario: ${JSON.stringify(name)} is not a built-in`);
  return parseScenario(BUILTIN_SPECS[name], typeRegistry());
}

export { buildScenario };
