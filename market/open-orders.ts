// A client's open orders by venue order id, in acceptance order (for market/sim-order-cache.ts).
import { numberArray, objectArray } from "./array-kinds.ts";

/**
 * Open orders keyed by the venue's order id, iterated in id order. The venue numbers orders
 * from one counter and a client hears its own acceptances in that order (one FIFO feed), so
 * id order is acceptance order and an insert is an append; a lookup is a binary search over
 * the few dozen orders a client has open at most.
 *
 * Replaces a Map: V8 reallocates a Map's table as it grows and shrinks around a handful of
 * entries, and every order of every client goes through it.
 */
export class OpenOrders<R extends { readonly id: number }> {
  private readonly ids = numberArray();
  private readonly recs = objectArray<R | undefined>();
  private n = 0;

  /** Orders held. */
  get size(): number {
    return this.n;
  }

  /** The order with id `id`, if held. */
  get(id: number): R | undefined {
    const i = this.indexOf(id);
    return i >= 0 ? this.recs[i] : undefined;
  }

  /** Adds `rec`, or replaces the record held under its id. */
  set(rec: R): void {
    const id = rec.id;
    const n = this.n;
    const ids = this.ids;
    if (n > 0 && !(ids[n - 1] < id)) {
      const i = lowerBound(ids, n, id);
      if (i < n && ids[i] === id) {
        this.recs[i] = rec;
        return;
      }
      // An id below the newest: never from one venue feed, but the set stays sorted anyway.
      const recs = this.recs;
      for (let j = n; j > i; j--) {
        ids[j] = ids[j - 1];
        recs[j] = recs[j - 1];
      }
      ids[i] = id;
      this.recs[i] = rec;
      this.n = n + 1;
      return;
    }
    ids[n] = id;
    this.recs[n] = rec;
    this.n = n + 1;
  }

  /** Removes the order with id `id`; false when it was not held. */
  delete(id: number): boolean {
    const i = this.indexOf(id);
    if (i < 0) return false;
    const n = this.n - 1;
    const ids = this.ids;
    const recs = this.recs;
    for (let j = i; j < n; j++) {
      ids[j] = ids[j + 1];
      recs[j] = recs[j + 1];
    }
    // Drop the reference so a closed record is not kept alive by this set.
    recs[n] = undefined;
    this.n = n;
    return true;
  }

  /** The `i`-th oldest order held, for 0 <= i < size. */
  at(i: number): R {
    return this.recs[i] as R;
  }

  /**
   * The orders held now, oldest first: a copy, so code that awaits while it walks them (and
   * so lets orders close) still sees each one once.
   */
  values(): IterableIterator<R> {
    return (this.recs.slice(0, this.n) as R[]).values();
  }

  private indexOf(id: number): number {
    const i = lowerBound(this.ids, this.n, id);
    return i < this.n && this.ids[i] === id ? i : -1;
  }
}

/** The first index in ids[0, n) whose id is not below `id` (n when none is). */
function lowerBound(ids: readonly number[], n: number, id: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
