// The simulated venue: one engine, requests arriving over a latency network, events routed back.
import { objectArray } from "./array-kinds.ts";
import { MatchingEngine, type EngineOptions, type Level, type MutableTop, type TopOfBook } from "./engine.ts";
import { EVENT_STRIDE, EventLog, OrderCol, TradeCol } from "./event-log.ts";
import { TopTape } from "./top-tape.ts";
import type { Instrument } from "./instrument.ts";
import { Ledger } from "./ledger.ts";
import { EventKind, type OrderType, type Side, type TimeInForce } from "./types.ts";
import type { OHLCV } from "./exchange.ts";

/** Something the network hands over at a point of simulated time. */
export interface Deliverable {
  deliver(now: number): void;
}

/**
 * What the kernel provides to the venue: the clock, and delivery in each direction after
 * the agent's latency, first-in first-out per agent. Implemented in sim/; market/ only
 * names it, so dependencies keep pointing downward.
 */
export interface SimNetwork {
  readonly now: number;
  toVenue(agent: number, msg: Deliverable): void;
  toAgent(agent: number, msg: Deliverable): void;
  /** Tells the kernel a promise was settled, so it lets awaiting code run before going on. */
  settled(): void;
}

/** Sees every request's events at venue time: the recorder and the digest hang here. */
export interface VenueObserver {
  /** Events log.get(from..to-1) were produced by one request at venue time `ts`. */
  onEvents(log: EventLog, from: number, to: number, ts: number): void;
  /** The top of book changed at venue time `ts`. */
  onTop(ts: number, top: TopOfBook): void;
}

/** What an agent's endpoint receives from the venue in one message. */
export interface AgentInbox {
  /** Reads the rows that concern it: its own account's events and, when subscribed, every
   * trade; `book` when it watches the book and the book changed. */
  receive(batch: VenueBatch, now: number): void;
}

/** One venue → agent message. */
export interface VenueBatch {
  readonly venueTs: number;
  /** Set on the answer to this agent's own request. */
  readonly reqId: number;
  /** For a submit: the new order id, or 0 when rejected. For a query: its answer. */
  readonly result: unknown;
  /** Every event the request caused, as event-log rows: `rows[rowsFrom..rowsTo)` (floats,
   * read-only, shared by all recipients and with other batches). */
  readonly rows: Float64Array;
  readonly rowsFrom: number;
  readonly rowsTo: number;
  readonly book: BookSnapshot | undefined;
}

export interface BookSnapshot {
  readonly venueTs: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

/** A request kind travelling from an agent to the venue. */
export const RequestKind = {
  SUBMIT: 0, CANCEL: 1, AMEND: 2, BOOK: 3, BALANCE: 4, PING: 5, SUBSCRIBE_BOOK: 6,
  SUBSCRIBE_TRADES: 7,
} as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];

/** Fields of a request; unused ones are 0. Prices in ticks, sizes in lots. */
export interface VenueRequest {
  kind: RequestKind;
  reqId: number;
  side: Side;
  orderType: OrderType;
  tif: TimeInForce;
  postOnly: boolean;
  price: number;
  size: number;
  orderId: number;
  clientOrderId: number;
  /** Book depth for BOOK / SUBSCRIBE_BOOK. */
  depth: number;
}

interface Endpoint {
  readonly agent: number;
  readonly account: number;
  readonly inbox: AgentInbox;
  watchesBook: number;
  watchesTrades: boolean;
}

/**
 * The event log's rows between two flushes, and how many messages in flight still point into
 * them: the array is written again only once none does.
 */
interface Generation {
  rows: Float64Array;
  inflight: number;
}

/**
 * A request in flight and the message that carries it, in one object that is reused once the
 * venue has processed it: a run sends hundreds of thousands, and short-lived objects that
 * outlive a young-generation collection (they wait out the agent's latency) cost GC time.
 */
