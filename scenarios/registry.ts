// Built-in worlds by name: what `arena run NAME` can build.
import { RANDOM_TRADER_DEFAULTS } from "../agents/random-trader.ts";
import { HOUR } from "../sim/clock.ts";
import type { Kernel } from "../sim/kernel.ts";
import { ordersPerHour } from "./activity.ts";
import { buildScenario } from "./build.ts";
import { BUILTIN_SPECS, builtinSpec } from "./builtins.ts";
import { BUILTIN_EPISODES, episodeBuiltinSpec, episodeRawSpec, isBuiltinEpisode } from "./episodes.ts";
import { buildSmoke, SMOKE_DURATION_NS } from "./smoke.ts";
import type { ScenarioSpec } from "./spec.ts";

export interface WorldEntry {
  readonly describe: string;
  readonly defaultDurationNs: number;
  /** The most orders its agents may send an hour (scenarios/activity.ts). */
  readonly ordersPerHour: number;
  build(seed: number | string): Kernel;
}

export const WORLDS: Readonly<Record<string, WorldEntry>> = Object.freeze({
  smoke: {
    describe: "8 random traders around 30,000 USDT: proves the loop end to end",
    defaultDurationNs: SMOKE_DURATION_NS,
    ordersPerHour: (8 * HOUR) / RANDOM_TRADER_DEFAULTS.meanWakeNs,
    build: (seed: number | string) => buildSmoke({ seed }),
  },
  ...Object.fromEntries(
    Object.keys(BUILTIN_SPECS).map((name) => [
      name,
      {
        describe: builtinSpec(name).description,
        defaultDurationNs: builtinSpec(name).duration,
        ordersPerHour: ordersPerHour(builtinSpec(name)),
        build: (seed: number | string) => buildScenario(builtinSpec(name), seed).kernel,
      },
    ]),
  ),
  // Episodes read their data only when built: listing the worlds costs nothing.
  ...Object.fromEntries(
    Object.entries(BUILTIN_EPISODES).map(([name, e]) => [
      name,
      {
        describe: e.description,
        defaultDurationNs: (Date.parse(e.to) - Date.parse(e.from)) * 1e6,
        // Normal's populations trade every episode.
        ordersPerHour: ordersPerHour(builtinSpec("normal")),
        build: (seed: number | string) => buildScenario(episodeBuiltinSpec(name), seed).kernel,
      },
    ]),
  ),
});

/** The validated spec of a built-in written as a spec (the five scenarios and the episodes); undefined for `smoke` or an unknown name. */
export function builtinSpecOf(name: string): ScenarioSpec | undefined {
  if (Object.hasOwn(BUILTIN_SPECS, name)) return builtinSpec(name);
  if (isBuiltinEpisode(name)) return episodeBuiltinSpec(name);
  return undefined;
}

/** A built-in scenario or episode as a scenario file would hold it (to add bots to), or undefined. */
export function builtinRawSpecOf(name: string): unknown {
  if (Object.hasOwn(BUILTIN_SPECS, name)) return BUILTIN_SPECS[name];
  if (isBuiltinEpisode(name)) return episodeRawSpec(name);
  return undefined;
}

/** Names `builtinSpecOf` knows: the five scenarios, then the episodes. */
export function builtinSpecNames(): string[] {
  return Object.keys(WORLDS).filter((w) => builtinSpecOf(w) !== undefined);
}

/** @throws Error naming the unknown world and listing the known ones. */
export function worldByName(name: string): WorldEntry {
  const w = Object.hasOwn(WORLDS, name) ? WORLDS[name] : undefined;
  if (w === undefined) throw new Error(`scenario: ${JSON.stringify(name)} is not a built-in (known: ${Object.keys(WORLDS).join(", ")})`);
  return w;
}
