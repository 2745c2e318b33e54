// Growable row storage and Arrow column builders for the recorder: numbers in, Arrow Data out.
import {
  Bool,
  Data,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  Int8,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  TimestampNanosecond,
  Utf8,
  vectorFromArray,
  type Vector,
} from "apache-arrow";
import type { InstrumentSpec } from "../market/instrument.ts";
import { objectArray } from "../market/array-kinds.ts";

/**
 * Fixed-stride rows of Float64 that grow by doubling. One bounds check per row, no
 * per-row allocation: the recorder's hot path appends here and converts only on write.
 * Columns that can be null hold NaN (numbers) or -1 (codes) as the null marker.
 */
export class RowBuffer implements RowSource {
  readonly stride: number;
  /** Rows, row-major; valid up to `length * stride`. Replaced when it grows. */
  data: Float64Array;
  private n = 0;

  constructor(stride: number, initialRows = 1024) {
    this.stride = stride;
    this.data = new Float64Array(Math.max(16, initialRows) * stride);
  }

  get length(): number {
    return this.n;
  }

  /**
   * Rows [start, start + n) as one fresh array per column, in a single pass over the rows:
   * Arrow wants columns, and reading a column at a time strides across every row.
   */
  columns(start: number, n: number): Float64Array[] {
    return transpose(this.data, start, n, this.stride);
  }

  /** Reserves one row and returns its offset into `data`. */
  add(): number {
    const o = this.n * this.stride;
    if (o + this.stride > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.n++;
    return o;
  }
}

/** What a table is written from: its row count and the columns of a batch of rows. */
export interface RowSource {
  readonly length: number;
  /**
   * Rows [start, start + n) as one array per column: fresh (RowBuffer) or views of the
   * table's memory (ChunkedRows), valid until the table changes.
   */
  columns(start: number, n: number): Float64Array[];
}

/**
 * Rows of `stride` Float64 columns in chunks of `ROWS_PER_BATCH` rows, for tables that grow to
 * hundreds of thousands of rows (the recorder's): growing never copies, a record batch is one
 * chunk, and chunks come from a per-thread pool and go back to it on `release`. A worker that
 * records run after run then reuses the same memory, where doubling one array would leave
 * garbage buffers that only a full collection frees.
 * A chunk is column-major: `add()` returns the row's slot `o`, and column `c` of that row is
 * `data[o + c * COLUMN_STRIDE]`. A batch's columns are then views of its chunk, not copies:
 * transposing row-major chunks would allocate and fill a new array per column per batch.
 */
export class ChunkedRows implements RowSource {
  readonly stride: number;
  /** The chunk rows are being added to; replaced when it is full. */
  data: Float64Array = EMPTY;
  private readonly chunks = objectArray<Float64Array>();
  /** Rows used in `data`. */
  private used = ROWS_PER_BATCH;
  private n = 0;

  constructor(stride: number) {
    this.stride = stride;
  }

  get length(): number {
    return this.n;
  }

  /**
   * Reserves one row and returns its slot in `data`: column `c` of the row is
   * `data[slot + c * COLUMN_STRIDE]`. Read `data` after the call (it moves to a new chunk).
   */
  add(): number {
    if (this.used === ROWS_PER_BATCH) {
      this.data = takeChunk(ROWS_PER_BATCH * this.stride);
      this.chunks.push(this.data);
      this.used = 0;
    }
    this.n++;
    return this.used++;
  }

  /**
   * Rows [start, start + n) of one chunk (`start` a multiple of `ROWS_PER_BATCH`, `n` at most
   * that), one view of the chunk per column: valid until `release`, so encode them first.
   */
  columns(start: number, n: number): Float64Array[] {
    const k = start / ROWS_PER_BATCH;
    if (!Number.isInteger(k) || n > ROWS_PER_BATCH || start + n > this.n) throw new RangeError(`ChunkedRows.columns(${start}, ${n}): not one chunk of rows [0, ${this.n})`);
    const chunk = n === 0 ? EMPTY : this.chunks[k];
    const out: Float64Array[] = [];
    for (let c = 0; c < this.stride; c++) out.push(chunk.subarray(c * COLUMN_STRIDE, c * COLUMN_STRIDE + n));
    return out;
  }

