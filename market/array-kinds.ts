// Empty arrays born in the V8 elements kind they end up in, for the objects a run rebuilds.
//
// V8 compiles hot code for the elements kind each array has when the code is optimised. An
// empty literal starts as small integers and changes kind for good on its first object or
// fractional number. A worker builds a new world for every run: its fresh literals start over
// as small integers, so every function compiled for the first world's arrays is thrown away
// ("wrong map") and compiled again on the second run. These arrays, and two fields that start
// as doubles (the queue's last time, sim/queue.ts; the order id of the client's request
// object, market/sim-requests.ts), keep the first run's compiled code valid for the next.

const SEED = {};

/** An empty array for objects (or objects and undefined). */
export function objectArray<T>(): T[] {
  const a: unknown[] = [SEED];
  a.pop();
  return a as T[];
}

/** An empty array for numbers that need not be small integers. */
export function numberArray(): number[] {
  const a = [0.5];
  a.pop();
  return a;
}
