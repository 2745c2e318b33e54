// Recorder: a small engine run written as Arrow IPC files that other tools read back exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { MatchingEngine } from "../../market/engine.ts";
import { EventLog } from "../../market/event-log.ts";
import { DEFAULT_INSTRUMENT, lotsToAmount, makeInstrument, ticksToPrice } from "../../market/instrument.ts";
import { Asset, Ledger } from "../../market/ledger.ts";
import { OrderType, Side, TimeInForce, rejectReasonName, type TradeEvent } from "../../market/types.ts";
import { Recorder } from "../../sim/recorder.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** 60,000.00 USDT in ticks of the default instrument. */
const P = 6_000_000;
/** 2024-01-01T00:00:00Z. */
const EPOCH_MS = 1_704_067_200_000;

interface Run {
  readonly rec: Recorder;
  readonly log: EventLog;
  readonly l2Rows: number;
  readonly rejectName: string;
}

/** A scripted run: rest, trade, cancel, reject twice, amend, IOC partial fill. */
function run(): Run {
  const inst = makeInstrument(DEFAULT_INSTRUMENT);
  const ledger = new Ledger();
  for (let i = 0; i < 3; i++) {
    const a = ledger.open();
    ledger.deposit(a, Asset.QUOTE, 1_000_000 * 1_000_000);
    ledger.deposit(a, Asset.BASE, 10 * 100_000_000);
  }
  const log = new EventLog(16);
  const engine = new MatchingEngine(inst, ledger, log);
  const rec = new Recorder(inst, { epochMs: EPOCH_MS });
  let mark = 0;
  let l2Rows = 0;
  let rejectName = "";
  const steps: [number, () => void][] = [
    [1000, () => engine.limit(1000, 0, Side.SELL, P + 100, 20)],
    [2000, () => engine.limit(2000, 1, Side.BUY, P - 100, 10)],
    [3000, () => engine.market(3000, 2, Side.BUY, 5)],
    [4000, () => engine.cancel(4000, 0, 1)],
    [5000, () => {
      engine.limit(5000, 1, Side.BUY, P, 0);
      rejectName = rejectReasonName[engine.lastReject as keyof typeof rejectReasonName];
    }],
    [6000, () => engine.cancel(6000, 1, 999)],
    [7000, () => engine.amend(7000, 1, 2, P - 50, 8)],
    [8000, () => engine.submit(8000, 2, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, false, P - 50, 10)],
  ];
  for (const [ts, step] of steps) {
    step();
    rec.onEvents(log, mark, log.size);
    mark = log.size;
    rec.onTop(ts, engine.top());
    const bids = engine.depth(Side.BUY, 5);
    const asks = engine.depth(Side.SELL, 5);
    rec.onDepth(ts, bids, asks);
    l2Rows += bids.length + asks.length;
  }
  return { rec, log, l2Rows, rejectName };
}

async function readTables(paths: readonly string[]): Promise<Table[]> {
  return Promise.all(paths.map(async (p) => tableFromIPC(await readFile(p))));
}

function column(t: Table, name: string): unknown[] {
  const c = t.getChild(name);
  assert.ok(c, `column ${name} exists`);
  return Array.from({ length: t.numRows }, (_, i) => c.get(i));
}

test("counts every trade, order event, top-of-book change and depth level", () => {
  const { rec, l2Rows } = run();
  // Tops: ask appears, bid appears, ask shrinks, ask gone, (reject, reject: unchanged),
  // bid re-priced, bid gone.
  assert.deepEqual(rec.counts(), { trades: 2, orders: 9, l1: 6, l2: l2Rows });
});