  /** Empties the table and gives its chunks back to the pool for the next table. */
  release(): void {
    for (const c of this.chunks) giveChunk(c);
    this.chunks.length = 0;
    this.data = EMPTY;
    this.used = ROWS_PER_BATCH;
    this.n = 0;
  }
}

const EMPTY = new Float64Array(0);
/** Free chunks by length, at most `POOL_CAP` of each: a worker's next run reuses them, and a very long run's surplus is let go. */
const pool = new Map<number, Float64Array[]>();
const POOL_CAP = 64;

function takeChunk(length: number): Float64Array {
  return pool.get(length)?.pop() ?? new Float64Array(length);
}

function giveChunk(c: Float64Array): void {
  let free = pool.get(c.length);
  if (free === undefined) pool.set(c.length, (free = []));
  if (free.length < POOL_CAP) free.push(c);
}

/** Rows [from, from + n) of row-major `d` as one fresh array per column, in a single pass. */
function transpose(d: Float64Array, from: number, n: number, stride: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < stride; c++) out.push(new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const o = (from + i) * stride;
    for (let c = 0; c < stride; c++) out[c][i] = d[o + c];
  }
  return out;
}

/**
 * Where column builders get their arrays: fresh ones (`FRESH`), or `BatchMemory`'s, which a
 * streaming writer takes back once a batch is on disk. Every array comes zero-filled.
 */
export interface ColumnMemory {
  bytes(n: number): Uint8Array;
  int8(n: number): Int8Array;
  int32(n: number): Int32Array;
  int64(n: number): BigInt64Array;
  float64(n: number): Float64Array;
}

/** New arrays every time: for callers that keep every batch until the end (arrowFileBytes). */
export const FRESH: ColumnMemory = {
  bytes: (n) => new Uint8Array(n),
  int8: (n) => new Int8Array(n),
  int32: (n) => new Int32Array(n),
  int64: (n) => new BigInt64Array(n),
  float64: (n) => new Float64Array(n),
};

/**
 * Arrays lent for one record batch and reused by the next once `reclaim` says the batch is
 * written. Every record batch builds an array per column; fresh memory for each would cost
 * page faults and collections.
 */
export class BatchMemory implements ColumnMemory {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private lent: ArrayBuffer[] = [];

  bytes(n: number): Uint8Array {
    return new Uint8Array(this.take(n), 0, n);
  }

  int8(n: number): Int8Array {
    return new Int8Array(this.take(n), 0, n);
  }

  int32(n: number): Int32Array {
    return new Int32Array(this.take(4 * n), 0, n);
  }

  int64(n: number): BigInt64Array {
    return new BigInt64Array(this.take(8 * n), 0, n);
  }

  float64(n: number): Float64Array {
    return new Float64Array(this.take(8 * n), 0, n);
  }

  /** Every array lent since the last call may be handed out again: nothing may read them now. */
  reclaim(): void {
    for (const b of this.lent) {
      let list = this.free.get(b.byteLength);
      if (list === undefined) this.free.set(b.byteLength, (list = []));
      list.push(b);
    }
    this.lent = [];
  }

  private take(bytes: number): ArrayBuffer {
    const b = this.free.get(bytes)?.pop();
    if (b !== undefined) new Uint8Array(b).fill(0);
    const out = b ?? new ArrayBuffer(bytes);
    this.lent.push(out);
    return out;
  }
}

/**
 * Validity bitmap (bit set = value present) as Arrow wants it: none at all when nothing is
 * null. Builders fill `bits` and count nulls in their own loop, so each value is read once.
 */
function validity(bits: Uint8Array, nulls: number): { nullBitmap?: Uint8Array; nullCount: number } {
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bits, nullCount: nulls };
}

const TWO_32 = 4294967296;
// Arrow's buffers are little-endian; on such a host an Int64 is written as two 32-bit words.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Int64 column from integer-valued numbers plus `offset`; NaN is null.
 * Writes each value as two 32-bit words instead of through a BigInt per row: a run's tables
 * hold hundreds of thousands of rows, and a BigInt each would be an allocation per row.
 * The bytes are the same as `BigInt64Array.of(BigInt(v) + offset)`, wrapping alike.
 * @throws Error naming the column and row when a value is not a safe integer (a broken invariant).
 */
