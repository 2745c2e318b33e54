// The discrete-event kernel: simulated clock, event queue, per-agent latency, agents, one venue.
import { BarBuilder } from "./bars.ts";
import type { EngineOptions, Level } from "../market/engine.ts";
import { makeInstrument, type InstrumentSpec } from "../market/instrument.ts";
import { Asset } from "../market/ledger.ts";
import type { Exchange } from "../market/exchange.ts";
import type { PopulationPort } from "../market/sim-population-port.ts";
import { SimExchange, type HistoryLimits } from "../market/sim-exchange.ts";
import { SimVenue, type Deliverable, type SimNetwork, type VenueObserver } from "../market/sim-venue.ts";
import { isSafeTime, MAX_TIME_NS, SimClock } from "./clock.ts";
import { RunDigest, type EventCounts } from "./digest.ts";
import { LatencyModel, parseLatencySpec, type LatencySpec } from "./latency.ts";
import { EventQueue } from "./queue.ts";
import { Rng } from "./rng.ts";

/** Queue priorities at equal time: the venue acts first, then agents hear, then wake up. */
export const Priority = { VENUE: 0, DELIVERY: 1, WAKE: 2, SAMPLE: 3 } as const;

/**
 * What an agent is handed: its exchange, its own random stream and the scheduler. The exchange
 * is the port a bot trades through and the fast path a population uses (market/sim-population-port.ts).
 */
export interface AgentContext {
  readonly id: number;
  readonly name: string;
  readonly exchange: Exchange & PopulationPort;
  readonly rng: Rng;
  readonly symbol: string;
  /** Simulated time in ns since the start of the run. */
  readonly now: number;
  /** Asks for a `wake` call at absolute time `t` (ns); `t` must not be in the past. */
  wakeAt(t: number): void;
  /** Asks for a `wake` call `dt` ns from now. */
  wakeIn(dt: number): void;
}

/**
 * An agent: started once at time 0, woken when it asked to be, stopped when the run ends
 * (`finish`). Any method may be async (awaiting its exchange); the kernel lets awaiting code
 * finish at the simulated time its answer arrives, before any later event.
 */
export interface SimAgent {
  start(ctx: AgentContext): void | Promise<void>;
  wake?(ctx: AgentContext): void | Promise<void>;
  stop?(ctx: AgentContext): void | Promise<void>;
}

export interface AgentOptions {
  /** Defaults to the kernel's `defaultLatency`. */
  readonly latency?: LatencySpec;
  /** Initial holdings in coins (e.g. 1.5 BTC, 50000 USDT). */
  readonly base?: number;
  readonly quote?: number;
  /** Closed orders and own fills its client keeps for fetchOrder / fetchMyTrades (default 10,000 each). */
  readonly history?: HistoryLimits;
}

export interface KernelOptions {
  readonly seed: number | string;
  readonly instrument?: InstrumentSpec;
  /** UTC ms that simulated time 0 stands for (for ccxt-style timestamps). Default 0. */
  readonly epochMs?: number;
  readonly stp?: EngineOptions["stp"];
  /** Latency of agents that do not give their own. Default 1 ms each way, 0.5 ms jitter. */
  readonly defaultLatency?: LatencySpec;
}

/** What a run reports about itself. Everything here is a function of the inputs. */
export interface RunStats {
  readonly seed: number | string;
  readonly durationNs: number;
  /** Messages the kernel dispatched: requests at the venue, deliveries, wake-ups, samples. */
  readonly messages: number;
  readonly requests: number;
  readonly deliveries: number;
  readonly wakes: number;
  /** Times the kernel yielded so awaiting agent code could run (0 for callback-only worlds). */
  readonly drains: number;
  readonly events: EventCounts & { readonly total: number };
  /** sha256 of the venue's event log. */
  readonly digest: string;
}

interface Slot {
  readonly agent: SimAgent;
  readonly ctx: Ctx;
  readonly latency: LatencyModel;
  readonly wake: Wake;
  /** Last arrival time each way: channels are FIFO, like a TCP connection. */
  lastIn: number;
  lastOut: number;
}

class Wake implements Deliverable {
  constructor(private readonly kernel: Kernel, private readonly id: number) {}
  deliver(): void {
    this.kernel.wakeAgent(this.id);
  }
}

class Every implements Deliverable {
  constructor(
    private readonly kernel: Kernel, private readonly interval: number,
    private readonly fn: (now: number) => void,
  ) {}
  deliver(now: number): void {
    this.fn(now);
    this.kernel.at(now + this.interval, Priority.SAMPLE, this);
  }
}

