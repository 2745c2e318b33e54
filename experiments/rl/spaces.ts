// Observation and action spaces (Gymnasium's Box and Discrete): what an env declares it emits and accepts.
import type { Rng } from "../../sim/rng.ts";

/**
 * A box of float32 vectors: element i lies in [low[i], high[i]] (either may be ±Infinity).
 * Only flat (rank-1) observations for now: `shape` is `[n]`.
 */
export interface Box {
  readonly kind: "box";
  readonly shape: readonly [number];
  readonly low: Float32Array;
  readonly high: Float32Array;
}

/** The integers 0 … n−1. */
export interface Discrete {
  readonly kind: "discrete";
  readonly n: number;
}

export type Space = Box | Discrete;

/**
 * A Box of `n` elements with the given bounds (numbers apply to every element).
 * @throws RangeError if n is not a positive integer, a bound has the wrong length, or low > high somewhere.
 */
export function box(n: number, low: number | ArrayLike<number>, high: number | ArrayLike<number>): Box {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`box shape ${n} must be a positive integer`);
  const lo = fill(n, low, "low");
  const hi = fill(n, high, "high");
  for (let i = 0; i < n; i++) {
    if (!(lo[i] <= hi[i])) throw new RangeError(`box low[${i}] ${lo[i]} must be <= high[${i}] ${hi[i]}`);
  }
  return { kind: "box", shape: [n], low: lo, high: hi };
}

/**
 * The integers 0 … n−1.
 * @throws RangeError if n is not a positive integer.
 */
export function discrete(n: number): Discrete {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`discrete n ${n} must be a positive integer`);
  return { kind: "discrete", n };
}

function fill(n: number, v: number | ArrayLike<number>, name: string): Float32Array {
  if (typeof v === "number") return new Float32Array(n).fill(v);
  if (v.length !== n) throw new RangeError(`box ${name} has length ${v.length}, must be the shape ${n}`);
  return Float32Array.from(v);
}

/** Why `x` is not in `space`, or undefined when it is (NaN is never in a space). */
export function outside(space: Space, x: Float32Array | number): string | undefined {
  if (space.kind === "discrete") {
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x >= space.n) {
      return `${String(x)} is not an integer in [0, ${space.n - 1}]`;
    }
    return undefined;
  }
  if (!(x instanceof Float32Array)) return `${typeof x} is not a Float32Array`;
  if (x.length !== space.shape[0]) return `length ${x.length} is not the shape ${space.shape[0]}`;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= space.low[i] && x[i] <= space.high[i])) {
      return `element ${i} = ${x[i]} is outside [${space.low[i]}, ${space.high[i]}]`;
    }
  }
  return undefined;
}

/** A uniform draw from a Discrete space, or from a Box with finite bounds (unbounded elements draw a standard normal). */
export function sample(space: Space, rng: Rng): number | Float32Array {
  if (space.kind === "discrete") return rng.int(0, space.n - 1);
  const out = new Float32Array(space.shape[0]);
  for (let i = 0; i < out.length; i++) {
    const lo = space.low[i];
    const hi = space.high[i];
    out[i] = Number.isFinite(lo) && Number.isFinite(hi) ? lo + (hi - lo) * rng.next() : rng.normal();
  }
  return out;
}