export function int64Data(name: string, values: Float64Array, offset = 0n, mem: ColumnMemory = FRESH): Data<Int64> {
  const n = values.length;
  const out = mem.int64(n);
  const words = new Int32Array(out.buffer, out.byteOffset, 2 * n);
  const bits = mem.bytes((n + 7) >> 3);
  let nulls = 0;
  const offLo = Number(BigInt.asUintN(32, offset));
  const offHi = Number(BigInt.asIntN(32, offset >> 32n));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) {
      nulls++;
      continue;
    }
    bits[i >> 3] |= 1 << (i & 7);
    if (!Number.isSafeInteger(v)) throw notSafe(name, i, v);
    if (!LITTLE_ENDIAN) {
      out[i] = BigInt(v) + offset;
      continue;
    }
    // v = hi·2^32 + lo with lo in [0, 2^32); adding the offset word by word carries at most 1.
    let hi = Math.floor(v / TWO_32);
    let lo = v - hi * TWO_32 + offLo;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi++;
    }
    words[2 * i] = lo | 0;
    words[2 * i + 1] = (hi + offHi) | 0;
  }
  return makeData({ type: new Int64(), length: n, data: out, ...validity(bits, nulls) });
}

// Built in a function of its own, off the hot loop: see badAdvance in sim/clock.ts.
function notSafe(name: string, i: number, v: number): Error {
  return new Error(`recorder: ${name}[${i}] = ${v} is not a safe integer`);
}

const TIMESTAMP_UTC = new TimestampNanosecond("UTC");

/** UTC nanosecond timestamps: `epochNs` plus the integer nanoseconds in `values`. */
export function timestampData(name: string, values: Float64Array, epochNs: bigint, mem: ColumnMemory = FRESH): Data<TimestampNanosecond> {
  return int64Data(name, values, epochNs, mem).clone(TIMESTAMP_UTC);
}

/** Float64 column; NaN is null (and is kept under the null bit). Takes `values` as the column's buffer. */
export function float64Data(values: Float64Array, mem: ColumnMemory = FRESH): Data<Float64> {
  const n = values.length;
  const bits = mem.bytes((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) nulls++;
    else bits[i >> 3] |= 1 << (i & 7);
  }
  return makeData({ type: new Float64(), length: n, data: values, ...validity(bits, nulls) });
}

/** Int32 column; NaN is null. */
export function int32Data(values: Float64Array, mem: ColumnMemory = FRESH): Data<Int32> {
  const n = values.length;
  const out = mem.int32(n);
  const bits = mem.bytes((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) {
      nulls++;
      continue;
    }
    out[i] = v;
    bits[i >> 3] |= 1 << (i & 7);
  }
  return makeData({ type: new Int32(), length: n, data: out, ...validity(bits, nulls) });
}

/** Boolean column from 0/1; a negative value is null. */
export function boolData(values: Float64Array, mem: ColumnMemory = FRESH): Data<Bool> {
  const n = values.length;
  const out = mem.bytes((n + 7) >> 3);
  const bits = mem.bytes((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === 1) out[i >> 3] |= 1 << (i & 7);
    if (v < 0) nulls++;
    else bits[i >> 3] |= 1 << (i & 7);
  }
  return makeData({ type: new Bool(), length: n, data: out, ...validity(bits, nulls) });
}

/**
 * A fixed string dictionary with Int8 codes. The id is explicit because apache-arrow
 * otherwise draws ids from a process-wide counter, which would make the bytes of a file
 * depend on how many dictionaries were created before it.
 */
export class StringDict {
  readonly type: Dictionary<Utf8, Int8>;
  readonly values: readonly string[];
  private readonly vector: Vector<Utf8>;

  constructor(id: number, values: readonly string[]) {
    if (values.length > 127) throw new Error(`StringDict: ${values.length} values do not fit Int8 codes`);
    this.values = values;
    this.type = new Dictionary(new Utf8(), new Int8(), id, false);
    this.vector = vectorFromArray(values as string[], new Utf8());
  }

