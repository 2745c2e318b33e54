// The built-in scenarios, written as scenario files would be, and validated the same way.
import { buildScenario, typeRegistry } from "./build.ts";
import { parseScenario, type ScenarioSpec } from "./spec.ts";

/**
 * `normal`: a day of ordinary trading around 30,000 USDT. Work in progress: manipulators and
 * the bots under test join with the rest of the suite, and the populations' defaults are still to be calibrated
 * against the stylized facts of real BTC (`arena facts --run DIR`).
 */
const NORMAL = {
  name: "normal",
  description: "a day of ordinary trading: noise flow, market makers, value and trend traders",
  duration: "1d",
  initialPrice: 30_000,
  // Stochastic volatility in the latent value gives clustering out to long lags; its jumps
  // give the fat tails. Calibration so far (one day each): seed 2 meets every facts goal
  // (std 0.064%, kurtosis 13.5, lag-1 acf -0.05, |r| acf 0.28 at lag 1 and 0.25 at lag 30,
  // volume/|r| 0.73, Hill 2.8); seed 1 all but kurtosis (3.2). Still to average over seeds.
  fundamental: {
    sigmaPerSqrtHour: 0.004, volOfVolPerSqrtHour: 0.5, volReversionPerHour: 0.25, jumpsPerDay: 8, jumpSigma: 0.004,
  },
  populations: [
    { type: "noise", count: 100, params: { ratePerMin: 3 } },
    { type: "market-maker", count: 4, params: { refreshMs: 2000 } },
    { type: "fundamental", count: 30, params: { ratePerMin: 10, thresholdBps: 3, sizePerPct: 1, marketProb: 0.8 } },
    { type: "momentum", count: 10, params: { sizePerPct: 0.1, thresholdBps: 25 } },
  ],
  bots: [
    { name: "hodl", type: "buy-and-hold" },
    { name: "ema", type: "ema-cross" },
  ],
};

/**
 * `crash`: the normal market, then the latent value reprices by -30% 30 minutes in; value
 * traders carry it into the market while market makers widen and pull back. Not a price
 * overwrite: the fall is traded. Work in progress: liquidity withdrawal and a liquidation
 * cascade will join with the manipulators.
 */
const CRASH = {
  ...NORMAL,
  name: "crash",
  description: "a sudden -30%: the fundamental reprices 30 minutes in and the market trades it down",
  duration: "3h",
  expectedMovePct: -30,
  shocks: [{ at: "30m", type: "fundamental-jump", label: "-30% repricing", params: { sizePct: -30 } }],
};

export const BUILTIN_SPECS: Readonly<Record<string, unknown>> = Object.freeze({ normal: NORMAL, crash: CRASH });

/** A built-in scenario, validated. @throws when the name is unknown. */
export function builtinSpec(name: string): ScenarioSpec {
  if (!Object.hasOwn(BUILTIN_SPECS, name)) throw new Error(`scenario: ${JSON.stringify(name)} is not a built-in`);
  return parseScenario(BUILTIN_SPECS[name], typeRegistry());
}

export { buildScenario };
