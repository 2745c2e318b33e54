// Runs a Bot (agents/bot.ts) on recorded bars through ReplayExchange: the bot's clock is the replay's, its wake-ups served at bar closes.
//
// The rule, for bars [open_i, close_i) with close_i = open_i + bar length:
//   - `start` runs once before the first bar, at the first bar's open (no bar is visible yet);
//   - a wake due at time d runs after the first bar whose close is at or after d has closed
//     (a wake due within a bar, or at its close, runs once that bar is over), with the bot's
//     `now` at that close; wakes due by the same close run in order of due time, then of
//     asking, including those asked for while serving them;
//   - what the bot sends fills at the next bar's open at the earliest (ReplayExchange's rule);
//   - after the last bar, `stop` runs (time: the last close), then the replay sells what is left
//     at the last close (end of data).
// Every answer of the replay resolves at once, so a wake is awaited to its end before the
// next; a bot must not await a watch* method inside a wake here (the bar it waits for comes
// only after the wake returns).
import { MemoryLog, type Bot, type BotContext, type BotLog, type RandomStream } from "../../agents/bot.ts";
import type { Exchange } from "../../market/exchange.ts";
import type { Ohlcv } from "../ohlcv.ts";
import type { FillModel } from "../../market/fills/costs.ts";
import { ReplayExchange } from "./replay-exchange.ts";
import type { BacktestTrade } from "./runner.ts";

/** A pending wake: due time (Unix ms) and the order it was asked in. */
interface Pending {
  readonly due: number;
  readonly seq: number;
}

/** The BotContext of a replay: time, scheduler and exchange are the replay's. */
class ReplayBotContext implements BotContext {
  readonly pending: Pending[] = [];
  private seq = 0;
  constructor(private readonly ex: ReplayExchange, readonly rng: RandomStream, readonly log: BotLog) {}

  get exchange(): Exchange {
    return this.ex;
  }
  get symbol(): string {
    return this.ex.symbol;
  }
  get now(): number {
    return this.ex.milliseconds();
  }

  /** @throws RangeError for a time before now or not a number. */
  wakeAt(tMs: number): void {
    if (!(tMs >= this.now && tMs < Infinity)) throw new RangeError(`bot: wakeAt(${tMs}) is not a Unix ms at or after now (${this.now})`);
    const p = { due: tMs, seq: this.seq++ };
    // Kept sorted by (due, seq): a bot keeps few wakes pending, so an insertion is cheap.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].due > tMs) i--;
    this.pending.splice(i, 0, p);
  }

  /** @throws RangeError for a negative or non-finite delay. */
  wakeIn(dtMs: number): void {
    if (!(dtMs >= 0 && dtMs < Infinity)) throw new RangeError(`bot: wakeIn(${dtMs}) is not a delay in ms >= 0`);
    this.wakeAt(this.now + dtMs);
  }
}

export interface BotReplayOptions {
  readonly bars: Ohlcv;
  /** Pair name written in trades. */
  readonly pair: string;
  readonly fill: FillModel;
  /** Starting cash, quote. */
  readonly cash: number;
  readonly rng: RandomStream;
  /** Records the bot's log keeps (the rest are counted as dropped); default 1,000. */
  readonly logLimit?: number;
}

export interface BotReplayResult {
  /** Open time of each bar, Unix ms. */
  readonly time: Float64Array;
  /** Equity at each bar's close (quote + base × close, free and reserved), after the bot's wakes; the last is after the end-of-data sale. */
  readonly equity: Float64Array;
  /** 1 where base was held at the bar's close. */
  readonly exposure: Uint8Array;
  /** Round trips from flat to flat, built from the replay's fills. */
  readonly trades: readonly BacktestTrade[];
  readonly finalEquity: number;
  readonly bars: number;
  readonly wakes: number;
  /** The bot's log records, stamped with the replay's time. */
  readonly log: MemoryLog;
}

/**
 * Drives `bot` over `bars` (see the rule at the top of this file) and values its account at
 * every close from the replay's balances.
 * @throws whatever the bot throws, prefixed with the bar time it happened at.
 */