class Ctx implements AgentContext {
  constructor(
    private readonly kernel: Kernel, readonly id: number, readonly name: string,
    readonly exchange: Exchange & PopulationPort, readonly rng: Rng, readonly symbol: string,
  ) {}
  get now(): number {
    return this.kernel.now;
  }
  wakeAt(t: number): void {
    this.kernel.scheduleWake(this.id, t);
  }
  wakeIn(dt: number): void {
    this.kernel.scheduleWake(this.id, this.kernel.now + dt);
  }
}

/**
 * One simulated run: a pure function of (agents and their parameters, seed, code). Events
 * at equal time are ordered by (priority, sequence of scheduling), never by anything a
 * worker or a hash map decides. Agents draw from `rng.fork("agents/NAME")`, so adding an
 * agent does not change another's stream.
 */
export class Kernel implements SimNetwork {
  readonly venue: SimVenue;
  readonly rng: Rng;
  private readonly clock = new SimClock();
  // Two heaps under the one order (time, priority, sequence). Messages in flight (priorities
  // VENUE and DELIVERY) are few at any moment, while every agent keeps a wake-up pending, so
  // in a single heap each message's push and pop would sift through all those wake-ups.
  // The lanes' priorities do not overlap (every message priority is below every timer's), so
  // at equal time the in-flight lane goes first, and within a lane its own push order is the
  // kernel's: the merged order is exactly the single heap's.
  private readonly inFlight = new EventQueue<Deliverable>();
  private readonly timers = new EventQueue<Deliverable>();
  private readonly slots: Slot[] = [];
  private readonly names = new Set<string>();
  private readonly defaultLatency: LatencySpec;
  private readonly digest = new RunDigest();
  private needsDrain = false;
  private failure: unknown = undefined;
  private started = false;
  private finished = false;
  private messages = 0;
  private wakes = 0;
  private drains = 0;

  constructor(options: KernelOptions) {
    this.rng = Rng.root(options.seed);
    this.seed = options.seed;
    this.epochMs = options.epochMs ?? 0;
    const inst = makeInstrument(options.instrument);
    this.venue = new SimVenue(inst, this, { stp: options.stp, epochMs: options.epochMs });
    this.venue.onFlush((log) => this.digest.update(log));
    // The venue's own 1-minute candles: fetchOHLCV answers from them, and a recorded run
    // writes them as bars.arrow.
    this.bars = new BarBuilder(inst, { epochMs: options.epochMs ?? 0 });
    this.venue.addObserver(this.bars);
    this.venue.candles = this.bars;
    this.defaultLatency = parseLatencySpec(options.defaultLatency ?? { inNs: 1_000_000, outNs: 1_000_000, jitterNs: 500_000 });
  }

  private readonly seed: number | string;
  /** UTC ms that simulated time 0 stands for. */
  readonly epochMs: number;
  /** 1-minute bars of the venue's trades (bar k covers [k, k+1) minutes of simulated time). */
  readonly bars: BarBuilder;

  get now(): number {
    return this.clock.now;
  }

  /**
   * Adds an agent with its own account, stream and latency. Names must be unique: they key
   * the agent's random stream.
   * @throws Error naming the field and value for a duplicate name, bad latency or endowment.
   */
  addAgent(name: string, agent: SimAgent, options: AgentOptions = {}): number {
    if (this.started) throw new Error(`addAgent(${name}): the run has started`);
    if (name.length === 0 || this.names.has(name)) throw new Error(`agent.name: ${JSON.stringify(name)} is empty or already used`);
    this.names.add(name);
    const id = this.slots.length;
    const rng = this.rng.fork(`agents/${name}`);
    const latency = new LatencyModel(options.latency ?? this.defaultLatency, rng.fork("net"));
    const exchange = new SimExchange(this.venue, id, latency.spec.outNs);
    if (options.history !== undefined) Object.assign(exchange.options, options.history);
    const spec = this.venue.instrument.spec;
    this.endow(name, exchange.account, Asset.BASE, options.base ?? 0, spec.baseScale, "base");
    this.endow(name, exchange.account, Asset.QUOTE, options.quote ?? 0, spec.quoteScale, "quote");
    const ctx = new Ctx(this, id, name, exchange, rng, spec.symbol);
    this.slots.push({ agent, ctx, latency, wake: new Wake(this, id), lastIn: 0, lastOut: 0 });
    return id;
  }

  /** Agents added so far; their ids are 0 to agentCount − 1. */
  get agentCount(): number {
    return this.slots.length;
  }

  /** The agent object of id `id`, for reports and tests that read what it recorded (never for agents). */
  agent(id: number): SimAgent {
    return this.slots[id].agent;
  }

  /** The venue account of agent `id` (for observers that value it, never for agents). */
  accountOf(id: number): number {
    return this.slots[id].ctx.exchange.account;
  }

