// ScenarioSpec: a declarative world (populations, shocks on a timeline, bots, criteria), checked with zod.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ACTIVITY_DEFAULTS } from "../agents/activity.ts";
import { InstrumentSpec } from "../market/instrument.ts";
import { parseAt, ValidationError } from "../market/validate.ts";
import { parseDurationNs } from "../sim/clock.ts";
import { checkScenarioLimits, type PopulationLimits } from "./limits.ts";

/** A duration in a spec: text with a unit ("90s", "30m", "6h", "1d"), turned into ns. */
const Duration = z
  .string()
  .transform((text, ctx) => {
    const ns = parseDurationNs(text);
    if (Number.isNaN(ns)) {
      ctx.addIssue({ code: "custom", message: "must be a positive duration such as 90s, 30m, 6h or 1d (at most 104 days)" });
      return z.NEVER;
    }
    return ns;
  });

/** Parameters of an agent or shock type: checked against that type's own schema later. */
const Params = z.record(z.string(), z.unknown()).default({});

const Population = z.strictObject({
  /** Agent type, e.g. "noise", "market-maker"; must be known to the agent registry. */
  type: z.string().min(1),
  /**
   * Names the agents `NAME/0`, `NAME/1`... (each name keys its random stream); defaults to the
   * type, so two populations of one type need a name each but the first.
   */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes").optional(),
  /** How many agents of this type; 0 switches the population off. */
  count: z.number().int().min(0).max(100_000),
  params: Params,
});

const Shock = z.strictObject({
  /** When the shock starts, from the start of the run. */
  at: Duration,
  /** Shock type, e.g. "fundamental-jump", "liquidity-withdrawal", "whale-sweep". */
  type: z.string().min(1),
  /** A label for reports; defaults to the type. */
  label: z.string().optional(),
  params: Params,
});

const Bot = z.strictObject({
  /** Unique within the scenario: keys the bot's random stream and its report rows. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes"),
  type: z.string().min(1),
  /** Starting holdings in coins. */
  base: z.number().min(0).finite().default(0),
  quote: z.number().min(0).finite().default(100_000),
  params: Params,
});

/** The seed design's judgement of a bot: it survives, stays under a drawdown, keeps its account. */
const Criteria = z
  .strictObject({
    maxDrawdownPct: z.number().positive().max(100).default(15),
    mustSurvive: z.boolean().default(true),
    noBlownAccount: z.boolean().default(true),
  })
  .default({ maxDrawdownPct: 15, mustSurvive: true, noBlownAccount: true });

/** Most points a path may hold: 104 days of 1-minute bars, the longest run. */
export const MAX_PATH_POINTS = 150_000;

const FundamentalPath = z.strictObject({
  /** Time between points: the bar size of the data ("1m", "1h"); a whole number of seconds. */
  step: Duration.refine((ns) => ns % 1_000_000_000 === 0, "must be a whole number of seconds"),
  /** Prices at the points, quote coins. */
  prices: z.array(z.number().positive().finite()).min(2).max(MAX_PATH_POINTS),
  /** Brownian-bridge noise between points, per square-root hour (agents/fundamental-path.ts); 0 keeps straight lines. */
  bridgeSigmaPerSqrtHour: z.number().min(0).max(1, "must be at most 1 (100% per square-root hour)").default(0),
});

/** Where an episode's path came from: written by `arena episode`, shown in reports. */
const Source = z.strictObject({
  generatedBy: z.literal("arena episode"),
  /** The bars file, as given. */
  data: z.string(),
  /** Open times of the first and last bar used, ISO 8601 UTC. */
  from: z.iso.datetime(),
  to: z.iso.datetime(),
});

