// The smoke world: a handful of random traders on one venue, proving the loop end to end.
import { RandomTrader } from "../agents/random-trader.ts";
import { HOUR } from "../sim/clock.ts";
import { Kernel } from "../sim/kernel.ts";

export interface SmokeOptions {
  readonly seed: number | string;
  /** Number of random traders. Default 8. */
  readonly traders?: number;
}

/** 2023-03-01T00:00:00Z: simulated time 0 of the built-in worlds, for readable timestamps. */
export const SMOKE_EPOCH_MS = Date.UTC(2023, 2, 1);

/** Default simulated duration of the smoke world. */
export const SMOKE_DURATION_NS = HOUR;

/**
 * Builds the smoke world: `traders` random traders around 30,000 USDT, each holding
 * 10 BTC and 300,000 USDT, with the default latency (1 ms each way, 0.5 ms jitter).
 */
export function buildSmoke(options: SmokeOptions): Kernel {
  const k = new Kernel({ seed: options.seed, epochMs: SMOKE_EPOCH_MS });
  const n = options.traders ?? 8;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`smoke.traders: ${n} must be a positive integer`);
  for (let i = 0; i < n; i++) k.addAgent(`random/${i}`, new RandomTrader(), { base: 10, quote: 300_000 });
  return k;
}
