// What population agents share in one run: the latent fundamental and the starting price.
import type { SimExchange } from "../market/sim-exchange.ts";
import type { AgentContext } from "../sim/kernel.ts";
import type { Fundamental } from "./fundamental.ts";

/** The shared, read-only context a population agent is built with. */
export interface World {
  readonly fundamental: Fundamental;
  /** Starting price, quote coins. */
  readonly initialPrice: number;
}

/**
 * Mid price in ticks as the agent's feed shows it: the mid of the delayed top, else the one
 * side there is, else `fallbackTicks` (an empty book at the start of a run).
 */
export function midTicks(ex: SimExchange, fallbackTicks: number): number {
  const b = ex.bidTicks();
  const a = ex.askTicks();
  if (b > 0 && a > 0) return (a + b) / 2;
  if (b > 0) return b;
  if (a > 0) return a;
  return fallbackTicks;
}

/** Time to an agent's next arrival, ns: exponential with `ratePerMin` arrivals a minute (a Poisson process). */
export function poissonGapNs(ctx: AgentContext, ratePerMin: number): number {
  return Math.max(1, Math.round(ctx.rng.exponential(ratePerMin / 60_000_000_000)));
}
