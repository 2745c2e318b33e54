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
  populations: [
    { type: "noise", count: 100, params: { ratePerMin: 3 } },
    { type: "market-maker", count: 4, params: { refreshMs: 2000 } },
    { type: "fundamental", count: 10 },
    { type: "momentum", count: 10 },
  ],
};

export const BUILTIN_SPECS: Readonly<Record<string, unknown>> = Object.freeze({ normal: NORMAL });

/** A built-in scenario, validated. @throws when the name is unknown. */
export function builtinSpec(name: string): ScenarioSpec {
  if (!Object.hasOwn(BUILTIN_SPECS, name)) throw new Error(`scenario: ${JSON.stringify(name)} is not a built-in`);
  return parseScenario(BUILTIN_SPECS[name], typeRegistry());
}

export { buildScenario };