class Arrival implements Deliverable, VenueRequest {
  ep: Endpoint | undefined = undefined;
  kind: RequestKind = RequestKind.PING;
  reqId = 0;
  side: Side = 0;
  orderType: OrderType = 0;
  tif: TimeInForce = 0;
  postOnly = false;
  price = 0;
  size = 0;
  orderId = 0;
  clientOrderId = 0;
  depth = 0;
  constructor(private readonly venue: SimVenue) {}
  deliver(now: number): void {
    const ep = this.ep!;
    this.ep = undefined;
    this.venue.process(ep, this, now);
    this.venue.arrivals.push(this);
  }
}

/** One venue → agent message, reused once delivered (nothing keeps a batch past `receive`). */
class Departure implements Deliverable, VenueBatch {
  inbox: AgentInbox | undefined = undefined;
  venueTs = 0;
  reqId = 0;
  result: unknown = 0;
  rows: Float64Array = EMPTY_ROWS;
  rowsFrom = 0;
  rowsTo = 0;
  book: BookSnapshot | undefined = undefined;
  gen: Generation | undefined = undefined;
  constructor(private readonly venue: SimVenue) {}
  deliver(now: number): void {
    const inbox = this.inbox!;
    inbox.receive(this, now);
    this.gen!.inflight--;
    this.gen = undefined;
    this.inbox = undefined;
    this.result = 0;
    this.rows = EMPTY_ROWS;
    this.book = undefined;
    this.venue.departures.push(this);
  }
}

const EMPTY_ROWS = new Float64Array(0);

/**
 * The venue of a simulated run. Owns the engine, the ledger and the event log; agents
 * reach it only through `SimExchange` endpoints, and everything they send or receive goes
 * through the network with their latency. Events are processed at venue time and
 * dispatched in a fixed order (by account of first appearance in the batch), so routing
 * never depends on hash-map iteration.
 */
/** Where a venue's candles come from (the kernel's 1-minute bar builder): closed by `untilNs`. */
export interface CandleSource {
  candles(untilNs: number, sinceMs: number | undefined, limit: number): OHLCV[];
}

export class SimVenue {
  /** 1-minute candles for fetchOHLCV; set by whoever runs the venue (the kernel). */
  candles: CandleSource | undefined = undefined;
  readonly instrument: Instrument;
  readonly ledger: Ledger;
  readonly log: EventLog;
  readonly engine: MatchingEngine;
  /** UTC ms of simulated time 0, for ccxt-style timestamps. */
  readonly epochMs: number;
  private readonly network: SimNetwork;
  private readonly byAccount: Endpoint[] = [];
  private readonly endpoints: Endpoint[] = [];
  private readonly observers: VenueObserver[] = [];
  private flushHook: ((log: EventLog) => void) | undefined;
  /** Endpoints subscribed to trades / to the book, in subscription order. */
  private readonly tradeSubs: Endpoint[] = [];
  private readonly bookSubs: Endpoint[] = [];
  private maxBookDepth = 0;
  /** Per account, the last route() that listed it; avoids a Set per request. */
  private readonly seenMark: number[] = [];
  private routeMark = 0;
  /** This request's recipients besides the requester: `recipients[0..recipientsN)`. A count,
   * since emptying an array by setting its length is a runtime call. */
  private readonly recipients = objectArray<Endpoint>();
  private recipientsN = 0;
  /** The log's rows since the last flush, and the ones before (see flush). */
  private rowsNow: Generation;
  private rowsBefore: Generation | undefined = undefined;
  /** Every top-of-book change, for clients that read the top as of their delayed clock. */
  readonly topTape = new TopTape();
  /** The top after the last request and the one being read now, swapped on change (no allocation). */
  private lastTop: MutableTop = { bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0 };
  private curTop: MutableTop = { bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0 };
  /** Free messages for reuse (see Arrival, Departure). */
  readonly arrivals = objectArray<Arrival>();
  readonly departures = objectArray<Departure>();
  /** Requests processed. */
  requests = 0;
  /** Messages delivered to agents. */
  deliveries = 0;