test("writes the four files with their columns, and the engine's trades in USDT and BTC", async () => {
  const { rec, log, rejectName } = run();
  const dir = tempDir("recorder-");
  const paths = await rec.write(join(dir, "out"));
  assert.deepEqual(paths, ["trades", "orders", "l1", "l2"].map((n) => join(dir, "out", `${n}.arrow`)));
  const [trades, orders, l1, l2] = await readTables(paths);

  assert.deepEqual(trades.schema.fields.map((f) => f.name), [
    "ts_ns", "time", "trade_id", "price", "price_ticks", "size", "size_lots", "maker_order_id",
    "taker_order_id", "maker_account", "taker_account", "maker_fee", "maker_fee_units", "taker_fee",
    "taker_fee_units", "aggressor",
  ]);
  assert.equal(trades.schema.metadata.get("btc_arena.symbol"), "BTC/USDT");
  assert.equal(trades.schema.fields.find((f) => f.name === "price")?.metadata.get("unit"), "USDT");
  const inst = rec.instrument;
  const engineTrades: TradeEvent[] = [];
  for (let i = 0; i < log.size; i++) {
    const e = log.get(i);
    if (e.type === "trade") engineTrades.push(e);
  }
  assert.equal(trades.numRows, engineTrades.length);
  engineTrades.forEach((e, i) => {
    const row = trades.get(i)!;
    assert.equal(row.price, ticksToPrice(inst, e.price));
    assert.equal(row.size, lotsToAmount(inst, e.size));
    assert.equal(row.price_ticks, BigInt(e.price));
    assert.equal(row.size_lots, BigInt(e.size));
    assert.equal(row.maker_fee, e.makerFee / 1e6);
    assert.equal(row.taker_fee_units, BigInt(e.takerFee));
    assert.equal(row.maker_order_id, BigInt(e.makerOrderId));
    assert.equal(row.aggressor, e.aggressor === Side.BUY ? "buy" : "sell");
  });
  // The market buy lifted the 60,001.00 ask for 5 lots: 0.0005 BTC, fee 0.03 USDT each side.
  assert.equal(trades.get(0)!.price, 60_001);
  assert.equal(trades.get(0)!.size, 0.0005);
  assert.equal(trades.get(0)!.maker_fee, 0.03);
  assert.equal(trades.get(0)!.ts_ns, 3000n);
  // time = epoch + ts, exactly, in UTC nanoseconds.
  assert.equal(trades.getChild("time")!.data[0].values[0], BigInt(EPOCH_MS) * 1_000_000n + 3000n);
  assert.equal((trades.schema.fields[1].type as { timezone?: string }).timezone, "UTC");

  assert.deepEqual(column(orders, "event"), [
    "accepted", "accepted", "accepted", "canceled", "rejected", "rejected", "amended", "accepted", "expired",
  ]);
  assert.deepEqual(column(orders, "order_id"), [1n, 2n, 3n, 1n, null, 999n, 2n, 4n, 4n]);
  assert.deepEqual(column(orders, "side"), ["sell", "buy", "buy", "sell", null, null, "buy", "sell", "sell"]);
  assert.deepEqual(column(orders, "order_type"), ["limit", "limit", "market", "limit", null, null, "limit", "limit", "limit"]);
  assert.deepEqual(column(orders, "tif"), ["gtc", "gtc", "ioc", "gtc", null, null, "gtc", "ioc", "ioc"]);
  // Canceled: the 15 lots left at the order's limit; market orders have no price.
  assert.deepEqual(column(orders, "price"), [60_001, 59_999, null, 60_001, null, null, 59_999.5, 59_999.5, 59_999.5]);
  assert.deepEqual(column(orders, "size"), [0.002, 0.001, 0.0005, 0.0015, null, null, 0.0008, 0.001, 0.0002]);
  assert.deepEqual(column(orders, "reason"), [null, null, null, "user", rejectName, "unknown_order", null, null, "ioc_remainder"]);
  assert.deepEqual(column(orders, "request"), [null, null, null, null, "submit", "cancel", null, null, null]);
  assert.deepEqual(column(orders, "priority_kept"), [null, null, null, null, null, null, false, null, null]);
  assert.equal(column(orders, "post_only")[0], false);

  assert.deepEqual(l1.schema.fields.map((f) => f.name), [
    "ts_ns", "time", "bid_price", "bid_price_ticks", "bid_size", "bid_size_lots",
    "ask_price", "ask_price_ticks", "ask_size", "ask_size_lots",
  ]);
  assert.deepEqual(column(l1, "ts_ns"), [1000n, 2000n, 3000n, 4000n, 7000n, 8000n]);
  assert.deepEqual(column(l1, "bid_price"), [null, 59_999, 59_999, 59_999, 59_999.5, null]);
  assert.deepEqual(column(l1, "ask_size"), [0.002, 0.002, 0.0015, null, null, null]);

  assert.deepEqual(l2.schema.fields.map((f) => f.name), [
    "ts_ns", "time", "snapshot", "side", "level", "price", "price_ticks", "size", "size_lots", "orders",
  ]);
  // Snapshot 1 (t=2000): one bid, one ask, best first.
  const snap1 = l2.toArray().filter((r) => r.snapshot === 1);
  assert.deepEqual(snap1.map((r) => [r.side, r.level, r.price, r.size, r.orders]), [
    ["bid", 0, 59_999, 0.001, 1],
    ["ask", 0, 60_001, 0.002, 1],
  ]);
});

test("the same run writes byte-identical files, again and from a second recorder", async () => {
  const dir = tempDir("recorder-det-");
  const a = run().rec;
  const first = await a.write(join(dir, "a1"));
  const again = await a.write(join(dir, "a2"));
  const other = await run().rec.write(join(dir, "b"));
  for (let i = 0; i < first.length; i++) {
    const bytes = await readFile(first[i]);
    assert.ok(bytes.equals(await readFile(again[i])), `${first[i]} rewritten`);
    assert.ok(bytes.equals(await readFile(other[i])), `${first[i]} from a second recorder`);
  }
});

test("an empty recorder writes valid files that carry the schema", async () => {
  const rec = new Recorder(makeInstrument());
  const dir = tempDir("recorder-empty-");
  const tables = await readTables(await rec.write(dir));
  assert.deepEqual(tables.map((t) => t.numRows), [0, 0, 0, 0]);
  assert.deepEqual(tables[1].schema.fields.map((f) => f.name), [
    "ts_ns", "time", "event", "order_id", "account", "client_order_id", "side", "order_type", "tif",
    "post_only", "price", "price_ticks", "size", "size_lots", "request", "reason", "priority_kept",
  ]);
  assert.equal(tables[3].schema.fields.find((f) => f.name === "side")?.type.toString(), "Dictionary<Int8, Utf8>");
});

test("time going backwards or a fractional ns is refused", () => {
  const rec = new Recorder(makeInstrument());
  const top = { bidPrice: P, bidSize: 1, askPrice: 0, askSize: 0 };
  rec.onTop(10, top);
  assert.throws(() => rec.onTop(9, top), /goes back/);
  assert.throws(() => rec.onDepth(1.5, [], []), /non-negative integer/);
  assert.throws(() => new Recorder(makeInstrument(), { epochMs: 0.5 }), /epochMs/);
});
