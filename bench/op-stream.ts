// Seeded, engine-independent stream of order-book operations for the engine benchmark.
//
// The stream is generated once into typed arrays and then fed, op by op, to every engine
// under test, so all of them see exactly the same requests. It knows nothing about any
// engine: a cancel names the stream index of an earlier limit order, and each engine maps
// stream index -> its own order id. Whether that order is still resting when the cancel
// arrives (it may have been filled meanwhile) is up to the engine; the cancel is fed anyway.
import seedrandom from "seedrandom";

/** Operation kinds, as stored in `OpStream.kind`. */
export const OpKind = { LIMIT: 0, CANCEL: 1, MARKET: 2 } as const;
export type OpKind = (typeof OpKind)[keyof typeof OpKind];

export interface OpStreamOptions {
  /** Seed of the alea generator; the same seed and options give the same stream. */
  readonly seed: string | number;
  /** Number of operations. */
  readonly ops: number;
  /** Share of limit orders (GTC). Default 0.60. */
  readonly limitShare?: number;
  /** Share of cancels. Default 0.25. The rest (default 0.15) are market orders. */
  readonly cancelShare?: number;
  /** Accounts the orders are spread over, uniformly. Default 100. */
  readonly accounts?: number;
  /** Starting mid price in ticks. Default 3,000,000 (30,000 USDT at a 0.01 tick). */
  readonly startMid?: number;
  /**
   * Limit prices: a buy at `mid - d`, a sell at `mid + d`, with the distance `d` uniform on
   * the integers [minDistance, maxDistance]. Negative distances are marketable. Defaults
   * -10 and 50: every price is within ±50 ticks of mid and about one limit in six crosses.
   */
  readonly minDistance?: number;
  readonly maxDistance?: number;
  /** Order sizes in lots, on [minLots, maxLots], skewed to small (minLots + ⌊u²·span⌋). */
  readonly minLots?: number;
  readonly maxLots?: number;
  /** Chance per operation that the mid moves one tick up or down. Default 0.05. */
  readonly driftChance?: number;
}

/** One operation per index; every array has `length` entries. */
export interface OpStream {
  readonly length: number;
  /** OpKind of each operation. */
  readonly kind: Uint8Array;
  /** Side (0 buy, 1 sell, as market/types.ts `Side`) of limit and market orders; 0 for cancels. */
  readonly side: Uint8Array;
  /** Account placing the order; for a cancel, the owner of the target order. */
  readonly account: Uint16Array;
  /** Limit price in ticks; 0 for cancels and market orders. */
  readonly price: Int32Array;
  /** Size in lots for limit and market orders; 0 for cancels. */
  readonly size: Int32Array;
  /** For a cancel, the stream index of the (passive) limit order it cancels; -1 otherwise. */
  readonly target: Int32Array;
  /** The generator's mid price (ticks) when the operation was drawn. */
  readonly mid: Int32Array;
  /** How many operations of each kind, indexed by OpKind. */
  readonly counts: readonly [limits: number, cancels: number, markets: number];
}

/**
 * Draws the stream. Cancels pick uniformly among earlier passive limit orders (placed on
 * their own side of the mid, distance > 0, so meant to rest) that no earlier cancel has
 * targeted: an order is canceled at most once by the stream. Marketable limits are never
 * targeted, since they mostly fill on arrival. When there is no candidate yet, a limit
 * order is drawn instead. The mid follows a seeded ±1-tick random walk.
 *
 * The stream cannot know which orders an engine has filled meanwhile, so some cancels miss
 * (the engine benchmark prints how many). Engines are fed them all the same.
 */
export function generateOpStream(options: OpStreamOptions): OpStream {
  const n = options.ops;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`ops: ${n} must be a non-negative integer`);
  const limitShare = options.limitShare ?? 0.6;
  const cancelShare = options.cancelShare ?? 0.25;
  if (!(limitShare >= 0 && cancelShare >= 0 && limitShare + cancelShare <= 1)) {
    throw new Error(`limitShare ${limitShare} + cancelShare ${cancelShare} must be shares summing to at most 1`);
  }
  const accounts = options.accounts ?? 100;
  if (!(Number.isInteger(accounts) && accounts >= 1 && accounts <= 0xffff)) {
    throw new Error(`accounts: ${accounts} must be an integer in [1, 65535]`);
  }
  const minD = options.minDistance ?? -10;
  const maxD = options.maxDistance ?? 50;
  const minLots = options.minLots ?? 2;
  const maxLots = options.maxLots ?? 100;
  if (!(Number.isInteger(minD) && Number.isInteger(maxD) && minD <= maxD)) {
    throw new Error(`distance range [${minD}, ${maxD}] must be integers with min <= max`);
  }
  if (!(Number.isInteger(minLots) && Number.isInteger(maxLots) && minLots >= 1 && minLots <= maxLots)) {
    throw new Error(`lots range [${minLots}, ${maxLots}] must be integers with 1 <= min <= max`);
  }
  const driftChance = options.driftChance ?? 0.05;
  let mid = options.startMid ?? 3_000_000;
  const minMid = Math.max(1, -minD) + Math.max(1, maxD) + 1;
  if (!(Number.isInteger(mid) && mid >= minMid)) {
    throw new Error(`startMid: ${mid} must be an integer >= ${minMid}`);
  }

  const rng = seedrandom.alea(String(options.seed));
  const kind = new Uint8Array(n);
  const side = new Uint8Array(n);
  const account = new Uint16Array(n);
  const price = new Int32Array(n);
  const size = new Int32Array(n);
  const target = new Int32Array(n).fill(-1);
  const midAt = new Int32Array(n);
  // Limit orders not yet targeted by a cancel; swap-remove keeps picks O(1).
  const pool = new Int32Array(n);
  let poolSize = 0;
  const dSpan = maxD - minD + 1;
  const lotSpan = maxLots - minLots + 1;
  const marketFrom = limitShare + cancelShare;
  let limits = 0;
  let cancels = 0;
  let markets = 0;

  for (let i = 0; i < n; i++) {
    if (rng() < driftChance) {
      mid += rng() < 0.5 ? -1 : 1;
      if (mid < minMid) mid = minMid;
    }
    midAt[i] = mid;
    const u = rng();
    if (u >= limitShare && u < marketFrom && poolSize > 0) {
      const p = Math.floor(rng() * poolSize);
      const t = pool[p];
      pool[p] = pool[--poolSize];
      kind[i] = OpKind.CANCEL;
      target[i] = t;
      account[i] = account[t];
      cancels++;
      continue;
    }
    const s = rng() < 0.5 ? 0 : 1;
    const r = rng();
    side[i] = s;
    size[i] = minLots + Math.floor(r * r * lotSpan);
    account[i] = Math.floor(rng() * accounts);
    if (u >= marketFrom) {
      kind[i] = OpKind.MARKET;
      markets++;
    } else {
      const d = minD + Math.floor(rng() * dSpan);
      kind[i] = OpKind.LIMIT;
      price[i] = s === 0 ? mid - d : mid + d;
      if (d > 0) pool[poolSize++] = i;
      limits++;
    }
  }
  return { length: n, kind, side, account, price, size, target, mid: midAt, counts: [limits, cancels, markets] };
}
