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

/**
 * Fixed-stride rows of Float64 that grow by doubling. One bounds check per row, no
 * per-row allocation: the recorder's hot path appends here and converts only on write.
 * Columns that can be null hold NaN (numbers) or -1 (codes) as the null marker.
 */
export class RowBuffer {
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

/** The value of one column at row `i` of a batch. */
export type Getter = (i: number) => number;

/** Validity bitmap (bit set = value present) and null count for rows where `isNull` holds. */
function validity(n: number, isNull: (i: number) => boolean): { nullBitmap?: Uint8Array; nullCount: number } {
  let nulls = 0;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    if (isNull(i)) nulls++;
    else bits[i >> 3] |= 1 << (i & 7);
  }
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bits, nullCount: nulls };
}

const TWO_32 = 4294967296;
// Arrow's buffers are little-endian; on such a host an Int64 is written as two 32-bit words.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Int64 column from integer-valued numbers plus `offset`; NaN is null.
 * Writes each value as two 32-bit words instead of through a BigInt per row: a run's tables
 * hold hundreds of thousands of rows, and a BigInt each was most of what writing allocated.
 * The bytes are the same as `BigInt64Array.of(BigInt(v) + offset)`, wrapping alike.
 * @throws Error naming the column and row when a value is not a safe integer (a broken invariant).
 */
export function int64Data(name: string, n: number, get: Getter, offset = 0n): Data<Int64> {
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer, out.byteOffset, 2 * n);
  const offLo = Number(BigInt.asUintN(32, offset));
  const offHi = Number(BigInt.asIntN(32, offset >> 32n));
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v !== v) continue;
    if (!Number.isSafeInteger(v)) throw new Error(`recorder: ${name}[${i}] = ${v} is not a safe integer`);
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
  return makeData({ type: new Int64(), length: n, data: out, ...validity(n, (i) => Number.isNaN(get(i))) });
}

const TIMESTAMP_UTC = new TimestampNanosecond("UTC");

/** UTC nanosecond timestamps: `epochNs` plus the integer nanoseconds `get(i)`. */
export function timestampData(name: string, n: number, get: Getter, epochNs: bigint): Data<TimestampNanosecond> {
  return int64Data(name, n, get, epochNs).clone(TIMESTAMP_UTC);
}

/** Float64 column; NaN is null (so the files never hold NaN). */
export function float64Data(n: number, get: Getter): Data<Float64> {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = get(i);
  return makeData({ type: new Float64(), length: n, data: out, ...validity(n, (i) => Number.isNaN(out[i])) });
}

/** Int32 column; NaN is null. */
export function int32Data(n: number, get: Getter): Data<Int32> {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    out[i] = v === v ? v : 0;
  }
  return makeData({ type: new Int32(), length: n, data: out, ...validity(n, (i) => Number.isNaN(get(i))) });
}

/** Boolean column from 0/1; -1 is null. */
export function boolData(n: number, get: Getter): Data<Bool> {
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (get(i) === 1) bits[i >> 3] |= 1 << (i & 7);
  return makeData({ type: new Bool(), length: n, data: bits, ...validity(n, (i) => get(i) < 0) });
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

  /** Column of codes into `values`; a negative code is null. */
  data(n: number, get: Getter): Data<Dictionary<Utf8, Int8>> {
    const out = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const v = get(i);
      out[i] = v >= 0 ? v : 0;
    }
    return makeData({
      type: this.type, length: n, data: out, dictionary: this.vector,
      ...validity(n, (i) => !(get(i) >= 0)),
    });
  }
}

/** One column of a table: its field and how to build `n` rows starting at row `start`. */
export interface ColumnSpec {
  readonly field: Field;
  readonly build: (start: number, n: number) => Data;
}

/** Rows per record batch: bounds the temporary arrays made while writing. */
export const ROWS_PER_BATCH = 1 << 16;

/**
 * Serialises `rows` rows as an Arrow IPC file, in record batches of `ROWS_PER_BATCH`.
 * An empty table is one empty batch, so the file carries its schema and dictionaries.
 * Deterministic: the bytes depend only on the schema and the values.
 */
export function arrowFileBytes(columns: readonly ColumnSpec[], metadata: Map<string, string>, rows: number): Uint8Array {
  const schema = new Schema(columns.map((c) => c.field), metadata);
  const type = new Struct(schema.fields);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows || batches.length === 0; start += ROWS_PER_BATCH) {
    const n = Math.min(ROWS_PER_BATCH, rows - start);
    const children = columns.map((c) => c.build(start, n));
    batches.push(new RecordBatch(schema, makeData({ type, length: n, nullCount: 0, children })));
  }
  return RecordBatchFileWriter.writeAll(batches).toUint8Array(true);
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
