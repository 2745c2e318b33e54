// A scenario's activity: the most orders its populations may send an hour, what a run's size is estimated from.
import { AGENT_TYPES } from "../agents/registry.ts";
import type { ScenarioSpec } from "./spec.ts";

/** Sum over populations of count × the most orders one agent of the type may send an hour. */
export function ordersPerHour(spec: Pick<ScenarioSpec, "populations">): number {
  let n = 0;
  for (const p of spec.populations) n += p.count * AGENT_TYPES[p.type].ordersPerHour(p.params);
  return n;
}
