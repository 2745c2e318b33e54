// Per-agent network latency: a constant delay plus seeded uniform jitter, each way.
import { z } from "zod";
import type { Rng } from "./rng.ts";

const nsField = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * One agent's latency, in integer ns. Parsed at the boundary by `LatencyModel`; unknown
 * keys are refused so a misspelt field cannot silently fall back to a default.
 */
export const LatencySpec = z.strictObject({
  /** Agent → venue delay for orders, cancels and amends. */
  inNs: nsField,
  /** Venue → agent delay for market data and fills. */
  outNs: nsField,
  /** Extra delay drawn uniformly from [0, jitterNs] on every message, each way. */
  jitterNs: nsField,
});
export type LatencySpec = z.infer<typeof LatencySpec>;

/** Reads `input` at `path`, for naming the offending value in an error. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * Validates a latency spec.
 * @throws Error naming the field, its value and the rule, e.g.
 *   `latency.jitterNs: -5 is invalid: Too small: expected number to be >=0`.
 */
export function parseLatencySpec(input: unknown): LatencySpec {
  const parsed = LatencySpec.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join(".") || "(spec)";
  const value = valueAt(input, issue.path);
  // String() rather than JSON so NaN and Infinity are named as such, not as null.
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new Error(`latency.${field}: ${shown} is invalid: ${issue.message}`);
}

/**
 * Draws message delays for one agent. Each delay is `base + U{0..jitterNs}` ns, at least 1
 * ns so a reply can never arrive at the instant of its cause.
 *
 * The two directions draw from separate forks ("latency/in", "latency/out") of the agent's
 * stream, so how much market data an agent receives never changes its order latencies.
 */
export class LatencyModel {
  readonly spec: LatencySpec;
  private readonly inRng: Rng;
  private readonly outRng: Rng;

  /**
   * @param spec validated here; see `parseLatencySpec`.
   * @param rng the agent's own stream (e.g. `root.fork("agents/mm/3")`); only forked, not drawn from.
   * @throws Error naming the field and value when the spec is invalid.
   */
  constructor(spec: LatencySpec, rng: Rng) {
    this.spec = parseLatencySpec(spec);
    this.inRng = rng.fork("latency/in");
    this.outRng = rng.fork("latency/out");
  }

  /** Delay in ns (integer ≥ 1) for the next order, cancel or amend to reach the venue. */
  orderIn(): number {
    return this.draw(this.spec.inNs, this.inRng);
  }

  /** Delay in ns (integer ≥ 1) for the next market-data or fill message to reach the agent. */
  dataOut(): number {
    return this.draw(this.spec.outNs, this.outRng);
  }

  private draw(base: number, rng: Rng): number {
    const j = this.spec.jitterNs;
    const d = j === 0 ? base : base + rng.int(0, j);
    return d < 1 ? 1 : d;
  }
}
