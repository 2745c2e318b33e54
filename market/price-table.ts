// Price (integer ticks) → level id, open addressing in typed arrays: a Map without the Map.

const EMPTY = -1;

/**
 * A hash table from positive safe-integer prices to non-negative level ids, with linear
 * probing and backward-shift deletion (no tombstones), kept at most half full. The engine
 * looks a price up for every resting order; this is cheaper than a Map with number keys and
 * allocates nothing after growth.
 */
export class PriceTable {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 256) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Level id at `price`, or -1. */
  get(price: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash(price) & mask;
    for (;;) {
      const v = vals[i];
      if (v === EMPTY) return EMPTY;
      if (keys[i] === price) return v;
      i = (i + 1) & mask;
    }
  }

  /** Inserts a price that is not present. */
  set(price: number, level: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.mask;
    let i = hash(price) & mask;
    while (this.vals[i] !== EMPTY) i = (i + 1) & mask;
    this.keys[i] = price;
    this.vals[i] = level;
    this.count++;
  }

  /** Removes a price that is present. */
  delete(price: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash(price) & mask;
    while (keys[i] !== price || vals[i] === EMPTY) i = (i + 1) & mask;
    // Backward-shift deletion: pull later entries of the probe run into the hole so every
    // remaining key stays reachable from its home slot.
    let hole = i;
    let j = (i + 1) & mask;
    while (vals[j] !== EMPTY) {
      const home = hash(keys[j]) & mask;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        keys[hole] = keys[j];
        vals[hole] = vals[j];
        hole = j;
      }
      j = (j + 1) & mask;
    }
    vals[hole] = EMPTY;
    keys[hole] = 0;
    this.count--;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldVals[i] !== EMPTY) this.set(oldKeys[i], oldVals[i]);
  }
}

/** Mixes the low and high 32 bits of an integer price (Fibonacci hashing). */
function hash(price: number): number {
  const lo = price >>> 0;
  const hi = (price / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 7;
}
