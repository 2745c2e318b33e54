// Per-agent network latency: a constant delay plus seeded uniform jitter, each way.
import { z } from "zod";
import { parseAt } from "../market/validate.ts";
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

/**
 * Validates a latency spec.
 * @throws Error naming the field, its value and the rule, e.g.
 *   `latency.jitterNs: -5 is invalid: Too small: expected number to be >=0`.
 */
export function parseLatencySpec(input: unknown): LatencySpec {
  return parseAt(LatencySpec, input, "latency");
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
