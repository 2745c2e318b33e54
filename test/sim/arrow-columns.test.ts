// Arrow column builders: the Int64 writer must give exactly what BigInt arithmetic gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BatchMemory, ChunkedRows, COLUMN_STRIDE, int64Data, ROWS_PER_BATCH, timestampData } from "../../sim/arrow-columns.ts";

const safeInt = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const valueOrNull = fc.oneof(
  { weight: 1, arbitrary: fc.constant(NaN) },
  { weight: 3, arbitrary: safeInt },
  { weight: 3, arbitrary: fc.integer({ min: -(2 ** 33), max: 2 ** 33 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 31, -(2 ** 31) - 1) },
);
// Offsets as the writers use them (epoch in ns, 0) and extremes that make the high word carry.
const offset = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: 2n ** 62n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(1_700_000_000_000_000_000n, 2n ** 32n - 1n, -(2n ** 32n)),
);

test("int64Data writes BigInt(v) + offset, wrapped to 64 bits, and NaN as null", () => {
  fc.assert(
    fc.property(fc.array(valueOrNull, { maxLength: 40 }), offset, (values, off) => {
      const data = int64Data("x", Float64Array.from(values), off);
      const got = data.values as BigInt64Array;
      assert.equal(data.nullCount, values.filter((v) => Number.isNaN(v)).length);
      values.forEach((v, i) => {
        const valid = data.nullBitmap === undefined || data.nullBitmap.length === 0 || (data.nullBitmap[i >> 3] & (1 << (i & 7))) !== 0;
        if (Number.isNaN(v)) {
          assert.equal(valid, false, `row ${i} should be null`);
          assert.equal(got[i], 0n);
        } else {
          assert.equal(valid, true, `row ${i} should be valid`);
          assert.equal(got[i], BigInt.asIntN(64, BigInt(v) + off), `row ${i}: ${v} + ${off}`);
        }
      });
    }),
    { numRuns: 500 },
  );
});

test("int64Data names the column and row of a value that is not a safe integer", () => {
  assert.throws(() => int64Data("price_ticks", Float64Array.of(1, 2.5, 3)), /price_ticks\[1\] = 2\.5 is not a safe integer/);
  assert.throws(() => int64Data("size_lots", Float64Array.of(2 ** 53, 1)), /size_lots\[0\]/);
});

test("timestampData adds the epoch in ns and carries the UTC timestamp type", () => {
  const epochNs = 1_678_000_000_000n * 1_000_000n;
  const d = timestampData("time", Float64Array.of(0, 4_294_967_296, 59_999_999_999), epochNs);
  assert.deepEqual([...(d.values as BigInt64Array)], [epochNs, epochNs + 4_294_967_296n, epochNs + 59_999_999_999n]);
  assert.equal(String(d.type), "Timestamp<NANOSECOND, UTC>");
});

test("ChunkedRows keeps rows across chunks, gives a batch's columns, and a released chunk carries nothing into the next table", () => {
  const fill = (t: ChunkedRows, n: number, base: number) => {
    for (let i = 0; i < n; i++) {
      const o = t.add();
      t.data[o] = base + i;
      t.data[o + COLUMN_STRIDE] = -(base + i);
    }
  };
  const a = new ChunkedRows(2);
  fill(a, ROWS_PER_BATCH + 3, 0);
  assert.equal(a.length, ROWS_PER_BATCH + 3);
  const [first, neg] = a.columns(0, ROWS_PER_BATCH);
  assert.equal(first.length, ROWS_PER_BATCH);
  assert.deepEqual([first[0], first[ROWS_PER_BATCH - 1], neg[ROWS_PER_BATCH - 1]], [0, ROWS_PER_BATCH - 1, -(ROWS_PER_BATCH - 1)]);
  assert.deepEqual(a.columns(ROWS_PER_BATCH, 3).map((c) => [...c]), [[ROWS_PER_BATCH, ROWS_PER_BATCH + 1, ROWS_PER_BATCH + 2], [-ROWS_PER_BATCH, -ROWS_PER_BATCH - 1, -ROWS_PER_BATCH - 2]]);
  assert.throws(() => a.columns(1, 2), /not one chunk/);
  assert.throws(() => a.columns(ROWS_PER_BATCH, 4), /not one chunk/);
  a.release();
  assert.equal(a.length, 0);
  // The next table takes the released chunks: it sees only its own rows.
  const b = new ChunkedRows(2);
  fill(b, 2, 1000);
  assert.deepEqual(b.columns(0, 2).map((c) => [...c]), [[1000, 1001], [-1000, -1001]]);
  assert.deepEqual(b.columns(0, 0).map((c) => c.length), [0, 0]);
});

test("BatchMemory lends zero-filled arrays and, after reclaim, the same memory again, zero-filled", () => {
  const mem = new BatchMemory();
  const a = mem.float64(1000);
  const b = mem.bytes(125);
  assert.notEqual(a.buffer, b.buffer);
  a.fill(7);
  b.fill(255);
  // Lent arrays are not handed out twice before reclaim.
  const a2 = mem.float64(1000);
  assert.notEqual(a2.buffer, a.buffer);
  a2.fill(-3);
  mem.reclaim();
  // 8,000 bytes again: one of the two reclaimed buffers, whichever, emptied.
  const again = mem.int64(1000);
  assert.ok(again.buffer === a.buffer || again.buffer === a2.buffer, "reuses a reclaimed buffer");
  assert.ok(again.every((x) => x === 0n));
  const bits = mem.bytes(125);
  assert.equal(bits.buffer, b.buffer);
  assert.ok(bits.every((x) => x === 0));
});
