// The market observation a learning agent sees (about 50 numbers), built incrementally from what a bot reads through the port.
import { BollingerBands, EMA, MACD, RSI } from "trading-signals";
import { Adx, Atr } from "../strategies/indicators/candle-indicators.ts";
import { FEATURES, F } from "./market-features.ts";
import { MemoryFeatures, type MemoryReader } from "./memory-features.ts";

export { FEATURES, F };

/** The layout's version: bump it when a feature's meaning, order or scaling changes (policy.json records it). */
export const MARKET_STATE_VERSION = 1;

/** Number of features in an observation. */
export const MARKET_FEATURE_COUNT = FEATURES.length;

/**
 * What the caller reads at a decision, in the port's units (decimal coins and quote prices).
 * The PolicyBot fills it from fetchOrderBook and fetchBalance; the RL env from the same venue
 * synchronously. A side of the book that is empty is NaN (price) and 0 (sizes).
 */
export interface MarketInput {
  /** Unix ms of the decision. */
  timeMs: number;
  bid: number;
  ask: number;
  /** Base size at the best bid and ask. */
  bidSize: number;
  askSize: number;
  /** Base size summed over the first `depthLevels` levels of each side. */
  bidDepth: number;
  askDepth: number;
  /** Own holdings, total (free + in orders), coins. */
  base: number;
  quote: number;
}

/** A fresh input with nothing read yet. */
export function emptyInput(): MarketInput {
  return { timeMs: 0, bid: NaN, ask: NaN, bidSize: 0, askSize: 0, bidDepth: 0, askDepth: 0, base: 0, quote: 0 };
}

/** Horizons (decisions) of the mid returns, features 0-5. */
const STEP_HORIZONS = [1, 5, 15, 60, 300, 900] as const;
/** Horizons (candles) of the candle returns, features 15-18. */
const CANDLE_HORIZONS = [1, 5, 15, 60] as const;
const MID_RING = 901;
const CANDLE_RING = 61;
const DAY_MS = 86_400_000;

/** A fixed ring of the last `n` numbers, newest at `at(0)`. */
class Ring {
  private readonly buf: Float64Array;
  private head = -1;
  count = 0;
  constructor(readonly size: number) {
    this.buf = new Float64Array(size);
  }
  push(x: number): void {
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    this.buf[this.head] = x;
    if (this.count < this.size) this.count++;
  }
  /** The value `k` pushes ago (0 = newest); k < count. */
  at(k: number): number {
    const i = this.head - k;
    return this.buf[i < 0 ? i + this.size : i];
  }
}

/** Σx² over the last `n` values pushed, kept incrementally. */
class RollingSquares {
  private readonly ring: Ring;
  private sum = 0;
  constructor(readonly n: number) {
    this.ring = new Ring(n);
  }
  push(x: number): void {
    if (this.ring.count === this.n) this.sum -= this.ring.at(this.n - 1) ** 2;
    this.ring.push(x);
    this.sum += x * x;
  }
  /** Root mean square of the window (0 when empty). */
  rms(): number {
    return this.ring.count === 0 ? 0 : Math.sqrt(Math.max(0, this.sum) / this.ring.count);
  }
}

/**
 * The seed design's market state for a policy: `observe` once per decision (cheap: a few dozen
 * operations), `candle` once per closed candle (the indicators). Every feature is scaled and
 * clipped to its bounds in FEATURES (see agents/features/README.md for the table); NaN
 * (not enough history) is written as 0. Only what a bot sees: its book, its candles, its balances.
 */