  /** Adds an observer of every venue request (recorder, metrics). */
  observe(o: VenueObserver): void {
    this.venue.addObserver(o);
  }

  /** Calls `fn(now)` at time 0 and then every `intervalNs`, after other events at that time. */
  every(intervalNs: number, fn: (now: number) => void): void {
    if (!Number.isSafeInteger(intervalNs) || intervalNs <= 0) throw new Error(`every.intervalNs: ${intervalNs} must be a positive integer`);
    this.at(this.clock.now, Priority.SAMPLE, new Every(this, intervalNs, fn));
  }

  /** Current L2 depth, for samplers. */
  depth(levels: number): { bids: Level[]; asks: Level[] } {
    return { bids: this.venue.engine.depth(0, levels), asks: this.venue.engine.depth(1, levels) };
  }

  /**
   * Runs until `durationNs` of simulated time have passed (events at exactly that time
   * included) and reports the run: `runUntil(durationNs)` then `finish()`.
   * @throws the first error an agent threw, prefixed with the agent's name.
   */
  async run(durationNs: number): Promise<RunStats> {
    if (!Number.isSafeInteger(durationNs) || durationNs <= 0) throw new Error(`run.durationNs: ${durationNs} must be a positive integer of ns`);
    if (this.started) throw new Error("run: a kernel runs once");
    await this.runUntil(durationNs);
    return this.finish();
  }

  /**
   * Advances simulated time to `tNs`: starts the agents on the first call, then dispatches
   * every event at or before `tNs` (including those that events at `tNs` schedule at `tNs`)
   * and leaves the clock at `tNs`. Callable again and again with times that do not decrease,
   * so a controller outside the kernel can act between steps (read the book, send orders
   * through an agent's exchange); a run in steps of any sizes has the digest of the same run
   * in one go, as long as nothing acts between them.
   * @throws Error for a time before now, not an integer ns, or after `finish`; the first error an agent threw.
   */
  async runUntil(tNs: number): Promise<void> {
    if (this.finished) throw new Error("runUntil: the run is finished");
    if (!isSafeTime(tNs) || tNs < this.clock.now) throw new Error(`runUntil.tNs: ${tNs} must be an integer ns at or after now (${this.clock.now})`);
    if (!this.started) {
      this.started = true;
      for (const s of this.slots) this.invoke(s, "start");
    }
    if (this.needsDrain) await this.drain();
    const m = this.inFlight;
    const w = this.timers;
    for (;;) {
      const tm = m.peekTime();
      const tw = w.peekTime();
      // peekTime is Infinity for an empty lane, so this also ends the step when both are empty.
      if (!(Math.min(tm, tw) <= tNs)) break;
      const q = tm <= tw ? m : w;
      const msg = q.pop()!;
      this.clock.advanceTo(q.lastTime);
      msg.deliver(this.clock.now);
      this.messages++;
      if (this.needsDrain) await this.drain();
    }
    this.clock.advanceTo(Math.max(this.clock.now, tNs));
  }

  /**
   * `runUntil` without a promise, for worlds where nothing awaits (populations, and bots driven
   * from outside between steps, as an RL environment drives its learner): the same events in the
   * same order, so the same digest, but returns only when the step is done, with no microtask turn.
   * @throws Error as runUntil, and when an agent returns a promise or awaits an answer (use runUntil).
   */
  runUntilSync(tNs: number): void {
    if (this.finished) throw new Error("runUntilSync: the run is finished");
    if (!isSafeTime(tNs) || tNs < this.clock.now) throw new Error(`runUntilSync.tNs: ${tNs} must be an integer ns at or after now (${this.clock.now})`);
    if (!this.started) {
      this.started = true;
      for (const s of this.slots) this.invoke(s, "start");
    }
    const m = this.inFlight;
    const w = this.timers;
    for (;;) {
      if (this.needsDrain) throw new Error(`runUntilSync: an agent is awaiting at t=${this.clock.now} ns; a world with awaiting agents must step with runUntil`);
      const tm = m.peekTime();
      const tw = w.peekTime();
      if (!(Math.min(tm, tw) <= tNs)) break;
      const q = tm <= tw ? m : w;
      const msg = q.pop()!;
      this.clock.advanceTo(q.lastTime);
      msg.deliver(this.clock.now);
      this.messages++;
    }
    this.clock.advanceTo(Math.max(this.clock.now, tNs));
  }

