// The wall-clock host of a Bot: its BotContext on real time, wake-ups as real timers, one bot call at a time.
import type { Bot, BotContext, BotLog, RandomStream, VenueState } from "../../agents/bot.ts";
import { ExchangeError, type Exchange } from "../../market/exchange.ts";

/** The host's time: Unix ms now, and how many of its ms pass in a wall ms (1: real time). */
export interface HostClock {
  now(): number;
  readonly speed: number;
}

/** Real time: Date.now, at speed 1. */
export const WALL_CLOCK: HostClock = { now: () => Date.now(), speed: 1 };

/** What happened in the host, for the session's log: a wake served, or one that threw. */
export type HostEvent =
  | { readonly kind: "wake"; readonly due: number; readonly lateMs: number }
  | { readonly kind: "error"; readonly where: string; readonly error: Error };

export interface HostOptions {
  readonly bot: Bot;
  readonly exchange: Exchange;
  readonly symbol: string;
  readonly rng: RandomStream;
  readonly log: BotLog;
  /** Default WALL_CLOCK. */
  readonly clock?: HostClock;
  /** Consecutive wakes that may throw an ExchangeError (a venue refusal or a network failure past its retries) before the host gives up. Default 5. */
  readonly maxWakeErrors?: number;
  /** Called with each wake served or failed, and after every bot call has finished (to look for fills). */
  readonly onEvent?: (e: HostEvent) => void;
  readonly afterCall?: () => Promise<void>;
  /** Called with the wall ms each wake took (served or failed), for the decision latency. */
  readonly onDecision?: (ms: number) => void;
}

interface Pending {
  readonly due: number;
  readonly seq: number;
}

/** The BotContext of the live host: the venue through the port, the host's clock and scheduler. */
class LiveBotContext implements BotContext {
  constructor(private readonly host: WallClockHost, readonly exchange: Exchange, readonly symbol: string, readonly rng: RandomStream, readonly log: BotLog) {}
  get now(): number {
    return Math.floor(this.host.clock.now());
  }
  wakeAt(tMs: number): void {
    this.host.schedule(tMs);
  }
  wakeIn(dtMs: number): void {
    if (!(dtMs >= 0 && dtMs < Infinity)) throw new RangeError(`bot: wakeIn(${dtMs}) is not a delay in ms >= 0`);
    const now = this.host.clock.now();
    this.host.schedule(now + dtMs, now);
  }
}

/**
 * Runs one bot on the host's clock: `start` (after `reconcile` when the host was given the
 * venue's state), then each wake once its time has come, in order of due time and then of
 * asking, each awaited to its end before the next begins (a wake that ran late is served at
 * once, never skipped), and `stop` at the end.
 */
export class WallClockHost {
  readonly clock: HostClock;
  readonly ctx: BotContext;
  /** Wakes served so far. */
  wakes = 0;
  private readonly pending: Pending[] = [];
  private seq = 0;
  private stopping = false;
  private interrupt: (() => void) | undefined;
  private failures = 0;

  constructor(private readonly o: HostOptions) {
    this.clock = o.clock ?? WALL_CLOCK;
    this.ctx = new LiveBotContext(this, o.exchange, o.symbol, o.rng, o.log);
  }

  /** Wake-ups asked for and not yet served. */
  get pendingWakes(): number {
    return this.pending.length;
  }

  /**
   * `now`: the clock reading the time was computed from (a delay's), so a sped-up clock moving
   * on between the two readings does not turn a delay into a time in the past.
   * @throws RangeError for a time before now or not a number.
   */
  schedule(tMs: number, now = this.clock.now()): void {
    if (!(tMs >= Math.floor(now) && tMs < Infinity)) throw new RangeError(`bot: wakeAt(${tMs}) is not a Unix ms at or after now (${Math.floor(now)})`);
    const p = { due: tMs, seq: this.seq++ };
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].due > tMs) i--;
    this.pending.splice(i, 0, p);
    this.interrupt?.();
  }

  /** Hands the bot what the venue holds (Bot.reconcile), then starts it. Returns the bot's line on what it rebuilt, if it has one. */
  async start(venue?: VenueState): Promise<string | undefined> {
    const rebuilt = venue !== undefined ? this.o.bot.reconcile?.(this.ctx, venue) : undefined;
    await this.o.bot.start(this.ctx);
    await this.o.afterCall?.();
    return rebuilt;
  }

  /**
   * Serves wakes until `halt()`; resolves once the wake in progress (if any) has finished.
   * @throws what a wake threw when it is not an ExchangeError, or the last one after
   * `maxWakeErrors` consecutive wakes threw.
   */
  async run(): Promise<void> {
    const maxErrors = this.o.maxWakeErrors ?? 5;
    while (!this.stopping) {
      const next = this.pending[0];
      const waitMs = next === undefined ? Infinity : (next.due - this.clock.now()) / this.clock.speed;
      if (waitMs > 0) {
        await this.sleep(waitMs);
        continue;
      }
      this.pending.shift();
      this.wakes++;
      this.o.onEvent?.({ kind: "wake", due: next.due, lateMs: Math.max(0, Math.round(this.clock.now() - next.due)) });
      const t0 = performance.now();
      try {
        await this.o.bot.wake?.(this.ctx);
        this.o.onDecision?.(performance.now() - t0);
        this.failures = 0;
      } catch (e) {
        this.o.onDecision?.(performance.now() - t0);
        const error = e instanceof Error ? e : new Error(String(e));
        this.o.onEvent?.({ kind: "error", where: "wake", error });
        if (!(e instanceof ExchangeError) || ++this.failures >= maxErrors) throw error;
      }
      await this.o.afterCall?.();
    }
  }

  /** Ends `run` at the next moment no wake is in progress. */
  halt(): void {
    this.stopping = true;
    this.interrupt?.();
  }

  /** Calls the bot's stop. */
  async stop(): Promise<void> {
    await this.o.bot.stop?.(this.ctx);
    await this.o.afterCall?.();
  }

  /** Waits `ms` wall ms, or until a wake is scheduled or `halt()` is called. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // setTimeout's longest delay is 2^31-1 ms; a longer wait just loops. A timer even with
      // nothing pending keeps the process alive until halt().
      const timer = setTimeout(done, Math.min(Math.ceil(ms), 2 ** 31 - 1));
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.interrupt = undefined;
        resolve();
      }
      this.interrupt = done;
    });
  }
}
