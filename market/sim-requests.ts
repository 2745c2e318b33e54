// One client's requests to the simulated venue, and the one place their promises are made and settled.
import { deferred, rejectQuietly, resolveLazily, type Deferred, type Observed } from "./observed.ts";
import { RequestKind, type SimVenue, type VenueRequest } from "./sim-venue.ts";
import { OrderType, Side, TimeInForce } from "./types.ts";

declare const madeHere: unique symbol;

/**
 * A promise an `Exchange` method may return: only `SimRequests` makes one (`roundTrip`, `now`,
 * `next`), so a method cannot hand out a promise whose settling the kernel would not hear of.
 */
export type Reply<T> = Observed<T> & { readonly [madeHere]: true };

/** Describes a request for error messages; a function when building the text costs something. */
export type What = string | (() => string);

/** A round trip waiting for the venue's answer. */
export interface Pending {
  readonly kind: RequestKind;
  readonly d: Deferred<unknown>;
  /** What was asked, for error messages: built only when one is needed. */
  readonly what: What;
  /** The order a cancel/amend is about. */
  readonly orderId: number;
  /** For a round trip answered from the client's state: computes the answer on arrival. */
  readonly after: (() => unknown) | undefined;
}

/** Callers waiting for a stream's next item, each with a number of its own (a book depth). */
export class Waiters<T> {
  ds: Deferred<T>[] = [];
  args: number[] = [];
  get size(): number {
    return this.ds.length;
  }
}

/**
 * A client's line to the venue, and the rule every answer follows: code awaiting a promise
 * of this client resumes at the simulated time the answer arrives, before the kernel moves
 * on. The kernel lets awaiting code run only when told a promise settled (`SimNetwork.settled`);
 * every promise is made here and settled here, and every settling that someone awaits tells it.
 *
 * Round trips (`roundTrip`) settle when the venue's answer reaches the client: its order
 * latency there, its data latency back. Answers from what the client holds (`now`) and
 * refusals found before anything is sent settle at once. Stream waits (`next`) settle when
 * the message carrying the next item arrives.
 */
export class SimRequests {
  private nextReq = 1;
  private readonly pending = new Map<number, Pending>();
  /** The request being built: one object reused, since `venue.send` copies it at once. */
  private readonly scratch: VenueRequest = {
    kind: RequestKind.PING, reqId: 0, side: Side.BUY, orderType: OrderType.LIMIT, tif: TimeInForce.GTC, postOnly: false,
    // orderId starts as a double: ids read from the event rows are doubles to V8, and the
    // object changing representation on its first cancel would throw away code compiled for
    // this class when the next run builds its clients (see market/array-kinds.ts). Every
    // request built from it sets every field.
    price: 0, size: 0, orderId: 0.5, clientOrderId: 0, depth: 0,
  };

  constructor(private readonly venue: SimVenue, private readonly account: number) {}

  /**
   * Runs one `Exchange` call: `body` checks the arguments and returns how the call is answered
   * (`roundTrip`, `now` or `next`). A throw is a refusal found before anything is sent: the
   * promise rejects at once, as ccxt's does.
   */
  call<T>(body: () => Reply<T>): Promise<T> {
    try {
      return body();
    } catch (err) {
      return this.refused<T>(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Sends `req` and returns the promise of its answer, settled by `resolve`/`reject` when the
   * answer arrives (see `take`). `after`, when given, computes the answer at that time.
   */
  roundTrip<T>(req: VenueRequest, what: What, after?: () => T): Reply<T> {
    req.reqId = this.nextReq++;
    const d = deferred<T>();
    this.pending.set(req.reqId, { kind: req.kind, d: d as Deferred<unknown>, what, orderId: req.orderId, after });
    this.venue.send(this.account, req);
    return d.promise as Reply<T>;
  }

  /**
   * An answer from what the client already holds: settled now. Its handler, if the caller
   * attaches one right away, must run at this instant, so the kernel is told to yield.
   */
  now<T>(value: T): Reply<T> {
    const d = deferred<T>();
    d.resolve(value);
    this.venue.settled();
    return d.promise as Reply<T>;
  }

  /** A wait for a stream's next item, settled by `resolveAll(waiters, ...)` when it arrives. */
  next<T>(waiters: Waiters<T>, arg = 0): Reply<T> {
    const d = deferred<T>();
    waiters.ds.push(d);
    waiters.args.push(arg);
    return d.promise as Reply<T>;
  }

  /** Sends a request nobody awaits (a subscription, a population's order). */
  post(req: VenueRequest): void {
    this.venue.send(this.account, req);
  }

  /** The reusable request, reset to `kind` about `orderId`, every other field 0; valid until sent. */
  request(kind: RequestKind, orderId: number): VenueRequest {
    const r = this.scratch;
    r.kind = kind; r.reqId = 0; r.side = Side.BUY; r.orderType = OrderType.LIMIT; r.tif = TimeInForce.GTC;
    r.postOnly = false; r.price = 0; r.size = 0; r.orderId = orderId; r.clientOrderId = 0; r.depth = 0;
    return r;
  }

  /** A refusal found before anything was sent: rejected now, and the kernel told (see `now`). */
  private refused<T>(err: Error): Reply<T> {
    const d = deferred<T>();
    rejectQuietly(d, err);
    this.venue.settled();
    return d.promise as Reply<T>;
  }

  // ---------------------------------------------------------------- settling, on arrival

  /** The round trip `reqId` answered by the message arriving now, no longer pending. */
  take(reqId: number): Pending | undefined {
    const p = this.pending.get(reqId);
    if (p !== undefined) this.pending.delete(reqId);
    return p;
  }

  resolve<T>(d: Deferred<T>, value: T): void {
    if (d.promise.observed) this.venue.settled();
    d.resolve(value);
  }

  /** Resolves with `make()`: now when someone awaits, else when someone first does (see observed.ts). */
  resolveLazily<T>(d: Deferred<T>, make: () => T): void {
    if (d.promise.observed) this.venue.settled();
    resolveLazily(d, make);
  }

  reject(d: Deferred<unknown>, err: Error): void {
    if (d.promise.observed) this.venue.settled();
    rejectQuietly(d, err);
  }

  /** Settles every waiter with `value(its arg)`, emptying the list. */
  resolveAll<T>(waiters: Waiters<T>, value: (arg: number) => T): void {
    const ds = waiters.ds;
    const args = waiters.args;
    waiters.ds = [];
    waiters.args = [];
    for (let i = 0; i < ds.length; i++) this.resolve(ds[i], value(args[i]));
  }
}
