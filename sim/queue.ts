// The kernel's event queue: a 4-ary min-heap in typed arrays, totally ordered by (time, priority, sequence).
import { isSafeTime } from "./clock.ts";

/**
 * A 4-ary min-heap of scheduled events, popped in (time, priority, sequence) order: half
 * the depth of a binary heap, and a node's four children's keys are 64 contiguous bytes.
 *
 * - `time` is integer nanoseconds from scenario start.
 * - `priority` is a small integer; lower runs first at equal time.
 * - `sequence` is assigned by the queue at push, so events with equal time and priority
 *   pop in insertion order. The order is therefore total and depends on nothing but the
 *   sequence of calls, which is what makes runs reproducible.
 *
 * Keys live in typed arrays and payloads in a plain array, all grown by doubling, so
 * push and pop allocate nothing beyond the caller's payload.
 */
export class EventQueue<T> {
  /** Time and sequence of each slot side by side (2i, 2i + 1): a sift reads one cache line per level. */
  private keys: Float64Array;
  private prios: Int32Array;
  private payloads: (T | undefined)[];
  private n = 0;
  // Float64 holds every counter value exactly up to 2^53 pushes; a run never gets near.
  private nextSeq = 0;
  // A double from the start, though it reads 0 (see the constructor).
  private popped = 0.5;

  /** @param initialCapacity slots reserved up front; the queue grows past it by doubling. */
  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity | 0);
    this.keys = new Float64Array(2 * cap);
    this.prios = new Int32Array(cap);
    // Filled rather than holey so V8 keeps the array in its fast packed representation.
    this.payloads = new Array<T | undefined>(cap).fill(undefined);
    // Event times pass 2^31 ns (2 s) early in a run and are then doubles to V8, not small
    // integers. A field that changes representation gives the queue a new hidden class, and
    // code compiled for the kernel that holds the queue is thrown away when the next run's
    // kernel is built. Initialised above as a double, the field keeps that representation.
    this.popped = 0;
  }

  /** Events waiting. */
  get size(): number {
    return this.n;
  }

  /**
   * Time in ns of the most recently popped event (0 before the first pop). Nothing may be
   * scheduled before it.
   */
  get lastTime(): number {
    return this.popped;
  }

  /** Time in ns of the next event, or `Infinity` when the queue is empty. */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.keys[0];
  }

  /**
   * Schedules `payload` at `time` ns with `priority`.
   * @throws RangeError if `time` is not a safe integer, if it is before `lastTime` (time
   *   going backwards is a broken invariant), or if `priority` is not a 32-bit integer.
   */
  push(time: number, priority: number, payload: T): void {
    if (!isSafeTime(time) || time < this.popped || (priority | 0) !== priority) throw badPush(time, priority, this.popped);
    if (this.n === this.prios.length) this.grow();
    const seq = this.nextSeq++;
    const keys = this.keys;
    const prios = this.prios;
    const payloads = this.payloads;
    // Sift up with a hole: move parents down until the new key's place is found, then
    // write it once, which halves the writes compared with swapping.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = keys[2 * p];
      if (pt < time || (pt === time && (prios[p] < priority || (prios[p] === priority && keys[2 * p + 1] < seq)))) {
        break;
      }
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * p + 1];
      prios[i] = prios[p];
      payloads[i] = payloads[p];
      i = p;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    prios[i] = priority;
    payloads[i] = payload;
  }

  /**
   * Removes and returns the earliest event's payload, advancing `lastTime` to its time.
   * Returns `undefined` when the queue is empty (and leaves `lastTime` unchanged).
   */
  pop(): T | undefined {
    const n = this.n;
    if (n === 0) return undefined;
    const keys = this.keys;
    const prios = this.prios;
    const payloads = this.payloads;
    const top = payloads[0];
    this.popped = keys[0];
    const last = n - 1;
    this.n = last;
    if (last > 0) {
      // Sift the last element down from the root, again with a hole.
      const t = keys[2 * last];
      const s = keys[2 * last + 1];
      const pr = prios[last];
      const payload = payloads[last];
      let i = 0;
      for (;;) {
        const first = 4 * i + 1;
        if (first >= last) break;
        // The least of up to four children (their keys are 64 contiguous bytes).
        let c = first;
        let ct = keys[2 * c];
        const end = Math.min(first + 4, last);
        for (let k = first + 1; k < end; k++) {
          const kt = keys[2 * k];
          if (kt < ct || (kt === ct && (prios[k] < prios[c] || (prios[k] === prios[c] && keys[2 * k + 1] < keys[2 * c + 1])))) {
            c = k;
            ct = kt;
          }
        }
        if (t < ct || (t === ct && (pr < prios[c] || (pr === prios[c] && s < keys[2 * c + 1])))) break;
        keys[2 * i] = ct;
        keys[2 * i + 1] = keys[2 * c + 1];
        prios[i] = prios[c];
        payloads[i] = payloads[c];
        i = c;
      }
      keys[2 * i] = t;
      keys[2 * i + 1] = s;
      prios[i] = pr;
      payloads[i] = payload;
    }
    // Drop the reference so a popped payload can be collected.
    payloads[last] = undefined;
    return top;
  }

  /**
   * Empties the queue and resets `lastTime` and the sequence counter to 0, so a reused
   * queue behaves exactly like a new one. Keeps the memory.
   */
  clear(): void {
    this.payloads.fill(undefined, 0, this.n);
    this.n = 0;
    this.nextSeq = 0;
    this.popped = 0;
  }

  private grow(): void {
    const cap = this.prios.length * 2;
    const keys = new Float64Array(2 * cap);
    keys.set(this.keys);
    this.keys = keys;
    const prios = new Int32Array(cap);
    prios.set(this.prios);
    this.prios = prios;
    const old = this.payloads.length;
    this.payloads.length = cap;
    this.payloads.fill(undefined, old, cap);
  }
}

// Built in a function of its own so the number-to-string conversions of the messages stay off
// the hot path (see badAdvance in clock.ts).
function badPush(time: number, priority: number, popped: number): RangeError {
  if (!isSafeTime(time)) return new RangeError(`event time ${time} ns is not a safe integer`);
  if (time < popped) return new RangeError(`event time ${time} ns is before the current time ${popped} ns`);
  return new RangeError(`event priority ${priority} is not a 32-bit integer`);
}