  constructor(instrument: Instrument, network: SimNetwork, options: EngineOptions & { epochMs?: number } = {}) {
    this.instrument = instrument;
    this.network = network;
    this.ledger = new Ledger();
    this.log = new EventLog();
    this.engine = new MatchingEngine(instrument, this.ledger, this.log, options);
    this.rowsNow = { rows: this.log.buffer, inflight: 0 };
    this.epochMs = options.epochMs ?? 0;
  }

  get now(): number {
    return this.network.now;
  }

  /** Opens an account for agent `agent` whose messages arrive at `inbox`. Returns the account. */
  connect(agent: number, inbox: AgentInbox): number {
    const account = this.ledger.open();
    const ep: Endpoint = { agent, account, inbox, watchesBook: 0, watchesTrades: false };
    this.byAccount[account] = ep;
    this.seenMark[account] = 0;
    this.endpoints.push(ep);
    return account;
  }

  addObserver(o: VenueObserver): void {
    this.observers.push(o);
  }

  /** Called with the log before it is cleared; the log is cleared after every call. */
  onFlush(hook: (log: EventLog) => void): void {
    this.flushHook = hook;
  }

  /** Hands the stored events to the flush hook and clears the log. Call at the end of a run. */
  flush(): void {
    if (this.log.size === 0) return;
    this.flushHook?.(this.log);
    // Messages in flight read their rows in the log's own array, so the log moves on to
    // another one: the array of the generation before, once no message points into it (a
    // flush comes about every 30k events, long after the latency of any message), else a
    // new one. Two arrays serve a whole run, with no copy per message.
    const done = this.rowsNow;
    done.rows = this.log.buffer;
    const before = this.rowsBefore;
    let next: Generation;
    if (before !== undefined && before.inflight === 0 && before.rows.length >= done.rows.length) {
      next = before;
    } else {
      next = { rows: new Float64Array(done.rows.length), inflight: 0 };
    }
    this.log.clearInto(next.rows);
    this.rowsBefore = done;
    this.rowsNow = next;
  }

  /** Sends a request from `account`'s agent; it reaches the venue after the agent's latency. */
  send(account: number, req: VenueRequest): void {
    const ep = this.byAccount[account];
    // The fields are copied, so the caller may reuse `req` at once.
    const a = this.arrivals.pop() ?? new Arrival(this);
    a.ep = ep;
    a.kind = req.kind;
    a.reqId = req.reqId;
    a.side = req.side;
    a.orderType = req.orderType;
    a.tif = req.tif;
    a.postOnly = req.postOnly;
    a.price = req.price;
    a.size = req.size;
    a.orderId = req.orderId;
    a.clientOrderId = req.clientOrderId;
    a.depth = req.depth;
    this.network.toVenue(ep.agent, a);
  }

  /** Tells the kernel a promise was settled. */
  settled(): void {
    this.network.settled();
  }

  /** Executes one request at venue time `now` and routes what it caused. */
  process(ep: Endpoint, req: VenueRequest, now: number): void {
    this.requests++;
    const e = this.engine;
    const from = this.log.size;
    let result: unknown = 0;
    switch (req.kind) {
      case RequestKind.SUBMIT:
        result = e.submit(now, ep.account, req.side, req.orderType, req.tif, req.postOnly, req.price, req.size, req.clientOrderId);
        break;
      case RequestKind.CANCEL:
        result = e.cancel(now, ep.account, req.orderId);
        break;
      case RequestKind.AMEND:
        result = e.amend(now, ep.account, req.orderId, req.price, req.size);
        break;
      case RequestKind.BOOK:
        result = this.snapshot(req.depth, now);
        break;
      case RequestKind.BALANCE:
        result = this.balanceOf(ep.account);
        break;
      case RequestKind.SUBSCRIBE_BOOK:
        if (ep.watchesBook === 0) this.bookSubs.push(ep);
        ep.watchesBook = Math.max(ep.watchesBook, req.depth);
        this.maxBookDepth = Math.max(this.maxBookDepth, ep.watchesBook);
        break;
      case RequestKind.SUBSCRIBE_TRADES:
        if (!ep.watchesTrades) this.tradeSubs.push(ep);
        ep.watchesTrades = true;
        break;
      case RequestKind.PING:
        break;
    }
    const to = this.log.size;
    if (to > from) for (const o of this.observers) o.onEvents(this.log, from, to, now);
    const top = this.curTop;
    e.readTop(top);
    const lt = this.lastTop;
    if (top.bidPrice !== lt.bidPrice || top.bidSize !== lt.bidSize || top.askPrice !== lt.askPrice || top.askSize !== lt.askSize) {
      // Observers read the top during the call and keep nothing of it.
      this.curTop = lt;
      this.lastTop = top;
      this.topTape.push(now, top);
      for (const o of this.observers) o.onTop(now, top);
    }
    this.route(ep, req, result, from, to, now);
    if (this.log.size > 32_768) this.flush();
  }

