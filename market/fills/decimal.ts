// Exact decimal arithmetic for money at a port: a double read as the decimal it prints as, integer units, no tolerances.
//
// A number a user writes (0.1, 29850.25, 1e-8) arrives as the double nearest that decimal, and
// JavaScript prints every double as the shortest decimal that reads back to it. So reading that
// string gives the decimal the user meant, exactly, as an integer and a power of ten; and a whole
// number k of 10^-d units converts back to the double nearest k·10^-d by one correctly rounded
// division. Both directions are exact, which is why no comparison here needs an epsilon.

/** A decimal n·10^-d: `n` an integer, `d` ≥ 0. */
export interface Decimal {
  readonly n: bigint;
  readonly d: number;
}

const TEN = 10n;
const pow10Cache: bigint[] = [1n];

/** 10^k as a bigint, k ≥ 0. */
export function pow10(k: number): bigint {
  while (pow10Cache.length <= k) pow10Cache.push(pow10Cache[pow10Cache.length - 1] * TEN);
  return pow10Cache[k];
}

/**
 * The decimal a finite double prints as (its shortest round-trip form), exactly.
 * @throws RangeError for NaN or an infinity.
 */
export function decimalOf(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (m === null) throw new RangeError(`${x} cannot be read as a decimal`);
  const frac = m[3] ?? "";
  const exp = Number(m[4] ?? "0") - frac.length;
  let n = BigInt(m[2] + frac);
  if (m[1] === "-") n = -n;
  return exp >= 0 ? { n: n * pow10(exp), d: 0 } : { n, d: -exp };
}

/** The number of decimals of `x` as it prints (0.01 → 2, 1e-8 → 8, 5 → 0). */
export function decimalsOf(x: number): number {
  return decimalOf(x).d;
}

/** ⌊a / b⌋ for bigints, b > 0 (bigint division truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

/** ⌈a / b⌉ for bigints, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a > 0n && q * b !== a ? q + 1n : q;
}

/**
 * Whole units of 10^-d of a currency, with exact conversion from and to decimal numbers.
 * `d` is at most 15, so every balance below 2^53 units (9·10^15) stays an exact integer.
 */
export class DecimalUnits {
  /** 10^d as a number and a bigint. */
  readonly perCoin: number;
  readonly perCoinBig: bigint;
  constructor(readonly d: number) {
    if (!(Number.isSafeInteger(d) && d >= 0 && d <= 15)) throw new RangeError(`decimals: ${d} must be an integer in [0, 15]`);
    this.perCoin = 10 ** d;
    this.perCoinBig = pow10(d);
  }

  /** The units `x` is, exactly; NaN when `x` is not a whole number of units (or not safe). */
  exact(x: number): number {
    if (!Number.isFinite(x)) return NaN;
    const k = Math.round(x * this.perCoin);
    return Number.isSafeInteger(k) && k / this.perCoin === x ? k : NaN;
  }

  /** The largest whole number of units not above `x` (a budget rounds down), exactly. */
  floor(x: number): number {
    const v = decimalOf(x);
    return Number(floorDiv(v.n * this.perCoinBig, pow10(v.d)));
  }

  /** The double nearest k units (k·10^-d), as a port shows an amount. */
  toNumber(k: number): number {
    return k / this.perCoin;
  }
}
