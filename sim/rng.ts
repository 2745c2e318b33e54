// Seeded random streams, forked by name from one root seed so each consumer has its own stream.
import seedrandom from "seedrandom";

/** Turns 2π·u into an angle; hoisted so normal() does no extra multiplication per call. */
const TWO_PI = 2 * Math.PI;
/** 2^32: below this span `int` can use a 32-bit draw without losing any value. */
const SPAN_32 = 0x1_0000_0000;

/** Where a stream is: its key, alea's four numbers and the Box–Muller spare. */
export interface RngState {
  readonly key: string;
  readonly alea: { readonly c: number; readonly s0: number; readonly s1: number; readonly s2: number };
  readonly spare: number;
  readonly hasSpare: boolean;
}

/**
 * A deterministic random stream (seedrandom's alea: fast, 32-bit resolution, period ~2^116).
 *
 * Every stream is keyed by its path: the root seed followed by the names it was forked
 * with, joined by "/". `Rng.root(1).fork("agents").fork("mm/3")` is keyed by
 * "1/agents/mm/3" and so produces the same numbers as `Rng.root(1).fork("agents/mm/3")`
 * (and as `Rng.root("1")`'s equivalent): the path is the identity. Forking reads no draws
 * from the parent, so adding a consumer never perturbs the others.
 *
 * Values depend only on the path and the sequence of calls. Math.log/sin/cos are V8's
 * fdlibm ports, so results are identical across platforms for a given Node version.
 */
export class Rng {
  private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private readonly key: string;
  /** Second Box–Muller value, kept for the next normal() call when `hasSpare`. */
  private spare = 0;
  private hasSpare = false;

  private constructor(key: string, at?: seedrandom.State.Alea) {
    this.key = key;
    // `state` only adds a way to read the position; the numbers drawn are the same.
    this.prng = seedrandom.alea(key, { state: at === undefined ? true : { ...at } });
  }

  /** The stream's position, plain JSON-safe numbers: `Rng.restore` continues it exactly. */
  state(): RngState {
    return { key: this.key, alea: this.prng.state(), spare: this.spare, hasSpare: this.hasSpare };
  }

  /**
   * The stream `s` was taken from, at that position.
   * @throws RangeError if a number of `s.alea` is not finite.
   */
  static restore(s: RngState): Rng {
    const { c, s0, s1, s2 } = s.alea;
    if (![c, s0, s1, s2, s.spare].every(Number.isFinite)) throw new RangeError(`rng state of "${s.key}" has a non-finite number`);
    const r = new Rng(s.key, { c, s0, s1, s2 });
    r.spare = s.spare;
    r.hasSpare = s.hasSpare;
    return r;
  }

  /**
   * The root stream of a run.
   * @param seed the run seed; `1` and `"1"` name the same stream.
   * @throws RangeError if `seed` is a non-finite number or an empty string.
   */
  static root(seed: number | string): Rng {
    if (typeof seed === "number" ? !Number.isFinite(seed) : seed.length === 0) {
      throw new RangeError(`rng seed ${typeof seed === "string" ? JSON.stringify(seed) : seed} must be a finite number or a non-empty string`);
    }
    return new Rng(String(seed));
  }

  /** The stream's key: root seed and fork names joined by "/", e.g. "1/agents/mm/3". */
  get path(): string {
    return this.key;
  }

  /**
   * An independent stream keyed by this path + "/" + `name`. Draws nothing from this
   * stream, and the same name always gives the same stream.
   * @throws RangeError if `name` is empty.
   */
  fork(name: string): Rng {
    if (name.length === 0) throw new RangeError(`rng fork name under "${this.key}" must be non-empty`);
    return new Rng(this.key + "/" + name);
  }

  /** Uniform in [0, 1), 32-bit resolution. */
  next(): number {
    return this.prng();
  }

  /**
   * Uniform integer in [lo, hiInclusive]. Uses one draw for spans up to 2^32, two above.
   * @throws RangeError if a bound is not a safe integer, lo > hi, or the span exceeds 2^53.
   */
  int(lo: number, hiInclusive: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hiInclusive) || lo > hiInclusive) throw badInt(lo, hiInclusive);
    const span = hiInclusive - lo + 1;
    if (span <= SPAN_32) return lo + Math.floor(this.prng() * span);
    if (!Number.isSafeInteger(span)) throw badInt(lo, hiInclusive);
    // A 53-bit product can round up to `span` itself; clamp so the bound stays inclusive.
    return Math.min(lo + Math.floor(this.prng.double() * span), hiInclusive);
  }

  /**
   * Normal deviate (Box–Muller; each pair of draws yields two values, the second cached).
   * @param mean default 0
   * @param sd standard deviation, default 1
   */
  normal(mean = 0, sd = 1): number {
    let z: number;
    if (this.hasSpare) {
      z = this.spare;
      this.hasSpare = false;
    } else {
      // 1 - u is in (0, 1], so the log is finite.
      const r = Math.sqrt(-2 * Math.log(1 - this.prng()));
      const a = TWO_PI * this.prng();
      z = r * Math.cos(a);
      this.spare = r * Math.sin(a);
      this.hasSpare = true;
    }
    return mean + sd * z;
  }

  /**
   * Exponential deviate with the given rate (mean 1/rate), e.g. inter-arrival times.
   * @throws RangeError if `rate` is not a positive finite number.
   */
  exponential(rate: number): number {
    if (!(rate > 0 && rate < Infinity)) {
      throw badArg("rng.exponential rate", rate, "must be positive and finite");
    }
    return -Math.log(1 - this.prng()) / rate;
  }

  /**
   * True with probability `p`. Always consumes one draw, even for p = 0 or 1, so a
   * parameter change does not shift the stream's later values.
   * @throws RangeError if `p` is outside [0, 1] or NaN.
   */
  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw badArg("rng.bernoulli p", p, "must be in [0, 1]");
    return this.prng() < p;
  }

  /**
   * A uniformly chosen element.
   * @throws RangeError if `items` is empty.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("rng.pick from an empty array");
    return items[Math.floor(this.prng() * items.length)];
  }
}

// The draws' argument errors, built in functions of their own, off the hot path: see
// badAdvance in sim/clock.ts.
function badArg(what: string, value: number, rule: string): RangeError {
  return new RangeError(`${what} ${value} ${rule}`);
}

function badInt(lo: number, hi: number): RangeError {
  const rule = !Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi
    ? "bounds must be safe integers with lo <= hi"
    : `span ${hi - lo + 1} exceeds 2^53`;
  return new RangeError(`rng.int(${lo}, ${hi}): ${rule}`);
}
