// trades.arrow and equity.arrow of a backtest: Arrow IPC files with UTC times and unit metadata.
import { Field, Float64, makeData, makeVector, RecordBatch, Schema, Struct, Table, tableToIPC, TimestampMillisecond, Utf8, vectorFromArray, type Data, type Vector } from "apache-arrow";
import { REGIME_LABELS, NO_REGIME, type BacktestTrade } from "./runner.ts";

const TIME = new TimestampMillisecond("UTC");

function times(ms: ArrayLike<number>): Vector {
  const n = ms.length;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(Math.round(ms[i]));
  return makeVector(makeData({ type: TIME, length: n, data: out }));
}

const f64 = (xs: ArrayLike<number>): Vector => makeVector(makeData({ type: new Float64(), length: xs.length, data: Float64Array.from(xs) }));
const utf8 = (xs: readonly (string | null)[]): Vector =>
  xs.length === 0 ? makeVector(makeData({ type: new Utf8(), length: 0, valueOffsets: new Int32Array(1), data: new Uint8Array(0) })) : vectorFromArray(xs as string[], new Utf8());
/** The single chunk of a vector built in one piece (every builder above makes one). */
function chunk(v: Vector): Data {
  if (v.data.length !== 1) throw new Error(`arrow-out: a column came in ${v.data.length} chunks, expected 1`);
  return v.data[0];
}
const field = (name: string, v: Vector, unit: string | null, nullable = false) =>
  new Field(name, v.type, nullable, unit === null ? null : new Map([["unit", unit]]));

/** Builds a table whose fields carry a "unit" metadata entry, and its IPC file bytes. */
function ipc(columns: readonly (readonly [string, Vector, string | null, boolean?])[], table: string): Uint8Array {
  const schema = new Schema(columns.map(([n, v, u, nullable]) => field(n, v, u, nullable)), new Map([["btc_arena.table", table], ["btc_arena.format_version", "1"]]));
  const n = columns[0][1].length;
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: columns.map(([, v]) => chunk(v)) }));
  const t = new Table(schema, batch);
  return tableToIPC(t, "file");
}

/**
 * trades.arrow: one row per closed trade, in exit order. Columns: pair, entry_time, exit_time
 * (Timestamp ms UTC: the bar at whose open the fill happened), side, entry_price, exit_price
 * (quote per base, slippage included), size (base), fees, pnl (quote), exit_reason.
 */
export function tradesArrow(trades: readonly BacktestTrade[]): Uint8Array {
  return ipc([
    ["pair", utf8(trades.map((t) => t.pair)), null],
    ["entry_time", times(trades.map((t) => t.entryTime)), "Unix ms UTC"],
    ["exit_time", times(trades.map((t) => t.exitTime)), "Unix ms UTC"],
    ["side", utf8(trades.map((t) => t.side)), null],
    ["entry_price", f64(trades.map((t) => t.entryPrice)), "quote per base"],
    ["exit_price", f64(trades.map((t) => t.exitPrice)), "quote per base"],
    ["size", f64(trades.map((t) => t.size)), "base"],
    ["fees", f64(trades.map((t) => t.fees)), "quote"],
    ["pnl", f64(trades.map((t) => t.pnl)), "quote"],
    ["exit_reason", utf8(trades.map((t) => t.exitReason)), null],
  ], "trades");
}

/** Drawdown below the running peak of each point, a fraction in [0, 1]. */
export function drawdownFractions(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    if (equity[i] > peak) peak = equity[i];
    out[i] = peak > 0 ? 1 - equity[i] / peak : 0;
  }
  return out;
}

/**
 * equity.arrow: one row per time step. Columns: time (Timestamp ms UTC), equity (quote, at the
 * close), drawdown (fraction below the running peak), and regime (the first pair's strategy's
 * label) when the strategy has one.
 */
export function equityArrow(time: Float64Array, equity: Float64Array, regime: Uint8Array | null): Uint8Array {
  const cols: [string, Vector, string | null, boolean?][] = [
    ["time", times(time), "Unix ms UTC"],
    ["equity", f64(equity), "quote"],
    ["drawdown", f64(drawdownFractions(equity)), "fraction"],
  ];
  if (regime !== null) cols.push(["regime", utf8(Array.from(regime, (c) => (c === NO_REGIME ? null : REGIME_LABELS[c]))), null, true]);
  return ipc(cols, "equity");
}
