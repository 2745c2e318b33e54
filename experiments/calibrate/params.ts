// The parameters `arena calibrate` may move, their bounds, and how a point of the search becomes a scenario.
import { ACTIVITY_DEFAULTS } from "../../agents/activity.ts";
import { FUNDAMENTAL_DEFAULTS } from "../../agents/fundamental.ts";
import { AGENT_TYPES } from "../../agents/registry.ts";

/**
 * One parameter the search may move: where it lives in a scenario file, and its bounds. The
 * search works on log(value) scaled to [0, 1] between log(lo) and log(hi), so every parameter
 * moves in relative steps. Bounds lie inside what scenarios/spec.ts and the agents' schemas
 * accept (they are checked again when the scenario is parsed).
 */
export interface CalibrationParam {
  /** Name on the command line (`--params`) and in the report. */
  readonly name: string;
  /** `fundamental`, `activity` or a population type (the first population of that type). */
  readonly where: "fundamental" | "activity" | "noise" | "market-maker" | "fundamental-trader" | "momentum";
  /** The field: a key of the scenario's `fundamental`, `count`, or a key of the population's params. */
  readonly field: string;
  readonly lo: number;
  readonly hi: number;
  /** Rounded to a whole number (agent counts). */
  readonly integer: boolean;
  readonly doc: string;
}

/**
 * The table the README reproduces. Population rates and counts stay within a few times
 * `normal`'s so that no candidate costs more than about ten `normal` runs.
 */
export const CALIBRATION_PARAMS: readonly CalibrationParam[] = [
  { name: "sigmaPerSqrtHour", where: "fundamental", field: "sigmaPerSqrtHour", lo: 0.0005, hi: 0.05, integer: false, doc: "volatility of the latent value" },
  { name: "volOfVolPerSqrtHour", where: "fundamental", field: "volOfVolPerSqrtHour", lo: 0.02, hi: 3, integer: false, doc: "noise of its log-volatility (clustering)" },
  { name: "volReversionPerHour", where: "fundamental", field: "volReversionPerHour", lo: 0.01, hi: 10, integer: false, doc: "how fast the volatility returns to its base" },
  { name: "midVolOfVolPerSqrtHour", where: "fundamental", field: "midVolOfVolPerSqrtHour", lo: 0.005, hi: 1, integer: false, doc: "noise of a third log-volatility between the two (calm and turbulent stretches of hours)" },
  { name: "midVolReversionPerHour", where: "fundamental", field: "midVolReversionPerHour", lo: 0.01, hi: 2, integer: false, doc: "how fast the middle volatility returns to its base" },
  { name: "slowVolOfVolPerSqrtHour", where: "fundamental", field: "slowVolOfVolPerSqrtHour", lo: 0.005, hi: 1, integer: false, doc: "noise of a slow second log-volatility (calm and turbulent days)" },
  { name: "slowVolReversionPerHour", where: "fundamental", field: "slowVolReversionPerHour", lo: 0.001, hi: 1, integer: false, doc: "how fast the slow volatility returns to its base" },
  { name: "jumpsPerDay", where: "fundamental", field: "jumpsPerDay", lo: 0.1, hi: 500, integer: false, doc: "spontaneous jumps a day" },
  { name: "jumpSigma", where: "fundamental", field: "jumpSigma", lo: 0.0002, hi: 0.05, integer: false, doc: "jump size, log terms" },
  { name: "newsPerDay", where: "fundamental", field: "newsPerDay", lo: 0.01, hi: 24, integer: false, doc: "news a day: the value drifts one way for newsMinutes" },
  { name: "newsSigma", where: "fundamental", field: "newsSigma", lo: 0.001, hi: 0.2, integer: false, doc: "a news's total move, log terms" },
  { name: "newsMinutes", where: "fundamental", field: "newsMinutes", lo: 1, hi: 240, integer: false, doc: "how long a news drifts the value" },
  { name: "kappaPerHour", where: "fundamental", field: "kappaPerHour", lo: 0.001, hi: 5, integer: false, doc: "reversion of the value to its anchor" },
  { name: "activity.volOfVolPerSqrtHour", where: "activity", field: "volOfVolPerSqrtHour", lo: 0.01, hi: 5, integer: false, doc: "noise of the log multiplier of the noise flow's rate (volume beside volatility)" },
  { name: "activity.reversionPerHour", where: "activity", field: "reversionPerHour", lo: 0.05, hi: 20, integer: false, doc: "how fast activity returns to its mean" },
  { name: "noise.count", where: "noise", field: "count", lo: 15, hi: 240, integer: true, doc: "noise traders" },
  { name: "noise.ratePerMin", where: "noise", field: "ratePerMin", lo: 0.75, hi: 12, integer: false, doc: "orders a minute per noise trader" },
  { name: "market-maker.count", where: "market-maker", field: "count", lo: 1, hi: 16, integer: true, doc: "market makers" },
  { name: "fundamental.count", where: "fundamental-trader", field: "count", lo: 5, hi: 80, integer: true, doc: "value (fundamental) traders" },
  { name: "fundamental.ratePerMin", where: "fundamental-trader", field: "ratePerMin", lo: 2.5, hi: 40, integer: false, doc: "decisions a minute per value trader" },
  { name: "momentum.count", where: "momentum", field: "count", lo: 2, hi: 40, integer: true, doc: "momentum traders" },
  { name: "momentum.ratePerMin", where: "momentum", field: "ratePerMin", lo: 0.25, hi: 4, integer: false, doc: "decisions a minute per momentum trader" },
];