  /**
   * Ends the run at the current time: calls every agent's `stop` hook (in the order they were
   * added; what they send is not delivered), then flushes the venue and reports the run, its
   * duration being the time reached. A kernel that never ran is started first, at time 0.
   * @throws Error when called twice; the first error an agent threw.
   */
  async finish(): Promise<RunStats> {
    if (this.finished) throw new Error("finish: the run is already finished");
    if (!this.started) await this.runUntil(this.clock.now);
    this.finished = true;
    for (const s of this.slots) if (s.agent.stop !== undefined) this.invoke(s, "stop");
    if (this.needsDrain) await this.drain();
    this.venue.flush();
    const c = this.digest.counts;
    return {
      seed: this.seed,
      durationNs: this.clock.now,
      messages: this.messages,
      requests: this.venue.requests,
      deliveries: this.venue.deliveries,
      wakes: this.wakes,
      drains: this.drains,
      events: { ...c, total: this.digest.events },
      digest: this.digest.hex(),
    };
  }

  // ---------------------------------------------------------------- SimNetwork

  toVenue(agent: number, msg: Deliverable): void {
    const s = this.slots[agent];
    const t = Math.max(this.clock.now + s.latency.orderIn(), s.lastIn);
    s.lastIn = t;
    this.inFlight.push(t, Priority.VENUE, msg);
  }

  toAgent(agent: number, msg: Deliverable): void {
    const s = this.slots[agent];
    const t = Math.max(this.clock.now + s.latency.dataOut(), s.lastOut);
    s.lastOut = t;
    this.inFlight.push(t, Priority.DELIVERY, msg);
  }

  settled(): void {
    this.needsDrain = true;
  }

  // ---------------------------------------------------------------- internals

  /**
   * Schedules a message; for the kernel's own helpers.
   * @throws RangeError for a time before now (each lane only knows its own last time).
   */
  at(t: number, priority: number, msg: Deliverable): void {
    if (t < this.clock.now) throw new RangeError(`event time ${t} ns is before the current time ${this.clock.now} ns`);
    (priority < Priority.WAKE ? this.inFlight : this.timers).push(t, priority, msg);
  }

  scheduleWake(id: number, t: number): void {
    if (!isSafeTime(t) || t < this.clock.now) {
      // Past the clock's last instant is a time no run reaches: that wake never comes, as a later one in a shorter run.
      if (t > MAX_TIME_NS && t < Infinity) return;
      throw this.badWake(id, t);
    }
    this.timers.push(t, Priority.WAKE, this.slots[id].wake);
  }

  wakeAgent(id: number): void {
    this.wakes++;
    this.invoke(this.slots[id], "wake");
  }

  private invoke(s: Slot, method: "start" | "wake" | "stop"): void {
    const agent = s.agent;
    let r: void | Promise<void>;
    try {
      // Named calls: a keyed load (agent[method]) across the many agent classes goes
      // megamorphic and costs a generic lookup per wake.
      r = method === "wake" ? agent.wake?.(s.ctx) : method === "start" ? agent.start(s.ctx) : agent.stop?.(s.ctx);
    } catch (err) {
      throw this.agentError(s, err);
    }
    if (r !== undefined && typeof (r as Promise<void>).then === "function") {
      this.needsDrain = true;
      (r as Promise<void>).then(undefined, (err: unknown) => {
        this.failure ??= this.agentError(s, err);
      });
    }
  }

  /**
   * Lets every pending continuation run at the current simulated time. Node runs a tick queued
   * from inside a microtask only once the microtask queue is empty, however deep the chain of
   * awaits: the first await moves this code into a microtask, the second waits for such a
   * tick. No turn of the event loop is taken, as setImmediate would take at every yield,
   * leaving the run idle in the loop.
   */
  private async drain(): Promise<void> {
    this.needsDrain = false;
    this.drains++;
    await undefined;
    await new Promise<void>((resolve) => process.nextTick(resolve));
    if (this.failure !== undefined) throw this.failure;
  }

  // Built in a function of its own, off the hot path: see badAdvance in sim/clock.ts.
  private badWake(id: number, t: number): Error {
    return new Error(`agent ${this.slots[id].ctx.name}: wake time ${t} is not an integer ns at or after now (${this.clock.now})`);
  }

  private agentError(s: Slot, err: unknown): Error {
    const msg = err instanceof Error ? err.message : String(err);
    const e = new Error(`agent ${s.ctx.name} at t=${this.clock.now} ns: ${msg}`);
    (e as { cause?: unknown }).cause = err;
    return e;
  }

  private endow(name: string, account: number, asset: Asset, coins: number, scale: number, field: string): void {
    if (coins === 0) return;
    const units = Math.round(coins * scale);
    if (!Number.isFinite(coins) || coins < 0 || !Number.isSafeInteger(units)) {
      throw new Error(`agent ${name}.${field}: ${coins} must be a non-negative amount of coins`);
    }
    if (units > 0) this.venue.ledger.deposit(account, asset, units);
  }
}
