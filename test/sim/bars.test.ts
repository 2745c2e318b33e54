// Bars: a run's trades as 1-minute OHLCV bars with flat gap bars, written as bars.arrow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { loadOhlcv } from "../../experiments/ohlcv.ts";
import { BarBuilder, MINUTE_NS } from "../../sim/bars.ts";
import { BUY, P, SELL, makeWorld } from "../market/helpers.ts";

const M = MINUTE_NS;
/** 2024-01-01T00:00:00Z. */
const EPOCH_MS = 1_704_067_200_000;

/** Trades at (ts ns, price ticks, size lots), each a resting sell lifted by a market buy. */
function build(trades: readonly [ts: number, price: number, size: number][], endNs: number, intervalNs?: number): BarBuilder {
  const w = makeWorld();
  const bars = new BarBuilder(w.inst, { epochMs: EPOCH_MS, ...(intervalNs === undefined ? {} : { intervalNs }) });
  for (const [ts, price, size] of trades) {
    let mark = w.log.size;
    w.engine.limit(ts, 0, SELL, price, size);
    bars.onEvents(w.log, mark, w.log.size);
    mark = w.log.size;
    w.engine.market(ts, 1, BUY, size);
    bars.onEvents(w.log, mark, w.log.size);
  }
  bars.finish(endNs);
  return bars;
}

/** Rows of a table as plain objects with numbers (Int64 and timestamps as numbers). */
function rows(t: Table): Record<string, number | null>[] {
  const out: Record<string, number | null>[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const r: Record<string, number | null> = {};
    for (const f of t.schema.fields) {
      const v = t.getChild(f.name)!.get(i) as number | bigint | null;
      r[f.name] = typeof v === "bigint" ? Number(v) : v;
    }
    out.push(r);
  }
  return out;
}

// Minute 1: three trades; minute 2: none; minute 3: one; run ends 4 minutes in.
const SCRIPT: [number, number, number][] = [
  [M + 5, P + 100, 2],
  [M + 10 * 1e9, P + 300, 1],
  [M + 30 * 1e9, P - 200, 3],
  [2 * M - 1, P + 50, 4],
  [3 * M, P + 1, 10],
];

