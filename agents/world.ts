// What population agents share in one run: the latent fundamental and the starting price.
import type { PopulationPort } from "../market/sim-population-port.ts";
import type { AgentContext } from "../sim/kernel.ts";

/**
 * Liquidity withdrawal, set by a scenario shock: until `until` (ns), each decision of a
 * liquidity provider (market maker, value trader) is skipped with probability `share`.
 */
export interface Withdrawal {
  until: number;
  share: number;
}

/** The latent value traders trade around: a process (agents/fundamental.ts) or a real path (agents/fundamental-path.ts). */
export interface LatentValue {
  /** The value at time `t` ns, quote coins; `t` does not go backwards. */
  valueAt(t: number): number;
  /** A lasting repricing by `pct` percent, applied by scenario shocks. */
  jump(pct: number): void;
}

/** The shared context a population agent is built with; only shocks change `withdrawal`. */
export interface World {
  readonly fundamental: LatentValue;
  /** Starting price, quote coins. */
  readonly initialPrice: number;
  readonly withdrawal: Withdrawal;
  /** The noise flow's rate multiplier (agents/activity.ts); absent, the rate is constant. */
  readonly activity?: { at(t: number): number };
}

/** Whether a liquidity provider sits this decision out (draws from its stream only inside a withdrawal). */
export function withdrawn(world: World, ctx: AgentContext): boolean {
  return ctx.now < world.withdrawal.until && ctx.rng.next() < world.withdrawal.share;
}

/**
 * Mid price in ticks as the agent's feed shows it: the mid of the delayed top, else the one
 * side there is, else `fallbackTicks` (an empty book at the start of a run).
 */
export function midTicks(ex: PopulationPort, fallbackTicks: number): number {
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