export async function runBotOnBars(bot: Bot, o: BotReplayOptions): Promise<BotReplayResult> {
  const ex = new ReplayExchange({ bars: o.bars, fill: o.fill, quote: o.cash });
  const log = new MemoryLog(() => ex.milliseconds(), o.logLimit ?? 1000);
  const ctx = new ReplayBotContext(ex, o.rng, log);
  const n = o.bars.timestamps.length;
  const time = Float64Array.from(o.bars.timestamps);
  const equity = new Float64Array(n);
  const exposure = new Uint8Array(n);
  const lot = ex.markets[ex.symbol].precision.amount;
  const call = async (what: string, f: () => void | Promise<void>) => {
    try {
      await f();
    } catch (err) {
      const e = new Error(`bot ${what} at ${new Date(ex.milliseconds()).toISOString()}: ${err instanceof Error ? err.message : String(err)}`);
      (e as { cause?: unknown }).cause = err;
      throw e;
    }
  };
  let wakes = 0;
  await call("start", () => bot.start(ctx));
  for (let i = 0; await ex.advance(); i++) {
    const close = ex.milliseconds();
    const q = ctx.pending;
    while (q.length > 0 && q[0].due <= close) {
      q.shift();
      wakes++;
      if (bot.wake !== undefined) await call("wake", () => bot.wake!(ctx));
    }
    const b = await ex.fetchBalance();
    const base = b.total[ex.markets[ex.symbol].base] ?? 0;
    equity[i] = (b.total[ex.markets[ex.symbol].quote] ?? 0) + base * o.bars.close[i];
    exposure[i] = base >= lot / 2 ? 1 : 0;
  }
  if (bot.stop !== undefined) await call("stop", () => bot.stop!(ctx));
  const before = (await ex.fetchMyTrades()).length;
  ex.finish();
  const fills = await ex.fetchMyTrades();
  const b = await ex.fetchBalance();
  const m = ex.markets[ex.symbol];
  const finalEquity = (b.total[m.quote] ?? 0) + (b.total[m.base] ?? 0) * o.bars.close[n - 1];
  equity[n - 1] = finalEquity;
  return { time, equity, exposure, trades: roundTrips(fills, before, o.pair, lot), finalEquity, bars: n, wakes, log };
}

/**
 * Round trips from the fills, flat to flat: entry at the first buy, exit at the sale that
 * brings the position back to (under half a lot of) zero; prices are the fills' prices
 * volume-weighted (not cost / amount: a fill's cost is rounded to the quote unit), fees both
 * sides', pnl = proceeds − cost − fees. The exit reason is "end-of-data" when the
 * replay's closing sale (fills from index `endOfData` on) ended it, "signal" otherwise: the
 * replay cannot know why a bot sold.
 */
export function roundTrips(
  fills: readonly { side: string; timestamp: number; price: number; amount: number; cost: number; fee?: { cost: number } }[],
  endOfData: number, pair: string, lot: number,
): BacktestTrade[] {
  const out: BacktestTrade[] = [];
  let pos = 0;
  let bought = 0;
  let spent = 0;
  let boughtAt = 0;
  let sold = 0;
  let got = 0;
  let soldAt = 0;
  let fees = 0;
  let entryTime = 0;
  fills.forEach((f, k) => {
    if (f.side === "buy") {
      if (pos < lot / 2) entryTime = f.timestamp;
      pos += f.amount;
      bought += f.amount;
      spent += f.cost;
      boughtAt += f.price * f.amount;
      fees += f.fee?.cost ?? 0;
      return;
    }
    if (pos < lot / 2) return;
    pos -= f.amount;
    sold += f.amount;
    got += f.cost;
    soldAt += f.price * f.amount;
    fees += f.fee?.cost ?? 0;
    if (pos >= lot / 2) return;
    out.push({
      pair, entryTime, exitTime: f.timestamp, side: "long", entryPrice: boughtAt / bought, exitPrice: soldAt / sold, size: bought, fees,
      pnl: got - spent - fees, exitReason: k >= endOfData ? "end-of-data" : "signal",
    });
    pos = bought = spent = boughtAt = sold = got = soldAt = fees = 0;
  });
  return out;
}