  /**
   * Sends what a request caused to whoever it concerns, in a fixed order: the requester
   * (always answered, with its result), then accounts in order of first appearance in the
   * events, then subscribers in subscription order. Every recipient reads the rows where the
   * log wrote them (see flush) and only what concerns it, so nothing is copied or built per
   * recipient.
   */
  private route(requester: Endpoint, req: VenueRequest, result: unknown, from: number, to: number, now: number): void {
    const log = this.log;
    const mark = ++this.routeMark;
    const seen = this.seenMark;
    seen[requester.account] = mark;
    this.recipientsN = 0;
    let bookChanged = false;
    let hasTrades = false;
    for (let i = from; i < to; i++) {
      const k = log.kind(i);
      if (k !== EventKind.REJECTED) bookChanged = true;
      if (k === EventKind.TRADE) {
        hasTrades = true;
        this.note(log.field(i, TradeCol.MAKER_ACCOUNT), mark);
        this.note(log.field(i, TradeCol.TAKER_ACCOUNT), mark);
      } else {
        this.note(log.field(i, OrderCol.ACCOUNT), mark);
      }
    }
    if (hasTrades) for (const ep of this.tradeSubs) this.note(ep.account, mark);
    if (bookChanged) for (const ep of this.bookSubs) this.note(ep.account, mark);
    const rows = log.buffer;
    const rowsFrom = from * EVENT_STRIDE;
    const rowsTo = to * EVENT_STRIDE;
    const book = bookChanged && this.maxBookDepth > 0 ? this.snapshot(this.maxBookDepth, now) : undefined;
    this.depart(requester, now, req.reqId, result, rows, rowsFrom, rowsTo, book);
    const others = this.recipients;
    for (let i = 0, n = this.recipientsN; i < n; i++) this.depart(others[i], now, 0, 0, rows, rowsFrom, rowsTo, book);
  }

  private depart(
    ep: Endpoint, now: number, reqId: number, result: unknown, rows: Float64Array, rowsFrom: number, rowsTo: number,
    book: BookSnapshot | undefined,
  ): void {
    this.deliveries++;
    const d = this.departures.pop() ?? new Departure(this);
    d.inbox = ep.inbox;
    d.venueTs = now;
    d.reqId = reqId;
    d.result = result;
    d.rows = rows;
    d.rowsFrom = rowsFrom;
    d.rowsTo = rowsTo;
    d.book = book;
    const gen = this.rowsNow;
    gen.inflight++;
    d.gen = gen;
    this.network.toAgent(ep.agent, d);
  }

  /** Adds an account's endpoint to this request's recipients, once. */
  private note(account: number, mark: number): void {
    if (this.seenMark[account] === mark) return;
    this.seenMark[account] = mark;
    this.recipients[this.recipientsN++] = this.byAccount[account];
  }

  private snapshot(depth: number, now: number): BookSnapshot {
    const e = this.engine;
    return { venueTs: now, bids: e.depth(0, depth), asks: e.depth(1, depth) };
  }

  private balanceOf(account: number): readonly [number, number, number, number] {
    const L = this.ledger;
    return [L.freeOf(account, 0), L.lockedOf(account, 0), L.freeOf(account, 1), L.lockedOf(account, 1)];
  }
}