  /** Column of codes into `values`; a negative (or NaN) code is null. */
  data(codes: Float64Array, mem: ColumnMemory = FRESH): Data<Dictionary<Utf8, Int8>> {
    const n = codes.length;
    const out = mem.int8(n);
    const bits = mem.bytes((n + 7) >> 3);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = codes[i];
      if (v >= 0) {
        out[i] = v;
        bits[i >> 3] |= 1 << (i & 7);
      } else {
        nulls++;
      }
    }
    return makeData({ type: this.type, length: n, data: out, dictionary: this.vector, ...validity(bits, nulls) });
  }
}

/**
 * One column of a table: its field and how to build it from a record batch's columns of
 * the row buffer (`cols[c]` holds column `c` of the batch's rows), taking its arrays from
 * `mem`.
 */
export interface ColumnSpec {
  readonly field: Field;
  readonly build: (cols: readonly Float64Array[], mem: ColumnMemory) => Data;
}

/** Rows per record batch: bounds the temporary arrays made while writing. */
export const ROWS_PER_BATCH = 1 << 16;

/** Distance in `ChunkedRows.data` between a row's columns. */
export const COLUMN_STRIDE = ROWS_PER_BATCH;

/**
 * Serialises the rows of `rows` as an Arrow IPC file, in record batches of `ROWS_PER_BATCH`.
 * An empty table is one empty batch, so the file carries its schema and dictionaries.
 * Deterministic: the bytes depend only on the schema and the values. For a table of any
 * size, `writeArrowFile` (sim/arrow-file.ts) writes the same bytes one batch at a time.
 */
export function arrowFileBytes(columns: readonly ColumnSpec[], metadata: Map<string, string>, rows: RowSource): Uint8Array {
  return RecordBatchFileWriter.writeAll(recordBatches(columns, metadata, rows)).toUint8Array(true);
}

/**
 * The record batches of `rows`, built one at a time as they are asked for, so a caller that
 * writes each before taking the next holds one batch's arrays at a time.
 */
export function* recordBatches(columns: readonly ColumnSpec[], metadata: Map<string, string>, rows: RowSource, mem: ColumnMemory = FRESH): Generator<RecordBatch> {
  const schema = new Schema(columns.map((c) => c.field), metadata);
  const type = new Struct(schema.fields);
  for (let start = 0; start < rows.length || start === 0; start += ROWS_PER_BATCH) {
    const n = Math.min(ROWS_PER_BATCH, rows.length - start);
    const cols = rows.columns(start, n);
    const children = columns.map((c) => c.build(cols, mem));
    yield new RecordBatch(schema, makeData({ type, length: n, nullCount: 0, children }));
  }
}

/**
 * A human-unit column from an integer-unit one, keeping NaN (null) as is. A small
 * direct-mapped cache skips the decimal rounding of `convert` for the prices and sizes that
 * recur, which is most of them; results are the same as calling `convert` every time.
 */
export function human(values: Float64Array, convert: (x: number) => number, mem: ColumnMemory = FRESH): Float64Array {
  const keys = mem.float64(4096).fill(NaN);
  const vals = mem.float64(4096);
  const out = mem.float64(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) {
      out[i] = NaN;
      continue;
    }
    const h = x & 4095;
    if (keys[h] === x) {
      out[i] = vals[h];
      continue;
    }
    const v = convert(x);
    keys[h] = x;
    vals[h] = v;
    out[i] = v;
  }
  return out;
}

/** A field with optional unit metadata, so readers need not guess what a number means. */
export function field(name: string, type: Field["type"], nullable: boolean, unit?: string): Field {
  return new Field(name, type, nullable, unit === undefined ? null : new Map([["unit", unit]]));
}

/** Metadata every Arrow file of a run carries: which table, the instrument's units, time 0. */
export function runMetadata(table: string, spec: InstrumentSpec, epochMs: number, extra: readonly [string, string][] = []): Map<string, string> {
  return new Map<string, string>([
    ["btc_arena.table", table],
    ["btc_arena.format_version", "1"],
    ["btc_arena.symbol", spec.symbol],
    ["btc_arena.tick_size", String(spec.tickSize)],
    ["btc_arena.lot_size", String(spec.lotSize)],
    ["btc_arena.base_scale", String(spec.baseScale)],
    ["btc_arena.quote_scale", String(spec.quoteScale)],
    ["btc_arena.epoch_ms", String(epochMs)],
    ...extra,
  ]);
}
