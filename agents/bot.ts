// The bot contract: what a bot under test is, and everything it may use anywhere (simulation, replay, live).
import type { Balances, Exchange, Order, Trade } from "../market/exchange.ts";

/**
 * A seeded random stream of the bot's own. sim/rng.ts's `Rng` satisfies it; it is declared
 * here so a bot never imports `sim/`.
 */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hiInclusive]. */
  int(lo: number, hiInclusive: number): number;
  normal(mean?: number, sd?: number): number;
  /** Exponential deviate of the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** True with probability `p`; always one draw. */
  bernoulli(p: number): boolean;
  /** An independent stream keyed by this one's path and `name`; draws nothing from this one. */
  fork(name: string): RandomStream;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/** One structured log record: time (Unix ms, the context's clock), level, message and fields. */
export interface LogRecord {
  readonly t: number;
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A bot's structured log. The simulator keeps records in memory (or drops them); live writes JSON lines. */
export interface BotLog {
  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * What a bot is handed, the same in every place it runs. Times are Unix ms; a wake-up asked
 * for is served at the first moment the host can (the simulator: that very time, to the ns;
 * the replay: after the bar it falls in has closed), never before.
 */
export interface BotContext {
  /** The venue, through the port only: never a concrete exchange class. */
  readonly exchange: Exchange;
  /** The symbol it trades, as `exchange.markets` keys it (e.g. "BTC/USDT"). */
  readonly symbol: string;
  /** Current time, whole Unix ms: the same clock as `exchange.milliseconds()`. */
  readonly now: number;
  /** Asks for a `wake` call at Unix ms `tMs`, which must not be before `now`. */
  wakeAt(tMs: number): void;
  /** Asks for a `wake` call `dtMs` ms from now (`dtMs` ≥ 0; fractions of a ms are kept to the ns in the simulator). */
  wakeIn(dtMs: number): void;
  /** This bot's own seeded stream (derived from the run seed and the bot's name). */
  readonly rng: RandomStream;
  readonly log: BotLog;
}

/**
 * What a live host read back from the venue before starting a bot: the symbol's open orders,
 * the account's balances and its recent fills (oldest first), as the venue reports them.
 */
export interface VenueState {
  readonly openOrders: readonly Order[];
  readonly balance: Balances;
  readonly trades: readonly Trade[];
}

/**
 * A bot under test: started once, woken when it asked to be, stopped when the run ends.
 * Any method may be async (awaiting its exchange); every host lets it finish before time moves on.
 */
export interface Bot {
  /**
   * Live hosts only, before `start`: rebuilds what the bot would know had it been running,
   * from what the venue holds (a restart, or an account traded before). Returns a line saying
   * what it rebuilt, for the log. The simulator and the replay start from a clean account and never call it.
   */
  reconcile?(ctx: BotContext, venue: VenueState): string;
  start(ctx: BotContext): void | Promise<void>;
  wake?(ctx: BotContext): void | Promise<void>;
  /** Called once when the run ends (time is the end of the run); orders sent here are not filled. */
  stop?(ctx: BotContext): void | Promise<void>;
}

/**
 * A log that keeps up to `limit` records in memory and counts the rest as dropped; a limit of
 * 0 drops every record (a run that wants no logs pays one comparison per call).
 */
export class MemoryLog implements BotLog {
  readonly records: LogRecord[] = [];
  dropped = 0;
  constructor(private readonly clock: () => number, private readonly limit = 10_000) {}

  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.add("debug", msg, fields);
  }
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.add("info", msg, fields);
  }
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.add("warn", msg, fields);
  }
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.add("error", msg, fields);
  }

  private add(level: LogLevel, msg: string, fields: Readonly<Record<string, unknown>> | undefined): void {
    if (this.records.length >= this.limit) {
      this.dropped++;
      return;
    }
    this.records.push({ t: this.clock(), level, msg, fields: fields ?? {} });
  }
}