export class MarketState {
  /** The observation `observe` fills; reused by every call (copy what you keep). */
  readonly obs = new Float32Array(MARKET_FEATURE_COUNT);
  /** The mid at the last observe (the last known one when a side was empty; NaN before any). */
  mid = NaN;
  /** Quote + base × mid at the last observe. */
  equity = NaN;
  private readonly logMids = new Ring(MID_RING);
  private readonly vol60 = new RollingSquares(60);
  private readonly vol300 = new RollingSquares(300);
  private ema60 = NaN;
  private ema300 = NaN;
  private depthEma = NaN;
  private startEquity = NaN;
  private peakEquity = NaN;
  private lastBase = 0;
  private avgCost = NaN;
  private heldSteps = 0;
  private sinceTrade = 0;
  // Candle indicators (the venue's candles: 1 minute in the simulator).
  private readonly closes = new Ring(CANDLE_RING);
  private readonly volumes = new Ring(CANDLE_RING);
  private readonly highs = new Ring(CANDLE_RING);
  private readonly lows = new Ring(CANDLE_RING);
  private readonly candleRet = new Ring(CANDLE_RING);
  private readonly rsi = new RSI(14);
  private readonly macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  private readonly bands = new BollingerBands(20, 2);
  private readonly atr = new Atr(14);
  private readonly adx = new Adx(14);
  private candles = 0;
  /** Open time (Unix ms) of the last candle folded in: candles at or before it are ignored. */
  lastCandleMs = -Infinity;
  /** The memory features (47-50), when a memory is given. */
  readonly memory: MemoryFeatures | undefined;

  /** @param memory a market memory to fill features 47-50 from; without one they stay 0. */
  constructor(memory?: MemoryReader) {
    this.memory = memory === undefined ? undefined : new MemoryFeatures(memory);
  }