test("OHLCV per minute is exact, empty minutes are flat at the last close, nothing before the first trade", async () => {
  const bars = build(SCRIPT, 4 * M);
  assert.equal(bars.count, 3, "bars for minutes 1, 2, 3; none for minute 0");
  const dir = await mkdtemp(join(tmpdir(), "bars-"));
  try {
    await bars.write(dir);
    const t = tableFromIPC(await readFile(join(dir, "bars.arrow")));
    const base = EPOCH_MS + 60_000;
    assert.deepEqual(rows(t), [
      {
        timestamp: base, open: 60001, high: 60003, low: 59998, close: 60000.5, volume: 0.001, trades: 4,
        vwap: Number((((P + 100) * 2 + (P + 300) + (P - 200) * 3 + (P + 50) * 4) / 10 / 100).toPrecision(15)), ts_ns: M,
      },
      { timestamp: base + 60_000, open: 60000.5, high: 60000.5, low: 60000.5, close: 60000.5, volume: 0, trades: 0, vwap: null, ts_ns: 2 * M },
      { timestamp: base + 120_000, open: 60000.01, high: 60000.01, low: 60000.01, close: 60000.01, volume: 0.001, trades: 1, vwap: 60000.01, ts_ns: 3 * M },
    ]);
    assert.deepEqual([...bars.closes()], [60000.5, 60000.5, 60000.01]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a bar boundary is exact at 60e9 ns: 60e9 - 1 is the earlier bar, 60e9 the later", () => {
  const bars = build([[M - 1, P, 1], [M, P + 7, 1]], 2 * M);
  assert.equal(bars.count, 2);
  assert.deepEqual([...bars.closes()], [60000, 60000.07]);
});

test("flat bars run to the end: the last bar is the one that opened before endNs", () => {
  assert.equal(build([[5, P, 1]], 3 * M).count, 3, "bars 0, 1, 2 for an end at exactly 3 minutes");
  assert.equal(build([[5, P, 1]], 3 * M + 1).count, 4, "bar 3 has started at 3 min + 1 ns");
  assert.equal(build([[5, P, 1]], 6).count, 1);
  assert.equal(build([], 5 * M).count, 0, "no trades, no bars");
  // A trade at exactly the end time opens a bar that has not started before the end.
  const atEnd = build([[5, P, 1], [2 * M, P + 9, 1]], 2 * M);
  assert.deepEqual([...atEnd.closes()], [60000, 60000]);
});

test("the interval is a parameter", () => {
  const bars = build([[1e9, P, 1], [6e9, P + 1, 1], [21e9, P + 2, 1]], 25e9, 5e9);
  // 5 s bars: [0,5) [5,10) [10,15) flat [15,20) flat [20,25).
  assert.deepEqual([...bars.closes()], [60000, 60000.01, 60000.01, 60000.01, 60000.02]);
  assert.throws(() => new BarBuilder(makeWorld().inst, { intervalNs: 1.5e6 + 1 }), /bars\.intervalNs/);
});

test("misuse throws: writing before finish, finishing twice, a trade after finish or before the end", async () => {
  const w = makeWorld();
  const bars = new BarBuilder(w.inst);
  await assert.rejects(bars.write(tmpdir()), /finish/);
  w.engine.limit(2 * M, 0, SELL, P, 1);
  w.engine.market(2 * M, 1, BUY, 1);
  bars.onEvents(w.log, 0, w.log.size);
  assert.throws(() => bars.finish(M), /before the last trade/);
  bars.finish(3 * M);
  assert.throws(() => bars.finish(3 * M), /already finished/);
  w.engine.limit(3 * M, 0, SELL, P, 1);
  const mark = w.log.size;
  w.engine.market(3 * M, 1, BUY, 1);
  assert.throws(() => bars.onEvents(w.log, mark, w.log.size), /after finish/);
});

test("bars.arrow has the contracted columns and types and is byte-identical on rewrite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bars-"));
  try {
    const a = build(SCRIPT, 4 * M);
    await a.write(dir);
    const first = await readFile(join(dir, "bars.arrow"));
    await a.write(dir);
    assert.ok(first.equals(await readFile(join(dir, "bars.arrow"))), "same builder, same bytes");
    await build(SCRIPT, 4 * M).write(dir);
    assert.ok(first.equals(await readFile(join(dir, "bars.arrow"))), "same trades, same bytes");
    const t = tableFromIPC(first);
    assert.deepEqual(
      t.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
      [
        ["timestamp", "Timestamp<MILLISECOND, UTC>", false],
        ["open", "Float64", false], ["high", "Float64", false], ["low", "Float64", false], ["close", "Float64", false],
        ["volume", "Float64", false], ["trades", "Int32", false], ["vwap", "Float64", true], ["ts_ns", "Int64", false],
      ],
    );
    assert.equal(t.schema.metadata.get("btc_arena.table"), "bars");
    assert.equal(t.schema.metadata.get("btc_arena.epoch_ms"), String(EPOCH_MS));
    // The OHLCV loader the rest of the platform uses accepts the file as it is.
    const o = await loadOhlcv(join(dir, "bars.arrow"));
    assert.deepEqual([...o.close], [...a.closes()]);
    assert.deepEqual([...o.timestamps], [EPOCH_MS + 60_000, EPOCH_MS + 120_000, EPOCH_MS + 180_000]);
    // An empty run still writes a readable file with the schema.
    await build([], M).write(dir);
    const empty = tableFromIPC(await readFile(join(dir, "bars.arrow")));
    assert.equal(empty.numRows, 0);
    assert.equal(empty.schema.fields.length, 9);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
