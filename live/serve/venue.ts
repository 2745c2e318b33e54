// A simulated scenario run against the wall clock: the kernel is stepped to (wall time × speed), and clients act through agent slots.
import type { Exchange } from "../../market/exchange.ts";
import type { Kernel, AgentContext, SimAgent } from "../../sim/kernel.ts";
import type { AccountSpec } from "./accounts.ts";
import { err } from "./errors.ts";
import { BookFeed } from "./book-feed.ts";
import { Tape } from "./tape.ts";

/** Simulated time a request's round trip is stepped by at a time, ns. */
const STEP_NS = 1_000_000;
/** A request not answered after this much simulated time is a bug, not a slow venue. */
const MAX_WAIT_NS = 60_000_000_000;
/** How often the simulation catches up with the wall clock between requests, ms. */
export const TICK_MS = 50;
/** The fault desk's holdings, coins: enough to take any book it is asked to thin. */
const DESK_BALANCES = { base: 1_000, quote: 100_000_000 } as const;

/** A served account: its agent slot's exchange and the client order ids it has used. */
export interface ServedAccount {
  readonly spec: AccountSpec;
  readonly agent: number;
  exchange: Exchange | undefined;
  /** Client order id → order id, for origClientOrderId lookups. */
  readonly clientIds: Map<string, string>;
  nextClientId: number;
  /** Client order ids of the orders the venue accepted, in order: a duplicate order shows as an id twice. */
  readonly accepted: string[];
}

/** An agent slot that does nothing by itself: its exchange is driven by HTTP requests. */
class ClientSlot implements SimAgent {
  constructor(private readonly account: ServedAccount) {}
  start(ctx: AgentContext): void {
    this.account.exchange = ctx.exchange;
  }
}

export interface VenueClock {
  /** Monotonic wall time, ms (performance.now). */
  monotonicMs(): number;
}

/**
 * Owns the kernel of a served run. Every use of the kernel goes through `run`, one at a time:
 * catching up with the wall clock, then the caller's action, stepped until its answer arrives.
 */
export class ServedVenue {
  readonly tape = new Tape();
  /** Update ids of the book, shared by REST /depth and the depth stream. */
  readonly book: BookFeed;
  readonly accounts = new Map<string, ServedAccount>();
  private tail: Promise<unknown> = Promise.resolve();
  private startMs = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private catchingUp = false;
  private closed = false;
  /** The first error of the simulation; once set, every request is answered with it. */
  failure: Error | undefined;
  /** The fault desk's exchange: a venue-side trader that takes liquidity ahead of an order to make it fill in parts (faults.ts). */
  readonly desk: { exchange: Exchange | undefined } = { exchange: undefined };

  constructor(readonly kernel: Kernel, accounts: readonly AccountSpec[], readonly speed: number, private readonly clock: VenueClock) {
    if (!(speed > 0 && speed <= 1e6)) throw new Error(`speed: ${speed} must be a number in (0, 1e6]`);
    kernel.observe(this.tape);
    this.book = new BookFeed(kernel);
    for (const spec of accounts) {
      const a: ServedAccount = { spec, agent: -1, exchange: undefined, clientIds: new Map(), nextClientId: 1, accepted: [] };
      (a as { agent: number }).agent = kernel.addAgent(`serve/${spec.name}`, new ClientSlot(a), { base: spec.base, quote: spec.quote });
      this.accounts.set(spec.key, a);
    }
    // Added last, so the served accounts keep their agent numbers; it acts only when a partial-fill fault fires.
    kernel.addAgent("serve/fault-desk", { start: (ctx: AgentContext) => void (this.desk.exchange = ctx.exchange) }, DESK_BALANCES);
  }

  /** Starts the agents at simulated time 0 and the catch-up timer; wall time 0 is now. */
  async start(): Promise<void> {
    this.startMs = this.clock.monotonicMs();
    await this.run(() => undefined);
    this.timer = setInterval(() => {
      if (this.catchingUp || this.closed) return;
      this.catchingUp = true;
      this.run(() => undefined).catch(() => undefined).finally(() => (this.catchingUp = false));
    }, TICK_MS);
    this.timer.unref();
  }

  /** Simulated time the wall clock stands for now, ns. */
  targetNs(): number {
    return Math.floor((this.clock.monotonicMs() - this.startMs) * this.speed * 1e6);
  }

  /** The venue's clock as Unix ms (simulated time from the scenario's epoch). */
  venueMs(): number {
    return this.kernel.epochMs + Math.floor(this.kernel.now / 1e6);
  }

  /**
   * Runs `act` after the simulation has caught up with the wall clock, alone; when it returns
   * a promise of the venue, steps simulated time until that settles.
   * @throws the simulation's failure, or what `act`'s promise rejects with.
   */
  run<T>(act: () => T | Promise<T>): Promise<T> {
    const r = this.tail.then(async () => {
      if (this.failure !== undefined) throw err.unknown(`the simulation stopped: ${this.failure.message}`);
      const target = this.targetNs();
      if (target > this.kernel.now) await this.step(target);
      const out = act();
      return out instanceof Promise ? await this.settle(out) : out;
    });
    this.tail = r.catch(() => undefined);
    return r;
  }

  /** Steps the kernel until `p` settles (its answer arrives after the account's latency). */
  private async settle<T>(p: Promise<T>): Promise<T> {
    let done = false;
    p.then(() => (done = true), () => (done = true));
    const until = this.kernel.now + MAX_WAIT_NS;
    while (!done) {
      if (this.kernel.now >= until) throw new Error(`no answer after ${MAX_WAIT_NS / 1e9} s of simulated time`);
      await this.step(this.kernel.now + STEP_NS);
      await Promise.resolve();
    }
    return p;
  }

  /** Advances the kernel; an agent's error stops the simulation for good. */
  private async step(tNs: number): Promise<void> {
    try {
      await this.kernel.runUntil(tNs);
    } catch (e) {
      this.failure ??= e instanceof Error ? e : new Error(String(e));
      throw err.unknown(`the simulation stopped: ${this.failure.message}`);
    }
  }

  /** Stops the timer and waits for the request in progress; the kernel is left as it stands. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.tail;
  }
}
