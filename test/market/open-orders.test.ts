// OpenOrders: a client's open orders by id, checked against a Map kept in id order.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { OpenOrders } from "../../market/open-orders.ts";

type Rec = { readonly id: number; readonly tag: number };
type Op = { op: "set"; id: number; tag: number } | { op: "delete"; id: number } | { op: "get"; id: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), id: fc.integer({ min: 1, max: 40 }), tag: fc.nat() }),
  fc.record({ op: fc.constant("delete" as const), id: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant("get" as const), id: fc.integer({ min: 1, max: 40 }) }),
);

test("set, get and delete agree with a Map, and iteration and at() list the orders in id order", () => {
  fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
    const s = new OpenOrders<Rec>();
    const model = new Map<number, Rec>();
    for (const o of ops) {
      if (o.op === "set") {
        const rec = { id: o.id, tag: o.tag };
        s.set(rec);
        model.set(o.id, rec);
      } else if (o.op === "delete") {
        assert.equal(s.delete(o.id), model.delete(o.id));
      } else {
        assert.equal(s.get(o.id), model.get(o.id));
      }
      const want = [...model.values()].sort((a, b) => a.id - b.id);
      assert.equal(s.size, want.length);
      assert.deepEqual([...s.values()], want);
      assert.deepEqual(Array.from({ length: s.size }, (_, i) => s.at(i)), want);
    }
  }));
});

test("ids heard in order are kept in acceptance order; values() is a copy that removals do not disturb", () => {
  const s = new OpenOrders<Rec>();
  for (let id = 1; id <= 5; id++) s.set({ id, tag: id * 10 });
  const it = s.values();
  assert.equal(it.next().value?.id, 1);
  // Orders closing while a caller walks the list (as after an await) do not make it skip one.
  s.delete(2);
  s.delete(1);
  assert.deepEqual([...it].map((r) => r.id), [2, 3, 4, 5]);
  assert.deepEqual([...s.values()].map((r) => r.id), [3, 4, 5]);
  assert.equal(s.get(2), undefined);
  assert.equal(s.get(4)?.tag, 40);
});