  /**
   * Folds one closed candle in (the indicators' features, 15-34). Candles must come oldest first;
   * one already seen (open time at or before the last) is ignored, so a caller may pass overlapping batches.
   */
  candle(timeMs: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (!(timeMs > this.lastCandleMs) || !(close > 0)) return;
    this.lastCandleMs = timeMs;
    const prev = this.closes.count > 0 ? this.closes.at(0) : open;
    this.closes.push(close);
    this.volumes.push(volume);
    this.highs.push(high);
    this.lows.push(low);
    this.candleRet.push(Math.log(close / prev) * 1e4);
    this.candles++;
    this.memory?.candle({ time: timeMs, open, high, low, close, volume });
    const o = this.obs;
    const n = this.closes.count;
    for (let j = 0; j < CANDLE_HORIZONS.length; j++) {
      const h = CANDLE_HORIZONS[j];
      const back = this.closes.at(Math.min(h, n - 1));
      this.put(F.C_RET_1 + j, (Math.log(close / back) * 1e4) / Math.sqrt(h));
    }
    const vMean20 = this.meanOf(this.volumes, 20);
    this.put(F.VOL_SURGE, vMean20 > 0 ? Math.log((volume + 1e-12) / vMean20) : 0);
    const vMean5 = this.meanOf(this.volumes, 5);
    const vMean60 = this.meanOf(this.volumes, 60);
    this.put(F.VOL_SURGE_5_60, vMean60 > 0 && vMean5 > 0 ? Math.log(vMean5 / vMean60) : 0);
    const rsi = this.rsi.update(close, false);
    this.put(F.RSI, rsi === null ? 0 : rsi / 100 - 0.5);
    const m = this.macd.update(close, false);
    if (m !== null) {
      this.put(F.MACD, (m.macd / close) * 1e4);
      this.put(F.MACD_SIGNAL, (m.signal / close) * 1e4);
      this.put(F.MACD_HIST, (m.histogram / close) * 1e4);
    }
    const hlc = { high, low, close };
    const adx = this.adx.update(hlc);
    this.put(F.ADX, adx === null ? 0 : adx / 100);
    const atr = this.atr.update(hlc);
    this.put(F.ATR, atr === null ? 0 : (atr / close) * 100);
    const b = this.bands.update(close, false);
    if (b !== null) {
      this.put(F.BB_WIDTH, ((b.upper - b.lower) / b.middle) * 100);
      this.put(F.BB_PCTB, b.upper > b.lower ? (close - b.lower) / (b.upper - b.lower) - 0.5 : 0);
    }
    // Kaufman's efficiency ratio over 20 candles, signed: net move over the path travelled.
    const k = Math.min(20, n - 1);
    let path = 0;
    for (let i = 0; i < k; i++) path += Math.abs(this.closes.at(i) - this.closes.at(i + 1));
    this.put(F.TREND_ER, path > 0 ? (close - this.closes.at(k)) / path : 0);
    const mean60 = this.meanOf(this.closes, 60);
    this.put(F.SMA60_ATR, atr !== null && atr > 0 ? (close - mean60) / atr : 0);
    const sd30 = this.rmsOf(this.candleRet, 30);
    this.put(F.CANDLE_VOL, sd30 / 10);
    const sd10 = this.rmsOf(this.candleRet, 10);
    const sd60 = this.rmsOf(this.candleRet, 60);
    this.put(F.VOL_RATIO, sd10 > 0 && sd60 > 0 ? Math.log(sd10 / sd60) : 0);
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = 0; i < Math.min(60, n); i++) {
      if (this.highs.at(i) > hi) hi = this.highs.at(i);
      if (this.lows.at(i) < lo) lo = this.lows.at(i);
    }
    this.put(F.RANGE_POS, hi > lo ? (close - lo) / (hi - lo) - 0.5 : 0);
    this.put(F.WARM, Math.min(1, this.candles / 60));
  }

  /** Updates the per-decision features (0-14, 35-46, and 47-50 with a memory) from `x` and returns the observation. */
  observe(x: MarketInput): Float32Array {
    const hasBid = x.bid > 0;
    const hasAsk = x.ask > 0;
    const mid = hasBid && hasAsk ? (x.bid + x.ask) / 2 : hasBid ? x.bid : hasAsk ? x.ask : this.mid;
    this.mid = mid;
    const lm = Math.log(mid);
    if (mid > 0) {
      const r1 = this.logMids.count > 0 ? (lm - this.logMids.at(0)) * 1e4 : 0;
      this.logMids.push(lm);
      this.vol60.push(r1);
      this.vol300.push(r1);
      this.ema60 = Number.isNaN(this.ema60) ? mid : this.ema60 + (2 / 61) * (mid - this.ema60);
      this.ema300 = Number.isNaN(this.ema300) ? mid : this.ema300 + (2 / 301) * (mid - this.ema300);
    }
    const n = this.logMids.count;
    for (let j = 0; j < STEP_HORIZONS.length; j++) {
      const h = STEP_HORIZONS[j];
      this.put(F.RET_1 + j, n < 2 ? 0 : ((lm - this.logMids.at(Math.min(h, n - 1))) * 1e4) / Math.sqrt(h));
    }
    this.put(F.RVOL_60, this.vol60.rms());
    this.put(F.RVOL_300, this.vol300.rms());
    this.put(F.EMA_GAP_60, ((mid / this.ema60 - 1) * 1e4) / Math.sqrt(60));
    this.put(F.EMA_GAP_300, ((mid / this.ema300 - 1) * 1e4) / Math.sqrt(300));
    const two = hasBid && hasAsk;
    this.put(F.SPREAD, two ? ((x.ask - x.bid) / mid) * 1e4 : 0);
    const top = x.bidSize + x.askSize;
    this.put(F.IMBALANCE_1, top > 0 ? (x.bidSize - x.askSize) / top : 0);
    const depth = x.bidDepth + x.askDepth;
    this.put(F.IMBALANCE_DEPTH, depth > 0 ? (x.bidDepth - x.askDepth) / depth : 0);
    // Microprice (the size-weighted mid) against the mid, in spreads.
    this.put(F.MICROPRICE, two && top > 0 && x.ask > x.bid ? ((x.ask * x.bidSize + x.bid * x.askSize) / top - mid) / (x.ask - x.bid) : 0);
    if (depth > 0) this.depthEma = Number.isNaN(this.depthEma) ? depth : this.depthEma + (2 / 601) * (depth - this.depthEma);
    this.put(F.DEPTH_SURGE, depth > 0 && this.depthEma > 0 ? Math.log(depth / this.depthEma) : 0);
    const day = (((x.timeMs % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
    this.put(F.TOD_SIN, Math.sin(2 * Math.PI * day));
    this.put(F.TOD_COS, Math.cos(2 * Math.PI * day));
    // 1970-01-01 was a Thursday: day 0 of the week is Monday.
    const week = (((Math.floor(x.timeMs / DAY_MS) + 3) % 7) + 7) % 7 / 7;
    this.put(F.DOW_SIN, Math.sin(2 * Math.PI * week));
    this.put(F.DOW_COS, Math.cos(2 * Math.PI * week));
    this.account(x, mid);
    if (this.memory !== undefined) this.remember(x, two);
    return this.obs;
  }

  /** Features 47-50: what the memory says of the newest candle's state, asked at this decision (see memory-features.ts). */
  private remember(x: MarketInput, two: boolean): void {
    const a = this.memory!.observe(x.timeMs, two && x.ask >= x.bid ? x : null);
    if (a === null) return;
    this.put(F.MEM_RISK, a.risk);
    this.put(F.MEM_CONFIDENCE, a.confidence);
    this.put(F.MEM_ANOMALY, a.anomaly ? 1 : 0);
    this.put(F.MEM_SIMILARITY, a.bestSimilarity);
  }

  /** Features 39-46: the account, valued at the mid. */
  private account(x: MarketInput, mid: number): void {
    const px = mid > 0 ? mid : 0;
    const equity = x.quote + x.base * px;
    this.equity = equity;
    if (Number.isNaN(this.startEquity) && equity > 0) this.startEquity = equity;
    if (!(equity <= this.peakEquity)) this.peakEquity = equity;
    // Average cost of the holding: a purchase (holdings up) at the mid moves it; a sale does not.
    const dBase = x.base - this.lastBase;
    if (x.base <= 1e-12) this.avgCost = NaN;
    else if (dBase > 1e-12) this.avgCost = Number.isNaN(this.avgCost) || this.lastBase <= 1e-12 ? px : (this.avgCost * this.lastBase + dBase * px) / x.base;
    this.heldSteps = x.base > 1e-12 ? (this.lastBase > 1e-12 ? this.heldSteps + 1 : 0) : 0;
    this.sinceTrade = Math.abs(dBase) > 1e-12 ? 0 : this.sinceTrade + 1;
    this.lastBase = x.base;
    const positive = equity > 0;
    this.put(F.EXPOSURE, positive ? (x.base * px) / equity : 0);
    this.put(F.CASH, positive ? x.quote / equity : 0);
    const upnl = x.base > 1e-12 && this.avgCost > 0 ? x.base * (px - this.avgCost) : 0;
    this.put(F.UPNL_EQUITY, positive ? (upnl / equity) * 100 : 0);
    this.put(F.UPNL_COST, this.avgCost > 0 ? (px / this.avgCost - 1) * 100 : 0);
    this.put(F.EQUITY_RET, positive && this.startEquity > 0 ? Math.log(equity / this.startEquity) * 100 : 0);
    this.put(F.DRAWDOWN, this.peakEquity > 0 ? (1 - equity / this.peakEquity) * 100 : 0);
    this.put(F.HELD, Math.log1p(this.heldSteps));
    this.put(F.SINCE_TRADE, Math.log1p(this.sinceTrade));
  }

  /** Writes feature `i` clipped to its bounds; NaN (no history yet) becomes 0. */
  private put(i: number, v: number): void {
    const f = FEATURES[i];
    this.obs[i] = v !== v ? 0 : v < f.low ? f.low : v > f.high ? f.high : v;
  }

  private meanOf(r: Ring, n: number): number {
    const k = Math.min(n, r.count);
    let s = 0;
    for (let i = 0; i < k; i++) s += r.at(i);
    return k === 0 ? 0 : s / k;
  }

  private rmsOf(r: Ring, n: number): number {
    const k = Math.min(n, r.count);
    let s = 0;
    for (let i = 0; i < k; i++) s += r.at(i) ** 2;
    return k === 0 ? 0 : Math.sqrt(s / k);
  }
}
