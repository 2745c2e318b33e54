// Bots added to built-in scenarios for a suite (e.g. a trained policy beside the baselines), validated as a scenario file's bots are.
import { typeRegistry } from "../scenarios/build.ts";
import { builtinRawSpecOf } from "../scenarios/registry.ts";
import { parseScenario, type ScenarioSpec } from "../scenarios/spec.ts";

/** A bot as a scenario file writes it (plain data: it crosses to the suite's workers). */
export interface ExtraBot {
  readonly name: string;
  readonly type: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * The built-in `scenario` (or episode) with `bots` after its own, parsed like a scenario file.
 * @throws ValidationError naming the field (e.g. `bots[7].params.policy`) when a bot is refused.
 */
export function withBots(scenario: string, bots: readonly ExtraBot[]): ScenarioSpec {
  const raw = builtinRawSpecOf(scenario) as { bots?: unknown[] } | undefined;
  if (raw === undefined) throw new Error(`scenario: ${JSON.stringify(scenario)} is not a built-in`);
  return parseScenario({ ...raw, bots: [...(raw.bots ?? []), ...bots] }, typeRegistry());
}
