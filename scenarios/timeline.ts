// Whether a run of a given length reaches everything on a scenario's timeline (its shocks and legs).
import type { ScenarioSpec } from "./spec.ts";

/** The latest shock or leg that starts at or after `durationNs`, or undefined when the run covers them all. */
export function lastBeyond(spec: Pick<ScenarioSpec, "shocks" | "moves">, durationNs: number): { readonly what: string; readonly at: number } | undefined {
  const events = [
    ...spec.shocks.map((s) => ({ what: `shock at ${s.at / 1e9} s (${JSON.stringify(s.label ?? s.type)})`, at: s.at })),
    ...spec.moves.map((m) => ({ what: `leg at ${m.at / 1e9} s (${JSON.stringify(m.label)})`, at: m.at })),
  ];
  let last: { what: string; at: number } | undefined;
  for (const e of events) if (e.at >= durationNs && (last === undefined || e.at > last.at)) last = e;
  return last;
}

/**
 * Refuses a duration that ends before one of the scenario's shocks or legs: the run would
 * drop it silently and report a move that never had a chance to happen.
 * @throws Error `${flag}: 600 s ends before crash's shock at 1800 s ("-30% repricing"); give a duration longer than 1800 s`.
 */
export function checkDurationCovers(spec: Pick<ScenarioSpec, "name" | "shocks" | "moves">, durationNs: number, flag = "--duration"): void {
  const last = lastBeyond(spec, durationNs);
  if (last === undefined) return;
  throw new Error(`${flag}: ${durationNs / 1e9} s ends before ${spec.name}'s ${last.what}; give a duration longer than ${last.at / 1e9} s`);
}
