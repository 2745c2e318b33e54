// Order id → slot lookup in O(1) without a hash map: paged typed arrays over sequential ids.
import { objectArray } from "./array-kinds.ts";

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
const ABSENT = -1;

/**
 * Maps sequential positive integer ids to non-negative slots. Ids are issued by a counter,
 * so they fall into pages of 4096; a page is allocated when its first id is set and freed
 * when its last live id is deleted. Memory follows the ids still open, not every id ever
 * issued, and get/set/delete are a shift, a mask and an array access: cheaper than a Map
 * on the engine's hot path.
 */
export class IdIndex {
  private pages = objectArray<Int32Array | undefined>();
  private live: Int32Array = new Int32Array(16);
  private count = 0;

  /** Number of ids present. */
  get size(): number {
    return this.count;
  }

  /** Slot of `id`, or -1. Safe for any number (non-integers and negatives give -1). */
  get(id: number): number {
    if (!(id > 0) || id !== Math.floor(id)) return ABSENT;
    const page = this.pages[id >>> PAGE_BITS];
    return page === undefined || id > 0xffffffff ? ABSENT : page[id & PAGE_MASK];
  }

  /** Sets the slot of a new id (an id must not be set twice). Ids must be < 2^32. */
  set(id: number, slot: number): void {
    const p = id >>> PAGE_BITS;
    let page = this.pages[p];
    if (page === undefined) {
      page = new Int32Array(PAGE_SIZE).fill(ABSENT);
      this.pages[p] = page;
      if (p >= this.live.length) {
        const bigger = new Int32Array(Math.max(p + 1, this.live.length * 2));
        bigger.set(this.live);
        this.live = bigger;
      }
    }
    page[id & PAGE_MASK] = slot;
    this.live[p]++;
    this.count++;
  }

  /** Removes a present id. */
  delete(id: number): void {
    const p = id >>> PAGE_BITS;
    const page = this.pages[p]!;
    page[id & PAGE_MASK] = ABSENT;
    this.count--;
    if (--this.live[p] === 0) this.pages[p] = undefined;
  }

  /** Present slots in increasing id order. */
  *slots(): IterableIterator<number> {
    for (let p = 0; p < this.pages.length; p++) {
      const page = this.pages[p];
      if (page === undefined) continue;
      for (let i = 0; i < PAGE_SIZE; i++) if (page[i] !== ABSENT) yield page[i];
    }
  }
}
