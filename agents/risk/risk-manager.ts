// The risk manager every bot shares: sizes entries, pauses on losses, gives each trade its stops,
// and records every order it blocked, resized or forced with the rule and the numbers.
import { checkRiskConfig } from "./config.ts";
import type { RiskAction, RiskConfig, RiskEvent } from "./risk.ts";

export { checkRiskConfig, DEFAULT_RISK, parseRiskConfig, RISK_OFF } from "./config.ts";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The pair of account-wide events (pauses and resumes). */
export const ALL_PAIRS = "*";
/**
 * Relative slack on loss thresholds: a loss of exactly the limit (5% of 10000.00) must reach it
 * whatever the rounding of equity - limit × equity; 1e-9 of equity is far below a cent.
 */
const SLACK = 1e-9;

const money = (x: number) => x.toFixed(2);
const pct = (f: number) => `${Number((f * 100).toFixed(2))}%`;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Applies a RiskConfig to one account. Call observe() once per bar, then sizeEntry() before
 * every entry; ask stopPrice()/takeProfitPrice() for each open trade and report the exits you
 * force with forced(). One manager per account and run.
 */
export class RiskManager {
  readonly config: RiskConfig;
  /** Every decision in the order made; the manager only appends. */
  readonly events: RiskEvent[] = [];

  // Plain numbers and booleans only: observe() runs on every bar and must not allocate.
  private lastTime = -Infinity;
  private day = NaN;
  private dayStart = NaN;
  private lastEquity = NaN;
  private peak = -Infinity;
  /** Equity at or below which the daily loss / circuit breaker rule fires; -Infinity when off. */
  private dailyFloor = -Infinity;
  private breakerFloor = -Infinity;
  private dailyPaused = false;
  private breakerPaused = false;
  private breakerUntil = -Infinity;
  private closeAll = false;

  /** @throws ValidationError when a field is missing or out of range (see parseRiskConfig). */
  constructor(config: RiskConfig) {
    this.config = checkRiskConfig(config);
  }

  /** True right after an observe() on which the circuit breaker tripped: close every position now and call forced() for each. */
  get closeAllNow(): boolean {
    return this.closeAll;
  }

  /** True while new entries are refused (daily loss or circuit breaker). */
  get paused(): boolean {
    return this.dailyPaused || this.breakerPaused;
  }

  /**
   * Marks the account to market, once per bar before the strategy's signal is acted on: rolls
   * the UTC day (the day's starting equity is the last equity observed before the day's first
   * bar; on the very first call, that bar's own), tracks the peak, and pauses or resumes
   * entries. Records "paused"/"resumed" events; allocates nothing unless it records one.
   * @param time the bar's open, Unix ms; never earlier than the previous call's.
   * @param equity cash plus positions valued at the bar's close, in quote.
   * @throws Error when time goes backwards or either number is not finite.
   */
  observe(time: number, equity: number): void {
    // Kept small enough for V8 to inline into the runner's bar loop (so not even the double
    // arguments get boxed); everything rare lives in the methods it calls.
    if (!(time >= this.lastTime && time < Infinity && equity - equity === 0)) this.refuse(time, equity);
    this.lastTime = time;
    this.closeAll = false;
    const day = Math.floor(time / DAY_MS);
    if (day !== this.day) this.rollDay(time, day, equity);
    this.lastEquity = equity;
    if (this.breakerPaused && time >= this.breakerUntil) this.resumeBreaker(time, equity);
    if (equity > this.peak) this.setPeak(equity);
    if (equity <= this.dailyFloor && !this.dailyPaused) this.tripDaily(time, equity);
    if (equity <= this.breakerFloor && !this.breakerPaused) this.tripBreaker(time, equity);
  }

  private refuse(time: number, equity: number): never {
    if (!Number.isFinite(equity)) throw new Error(`observe.equity: ${equity} is not a finite amount`);
    throw new Error(`observe.time: ${time} is not a finite time at or after the previous ${this.lastTime}`);
  }

  private rollDay(time: number, day: number, equity: number): void {
    this.day = day;
    this.dayStart = Number.isNaN(this.lastEquity) ? equity : this.lastEquity;
    const daily = this.config.dailyLossPct;
    // Loss thresholds as equity floors, so the hot path compares one number per rule.
    this.dailyFloor = daily === null || !(this.dayStart > 0) ? -Infinity : this.dayStart - daily * this.dayStart * (1 - SLACK);
    if (this.dailyPaused) {
      this.dailyPaused = false;
      this.record(time, "resumed", "daily-loss", ALL_PAIRS, `new UTC day ${iso(day * DAY_MS).slice(0, 10)}, day start equity ${money(this.dayStart)}`);
    }
  }

  private setPeak(equity: number): void {
    this.peak = equity;
    const breaker = this.config.circuitBreakerPct;
    this.breakerFloor = breaker === null || !(equity > 0) ? -Infinity : equity - breaker * equity * (1 - SLACK);
  }

  private resumeBreaker(time: number, equity: number): void {
    this.breakerPaused = false;
    this.setPeak(equity);
    this.record(time, "resumed", "circuit-breaker", ALL_PAIRS, `pause of ${this.config.circuitPauseMinutes} min over, peak reset to equity ${money(equity)}`);
  }

  private tripDaily(time: number, equity: number): void {
    this.dailyPaused = true;
    this.record(time, "paused", "daily-loss", ALL_PAIRS,
      `equity ${money(equity)} is ${pct(1 - equity / this.dayStart)} below the day's start ${money(this.dayStart)} (limit ${pct(this.config.dailyLossPct!)}), entries paused until ${iso((this.day + 1) * DAY_MS)}`);
  }