export const ScenarioSpecSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes"),
    description: z.string().default(""),
    duration: Duration,
    /** UTC time that simulated time 0 stands for. */
    epoch: z.iso.datetime().default("2023-03-01T00:00:00Z"),
    /** Overrides of the default instrument (tick, lot, fees...). */
    instrument: InstrumentSpec.partial().default({}),
    /** Price the world starts from, in quote coins. */
    initialPrice: z.number().positive().finite(),
    /** The latent fundamental process (agents/fundamental.ts); unset fields keep defaults. */
    fundamental: z
      .strictObject({
        // Bounds keep the 1-second steps of the path stable and its values finite.
        kappaPerHour: z.number().min(0).max(3600, "must be at most 3600 (full reversion within a step)"),
        sigmaPerSqrtHour: z.number().min(0).max(1, "must be at most 1 (100% per square-root hour)"),
        jumpsPerDay: z.number().min(0).max(86_400, "must be at most 86400 (one a step)"),
        jumpSigma: z.number().min(0).max(1, "must be at most 1 (100% in log terms)"),
        volOfVolPerSqrtHour: z.number().min(0).max(10, "must be at most 10"),
        volReversionPerHour: z.number().min(0).max(3600, "must be at most 3600 (full reversion within a step)"),
        jumpsFollowVol: z.boolean(),
        slowVolOfVolPerSqrtHour: z.number().min(0).max(10, "must be at most 10"),
        slowVolReversionPerHour: z.number().positive().max(3600, "must be at most 3600 (full reversion within a step)"),
        midVolOfVolPerSqrtHour: z.number().min(0).max(10, "must be at most 10"),
        midVolReversionPerHour: z.number().positive().max(3600, "must be at most 3600 (full reversion within a step)"),
        newsPerDay: z.number().min(0).max(1440, "must be at most 1440 (one a minute)"),
        newsSigma: z.number().min(0).max(1, "must be at most 1 (100% in log terms)"),
        newsMinutes: z.number().min(1).max(1440, "must be at most 1440 (a day)"),
        /**
         * A real price path the latent value follows instead of the process above (an episode:
         * `arena episode`): point k at time k × step, straight lines in log space between points.
         */
        path: FundamentalPath,
      })
      .partial()
      .default({}),
    /**
     * Market activity (agents/activity.ts): the noise flow's rate times a shared log-normal
     * multiplier, so volume varies beside volatility; off at volOfVolPerSqrtHour 0.
     */
    activity: z
      .strictObject({
        volOfVolPerSqrtHour: z.number().min(0).max(10, "must be at most 10"),
        reversionPerHour: z.number().positive().max(60, "must be at most 60 (full reversion within a minute)"),
      })
      .partial()
      .default({})
      .transform((a) => ({ ...ACTIVITY_DEFAULTS, ...a })),
    /**
     * The move the scenario is built to produce, in percent (e.g. -30), measured from the first
     * shock to the run's end; shorthand for a single leg in `moves`.
     */
    expectedMovePct: z.number().finite().optional(),
    /**
     * The path the scenario is built to produce, leg by leg: each from the last close before
     * `at` to the most extreme close in its direction within `within`. Every run reports the
     * realised legs beside these.
     */
    moves: z
      .array(z.strictObject({ label: z.string().min(1), at: Duration, within: Duration, pct: z.number().gt(-100).finite() }))
      .default([]),
    /**
     * Volatility the scenario is built to produce, as a multiple of a reference mean true range
     * of 1-minute bars (percent of price, measured on `normal`); reported beside the realised one.
     */
    volatility: z.strictObject({ atrMultiple: z.number().positive().finite(), referenceAtrPct: z.number().positive().finite() }).optional(),
    populations: z.array(Population).min(1),
    shocks: z.array(Shock).default([]),
    bots: z.array(Bot).default([]),
    criteria: Criteria,
    source: Source.optional(),
  })
  .superRefine((spec, ctx) => {
    const path = spec.fundamental.path;
    if (path !== undefined) {
      for (const key of Object.keys(spec.fundamental)) {
        if (key !== "path") {
          ctx.addIssue({ code: "custom", path: ["fundamental", key], message: "cannot be combined with fundamental.path: the path sets the latent value, so the process's parameters do not apply" });
        }
      }
      const spanNs = (path.prices.length - 1) * path.step;
      if (spec.duration > spanNs) {
        ctx.addIssue({ code: "custom", path: ["duration"], message: `must be at most the span of fundamental.path, ${spanNs / 1e9} s (${path.prices.length} points ${path.step / 1e9} s apart)` });
      }
    }
    spec.moves.forEach((m, i) => {
      if (m.at >= spec.duration) {
        ctx.addIssue({ code: "custom", path: ["moves", i, "at"], message: `must fall inside the run, which lasts ${spec.duration / 1e9} s` });
      }
    });
    spec.shocks.forEach((s, i) => {
      if (s.at >= spec.duration) {
        ctx.addIssue({ code: "custom", path: ["shocks", i, "at"], message: `must fall inside the run, which lasts ${spec.duration / 1e9} s` });
      }
    });
    const names = new Set<string>();
    spec.bots.forEach((b, i) => {
      if (names.has(b.name)) ctx.addIssue({ code: "custom", path: ["bots", i, "name"], message: "is used by another bot" });
      names.add(b.name);
    });
  });

