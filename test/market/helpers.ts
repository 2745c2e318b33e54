// Shared fixtures for the engine tests: a small funded world, event reading and state snapshots.
import assert from "node:assert/strict";
import { MatchingEngine, type RestingOrder } from "../../market/engine.ts";
import { EventLog } from "../../market/event-log.ts";
import { DEFAULT_INSTRUMENT, makeInstrument, type Instrument, type InstrumentSpec } from "../../market/instrument.ts";
import { Asset, Ledger } from "../../market/ledger.ts";
import { Side, type EngineEvent, type SelfTradePrevention } from "../../market/types.ts";

/** 60,000.00 USDT in ticks of the default instrument (0.01 USDT). */
export const P = 6_000_000;
/** One lot of the default instrument (0.0001 BTC) in satoshis. */
export const SATS_PER_LOT = 10_000;
/** Default funding per account: 1,000,000 USDT and 100 BTC, in smallest units. */
export const QUOTE_FUNDS = 1_000_000 * 1_000_000;
export const BASE_FUNDS = 100 * 100_000_000;

export const BUY = Side.BUY;
export const SELL = Side.SELL;

export interface World {
  readonly inst: Instrument;
  readonly ledger: Ledger;
  readonly log: EventLog;
  readonly engine: MatchingEngine;
}

export interface WorldOptions {
  /** Accounts to open (ids 0..accounts-1). Default 4. */
  readonly accounts?: number;
  /** Quote units deposited into each account; 0 for none. */
  readonly quote?: number;
  /** Base units deposited into each account; 0 for none. */
  readonly base?: number;
  readonly stp?: SelfTradePrevention;
  readonly spec?: InstrumentSpec;
  readonly initialOrders?: number;
}

/** A fresh instrument, ledger, event log and engine with `accounts` funded accounts. */
export function makeWorld(opts: WorldOptions = {}): World {
  const inst = makeInstrument(opts.spec ?? DEFAULT_INSTRUMENT);
  const ledger = new Ledger(2);
  const n = opts.accounts ?? 4;
  const quote = opts.quote ?? QUOTE_FUNDS;
  const base = opts.base ?? BASE_FUNDS;
  for (let i = 0; i < n; i++) {
    const a = ledger.open();
    if (quote > 0) ledger.deposit(a, Asset.QUOTE, quote);
    if (base > 0) ledger.deposit(a, Asset.BASE, base);
  }
  const log = new EventLog(16);
  const engine = new MatchingEngine(inst, ledger, log, {
    ...(opts.stp === undefined ? {} : { stp: opts.stp }),
    ...(opts.initialOrders === undefined ? {} : { initialOrders: opts.initialOrders }),
  });
  return { inst, ledger, log, engine };
}

/** Events written since index `from`, as objects. */
export function eventsSince(log: EventLog, from: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let i = from; i < log.size; i++) out.push(log.get(i));
  return out;
}

/** Events of one type since `from`, narrowed. */
export function eventsOf<K extends EngineEvent["type"]>(
  log: EventLog, from: number, type: K,
): Extract<EngineEvent, { type: K }>[] {
  return eventsSince(log, from).filter((e): e is Extract<EngineEvent, { type: K }> => e.type === type);
}

export interface Balance {
  readonly freeQuote: number;
  readonly lockedQuote: number;
  readonly freeBase: number;
  readonly lockedBase: number;
}

/** Everything a refused request must leave untouched. */
export interface Snapshot {
  readonly bids: RestingOrder[];
  readonly asks: RestingOrder[];
  readonly balances: Balance[];
  readonly fees: number[];
  readonly reserved: number[];
}

export function balanceOf(w: World, account: number): Balance {
  return {
    freeQuote: w.ledger.freeOf(account, Asset.QUOTE),
    lockedQuote: w.ledger.lockedOf(account, Asset.QUOTE),
    freeBase: w.ledger.freeOf(account, Asset.BASE),
    lockedBase: w.ledger.lockedOf(account, Asset.BASE),
  };
}

/** Book (L3, both sides), every account's balances, the fee pot and each order's reservation. */
export function snapshot(w: World): Snapshot {
  const bids = w.engine.l3(Side.BUY);
  const asks = w.engine.l3(Side.SELL);
  const balances: Balance[] = [];
  for (let a = 0; a < w.ledger.accounts; a++) balances.push(balanceOf(w, a));
  const reserved = [...bids, ...asks].map((o) => w.engine.reservedFor(o.orderId));
  return { bids, asks, balances, fees: [w.ledger.fees[0], w.ledger.fees[1]], reserved };
}

/** Money is neither created nor destroyed, and no balance is negative. */
export function assertMoneyConserved(w: World): void {
  for (const asset of [Asset.BASE, Asset.QUOTE] as const) {
    assert.equal(w.ledger.total(asset), w.ledger.deposited[asset], `asset ${asset} not conserved`);
  }
  for (let a = 0; a < w.ledger.accounts; a++) {
    const b = balanceOf(w, a);
    for (const [k, v] of Object.entries(b)) assert.ok(v >= 0 && Number.isSafeInteger(v), `account ${a} ${k} = ${v}`);
  }
}

/** Resting orders reduced to (id, price, remaining), best first: compact book assertions. */
export function book(w: World, side: Side): [id: number, price: number, remaining: number][] {
  return w.engine.l3(side).map((o) => [o.orderId, o.price, o.remaining]);
}

/** Quote fee the default instrument charges on a notional, written out for hand checks. */
export function fee01(notional: number): number {
  return Math.floor(notional / 1000);
}