/** The population type in a scenario file of a `where` (the value trader's type is "fundamental"). */
const popType = (where: CalibrationParam["where"]) => (where === "fundamental-trader" ? "fundamental" : where);

type RawSpec = Record<string, unknown> & { populations?: { type?: unknown; count?: unknown; params?: Record<string, unknown> }[]; fundamental?: Record<string, unknown>; activity?: Record<string, unknown> };

/** The scenario-level sections a parameter may live in, and their defaults. */
const SECTION_DEFAULTS = { fundamental: FUNDAMENTAL_DEFAULTS, activity: ACTIVITY_DEFAULTS } as const;
const isSection = (where: CalibrationParam["where"]): where is keyof typeof SECTION_DEFAULTS => where === "fundamental" || where === "activity";

/** The first population of the parameter's type in a raw scenario, or undefined. */
function population(spec: RawSpec, p: CalibrationParam) {
  if (isSection(p.where)) return undefined;
  return (spec.populations ?? []).find((q) => q.type === popType(p.where));
}

/** Whether the scenario has what `p` moves (a population of its type; the fundamental and activity always). */
export function applies(spec: RawSpec, p: CalibrationParam): boolean {
  return isSection(p.where) || population(spec, p) !== undefined;
}

/** The value a raw scenario gives `p`, its type's default when the file leaves it out. */
export function valueIn(spec: RawSpec, p: CalibrationParam): number {
  if (isSection(p.where)) {
    const v = spec[p.where]?.[p.field];
    return typeof v === "number" ? v : (SECTION_DEFAULTS[p.where] as unknown as Record<string, number>)[p.field];
  }
  const pop = population(spec, p)!;
  if (p.field === "count") return pop.count as number;
  const v = pop.params?.[p.field];
  if (typeof v === "number") return v;
  return (AGENT_TYPES[popType(p.where)].params.parse({}) as Record<string, number>)[p.field];
}

/** A value to at most 4 significant digits (whole for counts): scenario files stay readable. */
export function tidy(p: CalibrationParam, v: number): number {
  return p.integer ? Math.round(v) : Number(v.toPrecision(4));
}

/** The search coordinate of a value: log-scaled into [0, 1] between the bounds, clipped. */
export function toUnit(p: CalibrationParam, v: number): number {
  const u = (Math.log(Math.max(v, 1e-300)) - Math.log(p.lo)) / (Math.log(p.hi) - Math.log(p.lo));
  return Math.min(1, Math.max(0, u));
}

/** The value of a search coordinate in [0, 1], tidied. */
export function fromUnit(p: CalibrationParam, u: number): number {
  return tidy(p, Math.exp(Math.log(p.lo) + u * (Math.log(p.hi) - Math.log(p.lo))));
}

/** A copy of the raw scenario with each parameter set to its value (same order as `params`). */
export function withValues(spec: RawSpec, params: readonly CalibrationParam[], values: readonly number[]): RawSpec {
  const out = structuredClone(spec) as RawSpec;
  params.forEach((p, i) => {
    if (isSection(p.where)) {
      out[p.where] = { ...(out[p.where] ?? {}), [p.field]: values[i] };
      return;
    }
    const pop = population(out, p)!;
    if (p.field === "count") pop.count = values[i];
    else pop.params = { ...(pop.params ?? {}), [p.field]: values[i] };
  });
  return out;
}