/** A validated scenario. Durations are integer ns; `epochMs` is Unix ms of time 0. */
export type ScenarioSpec = Omit<z.infer<typeof ScenarioSpecSchema>, "epoch"> & { readonly epochMs: number };

/** What the spec needs to know of agent and shock types: their names and parameter schemas. */
export interface TypeRegistry {
  readonly agents: Readonly<Record<string, z.ZodType>>;
  readonly shocks: Readonly<Record<string, z.ZodType>>;
  readonly bots: Readonly<Record<string, z.ZodType>>;
  /** Endowments and order sizes of agent types, for the venue's limits (scenarios/limits.ts). */
  readonly limits?: Readonly<Record<string, PopulationLimits>>;
}

/**
 * Validates a scenario: the shape, then each population's, shock's and bot's type and
 * parameters against `registry`.
 * @throws ValidationError naming the field (e.g. `scenario.populations[1].count`), the value
 *   and the rule: unknown types, negative populations, shocks outside the run, bad params, and
 *   what the venue cannot hold (scenarios/limits.ts).
 */
export function parseScenario(input: unknown, registry: TypeRegistry): ScenarioSpec {
  const spec = parseAt(ScenarioSpecSchema, input, "scenario");
  const raw = input as { populations: { params?: unknown }[]; shocks?: { params?: unknown }[]; bots?: { params?: unknown }[] };
  const checkType = (kind: "agents" | "shocks" | "bots", list: "populations" | "shocks" | "bots", i: number, type: string): z.ZodType => {
    const schemas = registry[kind];
    const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    if (schema === undefined) {
      const field = `scenario.${list}[${i}].type`;
      throw new ValidationError(field, `${field}: ${JSON.stringify(type)} is not a known type (known: ${Object.keys(schemas).join(", ")})`);
    }
    return schema;
  };
  const populations = spec.populations.map((p, i) => ({
    ...p,
    params: parseAt(checkType("agents", "populations", i, p.type), raw.populations[i].params ?? {}, `scenario.populations[${i}].params`) as Record<string, unknown>,
  }));
  const shocks = spec.shocks.map((s, i) => ({
    ...s,
    params: parseAt(checkType("shocks", "shocks", i, s.type), raw.shocks?.[i]?.params ?? {}, `scenario.shocks[${i}].params`) as Record<string, unknown>,
  }));
  const bots = spec.bots.map((b, i) => ({
    ...b,
    params: parseAt(checkType("bots", "bots", i, b.type), raw.bots?.[i]?.params ?? {}, `scenario.bots[${i}].params`) as Record<string, unknown>,
  }));
  const { epoch, ...rest } = spec;
  const parsed = { ...rest, populations, shocks, bots, epochMs: Date.parse(epoch) };
  checkScenarioLimits(parsed, registry.limits);
  return parsed;
}

/**
 * Reads and validates a scenario file (JSON).
 * @throws ValidationError naming the file and field; an Error for a missing or non-JSON file.
 */
export async function loadScenarioFile(path: string, registry: TypeRegistry): Promise<ScenarioSpec> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`scenario file ${JSON.stringify(path)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`scenario file ${JSON.stringify(path)}: is not JSON (${(err as Error).message})`);
  }
  try {
    return parseScenario(json, registry);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.field, `${path}: ${err.message}`);
    throw err;
  }
}
