// EventQueue: the kernel's total order of events, (time, priority, sequence).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { EventQueue } from "../../sim/queue.ts";

function drain<T>(q: EventQueue<T>): T[] {
  const out: T[] = [];
  for (let x = q.pop(); x !== undefined; x = q.pop()) out.push(x);
  return out;
}

test("pops in (time, priority, insertion) order for any pushes, across growth", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ time: fc.integer({ min: 0, max: 50 }), prio: fc.integer({ min: -3, max: 3 }) }), {
        maxLength: 300,
      }),
      (items) => {
        // A small initial capacity forces the queue through several doublings.
        const q = new EventQueue<number>(16);
        items.forEach((it, i) => q.push(it.time, it.prio, i));
        const expected = items
          .map((it, i) => ({ ...it, i }))
          .sort((a, b) => a.time - b.time || a.prio - b.prio || a.i - b.i)
          .map((x) => x.i);
        assert.equal(q.size, items.length);
        assert.deepEqual(drain(q), expected);
        assert.equal(q.size, 0);
      },
    ),
  );
});

test("interleaved pushes and pops match a sorted model, and lastTime tracks each pop", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.record({ dt: fc.integer({ min: 0, max: 5 }), prio: fc.integer({ min: 0, max: 2 }) }), fc.constant(null)), {
        maxLength: 200,
      }),
      (ops) => {
        const q = new EventQueue<number>(16);
        const model: { time: number; prio: number; i: number }[] = [];
        let id = 0;
        for (const op of ops) {
          if (op === null) {
            model.sort((a, b) => a.time - b.time || a.prio - b.prio || a.i - b.i);
            const want = model.shift();
            const got = q.pop();
            assert.equal(got, want?.i);
            if (want) assert.equal(q.lastTime, want.time);
          } else {
            // Schedule relative to the current time, as the kernel does.
            const time = q.lastTime + op.dt;
            q.push(time, op.prio, id);
            model.push({ time, prio: op.prio, i: id++ });
          }
          assert.equal(q.size, model.length);
          const min = model.reduce((m, x) => Math.min(m, x.time), Infinity);
          assert.equal(q.peekTime(), min);
        }
      },
    ),
  );
});

test("simultaneous events of equal priority pop in insertion (FIFO) order", () => {
  const q = new EventQueue<string>();
  for (const name of ["a", "b", "c", "d", "e"]) q.push(1000, 0, name);
  assert.deepEqual(drain(q), ["a", "b", "c", "d", "e"]);
});

test("lower priority runs first at equal time, but never before an earlier time", () => {
  const q = new EventQueue<string>();
  q.push(10, 5, "late-low");
  q.push(5, 9, "early-high");
  q.push(10, -1, "late-urgent");
  assert.deepEqual(drain(q), ["early-high", "late-urgent", "late-low"]);
});

test("scheduling before the last popped time throws, naming the time", () => {
  const q = new EventQueue<number>();
  q.push(100, 0, 1);
  q.pop();
  assert.equal(q.lastTime, 100);
  assert.throws(() => q.push(99, 0, 2), /99 ns is before the current time 100 ns/);
  q.push(100, 0, 3); // same instant is allowed
  assert.equal(q.pop(), 3);
});

test("negative, fractional, NaN and unsafe times and non-integer priorities throw", () => {
  const q = new EventQueue<number>();
  assert.throws(() => q.push(-1, 0, 0), /-1 ns/);
  assert.throws(() => q.push(1.5, 0, 0), /1\.5 ns is not a safe integer/);
  assert.throws(() => q.push(NaN, 0, 0), /NaN ns is not a safe integer/);
  assert.throws(() => q.push(2 ** 53, 0, 0), /not a safe integer/);
  assert.throws(() => q.push(0, 0.5, 0), /priority 0\.5/);
  assert.equal(q.size, 0);
});

test("empty queue: pop is undefined, peekTime is Infinity, lastTime unchanged", () => {
  const q = new EventQueue<number>();
  assert.equal(q.pop(), undefined);
  assert.equal(q.peekTime(), Infinity);
  q.push(7, 0, 1);
  q.pop();
  assert.equal(q.pop(), undefined);
  assert.equal(q.lastTime, 7);
});

test("clear() makes a reused queue behave like a new one", () => {
  const q = new EventQueue<number>(16);
  for (let i = 0; i < 40; i++) q.push(1000 + i, 0, i);
  q.pop();
  q.clear();
  assert.equal(q.size, 0);
  assert.equal(q.lastTime, 0);
  q.push(0, 0, 1); // time 0 is legal again after clear
  q.push(0, 0, 2);
  assert.deepEqual(drain(q), [1, 2]);
});