  private tripBreaker(time: number, equity: number): void {
    this.breakerPaused = true;
    this.breakerUntil = time + this.config.circuitPauseMinutes * MINUTE_MS;
    this.closeAll = true;
    this.record(time, "paused", "circuit-breaker", ALL_PAIRS,
      `equity ${money(equity)} is ${pct(1 - equity / this.peak)} below peak ${money(this.peak)} (limit ${pct(this.config.circuitBreakerPct!)}), closing all positions, entries paused until ${iso(this.breakerUntil)}`);
  }

  /**
   * The quote amount an entry may use: `wantedQuote` or less, 0 when blocked. Applies, in
   * order, the pause, max-open-trades, max-position (share of equity) and max-exposure (share
   * of equity, less what is already open). Records "blocked" or "resized" with the rule.
   * @param exposureQuote value of the positions already open, in quote.
   * @param openTrades trades open now, across pairs.
   * @throws Error when an amount is not finite, or exposure or the trade count is negative.
   */
  sizeEntry(time: number, pair: string, wantedQuote: number, equity: number, exposureQuote: number, openTrades: number): number {
    if (!Number.isFinite(wantedQuote)) throw new Error(`sizeEntry.wantedQuote: ${wantedQuote} is not a finite amount`);
    if (!Number.isFinite(equity)) throw new Error(`sizeEntry.equity: ${equity} is not a finite amount`);
    if (!(exposureQuote >= 0) || !Number.isFinite(exposureQuote)) throw new Error(`sizeEntry.exposureQuote: ${exposureQuote} is not a finite amount >= 0`);
    if (!(openTrades >= 0) || !Number.isInteger(openTrades)) throw new Error(`sizeEntry.openTrades: ${openTrades} is not a whole number >= 0`);
    if (wantedQuote <= 0) return 0;
    const c = this.config;
    const wanted = money(wantedQuote);

    if (this.breakerPaused) return this.block(time, pair, "circuit-breaker", `wanted ${wanted}, entries paused by the circuit breaker until ${iso(this.breakerUntil)}`);
    if (this.dailyPaused) return this.block(time, pair, "daily-loss", `wanted ${wanted}, entries paused by the daily loss limit until ${iso((this.day + 1) * DAY_MS)}`);
    if (c.maxOpenTrades !== null && openTrades >= c.maxOpenTrades) {
      return this.block(time, pair, "max-open-trades", `wanted ${wanted}, ${openTrades} trades open (limit ${c.maxOpenTrades})`);
    }

    let allowed = wantedQuote;
    let rule = "";
    let why = "";
    if (c.maxPositionPct !== null) {
      const cap = c.maxPositionPct * equity;
      if (allowed > cap) {
        allowed = cap;
        rule = "max-position";
        why = `${pct(c.maxPositionPct)} of equity ${money(equity)}`;
      }
    }
    if (c.maxExposurePct !== null) {
      const limit = c.maxExposurePct * equity;
      let room = limit - exposureQuote;
      // Float rounding can make exposure + (limit - exposure) land one ulp above the limit.
      if (room > 0 && exposureQuote + room > limit) room -= Math.max(Number.EPSILON * limit, Number.MIN_VALUE);
      if (allowed > room) {
        allowed = room;
        rule = "max-exposure";
        why = `exposure limit ${pct(c.maxExposurePct)} of equity ${money(equity)} = ${money(limit)}, ${money(exposureQuote)} already open`;
      }
    }
    if (allowed <= 0) return this.block(time, pair, rule, `wanted ${wanted}, allowed 0 (${why})`);
    if (rule !== "") this.record(time, "resized", rule, pair, `wanted ${wanted}, allowed ${money(allowed)} (${why})`);
    return allowed;
  }

  /**
   * Protective stop for an open long, in quote: the higher of the stop-loss level
   * entry × (1 − stopLossPct) and the trailing level best × (1 − trailingStopPct); NaN when
   * both rules are off.
   * @param bestPrice highest price seen since entry.
   */
  stopPrice(entryPrice: number, bestPrice: number): number {
    const { stopLossPct: sl, trailingStopPct: tr } = this.config;
    const fixed = sl === null ? NaN : entryPrice * (1 - sl);
    const trail = tr === null ? NaN : bestPrice * (1 - tr);
    if (Number.isNaN(trail)) return fixed;
    if (Number.isNaN(fixed)) return trail;
    return trail > fixed ? trail : fixed;
  }

  /** The rule the current stop comes from: "stop-loss" or "trailing-stop" (stop-loss on ties), "none" when both are off. */
  stopRule(entryPrice: number, bestPrice: number): string {
    const { stopLossPct: sl, trailingStopPct: tr } = this.config;
    if (tr === null) return sl === null ? "none" : "stop-loss";
    if (sl === null) return "trailing-stop";
    return bestPrice * (1 - tr) > entryPrice * (1 - sl) ? "trailing-stop" : "stop-loss";
  }

  /** Take-profit price entry × (1 + roiPct), in quote; NaN when the rule is off. */
  takeProfitPrice(entryPrice: number): number {
    const roi = this.config.roiPct;
    return roi === null ? NaN : entryPrice * (1 + roi);
  }

  /** Records an exit the runner forced for one of this manager's rules ("stop-loss", "trailing-stop", "roi", "circuit-breaker"). */
  forced(time: number, pair: string, rule: string, detail: string): void {
    this.record(time, "forced-exit", rule, pair, detail);
  }

  private block(time: number, pair: string, rule: string, detail: string): 0 {
    this.record(time, "blocked", rule, pair, detail);
    return 0;
  }

  private record(time: number, action: RiskAction, rule: string, pair: string, detail: string): void {
    this.events.push(Object.freeze({ time, action, rule, pair, detail }));
  }
}
