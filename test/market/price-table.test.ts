// The engine's price → level table must behave exactly like a Map under any mix of operations.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { IdIndex } from "../../market/id-index.ts";
import { PriceTable } from "../../market/price-table.ts";

test("PriceTable agrees with a Map over random inserts and deletes, through growth and probe runs", () => {
  // Prices in a narrow band collide often after masking, so deletion has to shift runs.
  const op = fc.record({ del: fc.boolean(), price: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 2 ** 40 })) });
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 600 }), (ops) => {
      const t = new PriceTable(4);
      const m = new Map<number, number>();
      let next = 0;
      for (const o of ops) {
        if (o.del && m.has(o.price)) {
          t.delete(o.price);
          m.delete(o.price);
        } else if (!o.del && !m.has(o.price)) {
          t.set(o.price, next);
          m.set(o.price, next++);
        }
        assert.equal(t.size, m.size);
      }
      for (const [k, v] of m) assert.equal(t.get(k), v);
      for (const o of ops) if (!m.has(o.price)) assert.equal(t.get(o.price), -1);
    }),
    { numRuns: 200 },
  );
});

test("IdIndex maps ids to slots, frees emptied pages, and lists slots in id order", () => {
  const ix = new IdIndex();
  for (let id = 1; id <= 10_000; id++) ix.set(id, id * 2);
  for (let id = 1; id <= 9_000; id++) ix.delete(id);
  assert.equal(ix.size, 1000);
  assert.equal(ix.get(8_999), -1);
  assert.equal(ix.get(9_001), 18_002);
  assert.equal(ix.get(1.5), -1);
  assert.equal(ix.get(-3), -1);
  assert.equal(ix.get(Number.NaN), -1);
  assert.deepEqual([...ix.slots()].slice(0, 3), [18_002, 18_004, 18_006]);
});
