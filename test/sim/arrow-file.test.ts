// The streaming Arrow file writer must put on disk exactly the bytes of the in-memory one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Float64, Int32, tableFromIPC } from "apache-arrow";
import { arrowFileBytes, ChunkedRows, COLUMN_STRIDE, field, float64Data, int32Data, ROWS_PER_BATCH, type ColumnSpec } from "../../sim/arrow-columns.ts";
import { writeArrowFile } from "../../sim/arrow-file.ts";

// One Float64 column (a full batch of it is 512 KB: written as it is) and 20 Int32 columns
// (a short batch of them is 160 KB each: gathered, overflowing the 1 MiB staging buffer).
const INTS = 20;
const columns: ColumnSpec[] = [
  { field: field("x", new Float64(), true), build: (cols, mem) => float64Data(cols[0], mem) },
  ...Array.from({ length: INTS }, (_, k): ColumnSpec => ({ field: field(`i${k}`, new Int32(), true), build: (cols, mem) => int32Data(cols[k + 1], mem) })),
];
const metadata = new Map([["btc_arena.table", "test"]]);

/** Equal bytes, reported by length and first difference (a diff of megabytes would not fit in memory). */
function assertSameBytes(got: Uint8Array, want: Uint8Array): void {
  assert.equal(got.length, want.length, "file length");
  const at = got.findIndex((b, i) => b !== want[i]);
  assert.equal(at, -1, `first differing byte at ${at}`);
}

function table(rows: number): ChunkedRows {
  const t = new ChunkedRows(INTS + 1);
  for (let r = 0; r < rows; r++) {
    const o = t.add();
    t.data[o] = r % 97 === 0 ? NaN : r * 0.5;
    for (let k = 0; k < INTS; k++) t.data[o + (1 + k) * COLUMN_STRIDE] = r % (k + 13) === 0 ? NaN : r * (k + 1) - 1000;
  }
  return t;
}

// Two full batches: the second is built in the first one's arrays (BatchMemory), with its
// nulls in other places.
for (const rows of [0, 5, ROWS_PER_BATCH, ROWS_PER_BATCH + 40_000, 2 * ROWS_PER_BATCH + 5]) {
  test(`writeArrowFile writes the bytes arrowFileBytes makes (${rows} rows)`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "arena-arrow-file-"));
    try {
      const t = table(rows);
      const path = join(dir, "t.arrow");
      await writeArrowFile(path, columns, metadata, t);
      const onDisk = await readFile(path);
      assertSameBytes(onDisk, arrowFileBytes(columns, metadata, t));
      const back = tableFromIPC(onDisk);
      assert.equal(back.numRows, rows);
      if (rows > 0) {
        const last = rows - 1;
        assert.equal(back.getChild("i3")!.get(last), last % 16 === 0 ? null : last * 4 - 1000);
        assert.equal(back.getChild("x")!.get(0), null);
        assert.equal(back.getChild("x")!.get(last), last % 97 === 0 ? null : last * 0.5);
      }
      t.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test("two files written at once on one thread each get their own bytes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "arena-arrow-file-"));
  try {
    const a = table(ROWS_PER_BATCH + 40_000);
    const b = table(40_001);
    await Promise.all([writeArrowFile(join(dir, "a.arrow"), columns, metadata, a), writeArrowFile(join(dir, "b.arrow"), columns, metadata, b)]);
    assertSameBytes(await readFile(join(dir, "a.arrow")), arrowFileBytes(columns, metadata, a));
    assertSameBytes(await readFile(join(dir, "b.arrow")), arrowFileBytes(columns, metadata, b));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("writeArrowFile fails with the file system's error when the directory is missing", async () => {
  await assert.rejects(writeArrowFile(join(tmpdir(), "arena-no-such-dir", "t.arrow"), columns, metadata, table(3)), /ENOENT/);
});
