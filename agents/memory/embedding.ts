// The market-state embedding: closed bars in, a unit-length 128-d vector out, the same code in the simulator, on history and live.
import { BollingerBands, EMA, MACD, RSI } from "trading-signals";
import { Adx, Atr } from "../strategies/indicators/candle-indicators.ts";
import { RollingWindow } from "../strategies/indicators/window.ts";
import { BarGuard } from "../strategies/params.ts";
import { RegimeDetector, RegimeParams } from "../strategies/regime.ts";
import type { Candle, Regime } from "../strategies/strategy.ts";
import {
  ADX_PERIODS,
  BOLLINGER_PERIODS,
  DRAWDOWN_WINDOWS,
  EMBEDDING_DIM,
  MACD_SETTINGS,
  PATH_1_BARS,
  PATH_5_BLOCKS,
  RANGE_WINDOWS,
  REGIMES,
  RETURN_HORIZONS,
  RSI_PERIODS,
  SLOT_SCALE,
  TREND_WINDOWS,
  VOL_LEVEL_WINDOWS,
  VOL_RATIO_WINDOWS,
  VOLUME_PATH_BARS,
  VOLUME_WINDOWS,
} from "./embedding-layout.ts";

/** The top of an order book, where one exists (simulator, live); prices in quote, sizes in base. */
export interface BookTop {
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
}

/** Bars an embedder needs before its first vector: 240 one-bar returns. */
export const EMBEDDING_STARTUP_BARS = 241;

/** Bars kept: the longest window (240 returns, so 241 closes) rounded up. */
const KEEP = 256;
/** Per-minute volatility that maps to 0 in "vol-level" (a typical BTC minute). */
const VOL_PER_MINUTE_REF = 0.0008;
/** Per-minute ATR / close that maps to 0 in "atr". */
const ATR_PER_MINUTE_REF = 0.0012;
/** Floor of the 60-bar volatility, so a flat stretch gives finite z-scores. */
const MIN_VOL = 1e-9;

const tanh = Math.tanh;
const ln = Math.log;

/** log(a / b) when both are positive, else 0 ("no information" rather than ±Infinity). */
function logRatio(a: number, b: number): number {
  return a > 0 && b > 0 ? ln(a / b) : 0;
}

/**
 * Streams closed bars into market-state embeddings. Deterministic: a pure function of the bars
 * (and book tops) it was given, in order; no clock, no randomness, no state outside the object.
 * Every feature is dimensionless (returns in units of recent volatility, ratios, oscillators),
 * so the same market shape on 1-minute or 1-hour bars lands near the same point; the block
 * layout and formulas are in embedding-layout.ts. The vector is scaled per block and then to
 * unit length, so a dot product is the cosine similarity.
 */
export class StateEmbedder {
  private readonly guard = new BarGuard();
  private readonly close = new RollingWindow(KEEP);
  private readonly high = new RollingWindow(KEEP);
  private readonly low = new RollingWindow(KEEP);
  private readonly volume = new RollingWindow(KEEP);
  private readonly ret = new RollingWindow(KEEP);
  private readonly body = new RollingWindow(5);
  private readonly upper = new RollingWindow(5);
  private readonly lower = new RollingWindow(5);
  private readonly rsis = RSI_PERIODS.map((p) => new RSI(p));
  private readonly macds = MACD_SETTINGS.map(([f, s, g]) => new MACD(new EMA(f), new EMA(s), new EMA(g)));
  private readonly adxs = ADX_PERIODS.map((p) => new Adx(p));
  private readonly bands = BOLLINGER_PERIODS.map((p) => new BollingerBands(p, 2));
  private readonly atr = new Atr(14);
  private readonly atrHistory = new RollingWindow(100);
  private readonly regimeDetector = new RegimeDetector(RegimeParams.parse({}));
  private readonly rsi = new Float64Array(RSI_PERIODS.length);
  private readonly macd = new Float64Array(3 * MACD_SETTINGS.length);
  private readonly adx = new Float64Array(ADX_PERIODS.length);
  private readonly band = new Float64Array(3 * BOLLINGER_PERIODS.length);
  private atrValue = NaN;
  private label: Regime = "warming-up";
  private prevTime = NaN;
  private barMinutes = NaN;
  private bars = 0;

  /** @param barMinutes bar length in minutes; default: the spacing of the first two bars. */
  constructor(barMinutes?: number) {
    if (barMinutes !== undefined) {
      if (!(barMinutes > 0 && Number.isFinite(barMinutes))) throw new RangeError(`barMinutes: ${barMinutes} is invalid: must be a positive number`);
      this.barMinutes = barMinutes;
    }
  }

  /** Bars consumed so far. */
  get count(): number {
    return this.bars;
  }

  /** The regime label as of the latest bar. */
  get regime(): Regime {
    return this.label;
  }

  /**
   * Consumes the next closed bar and, once {@link EMBEDDING_STARTUP_BARS} bars are in, returns
   * its embedding (a new array, unit length); null while warming up.
   * @param book the top of the book at the bar's close, where a book exists.
   * @throws RangeError when bar times do not increase, a value is not finite, or a price is not positive.
   */
  update(bar: Candle, book?: BookTop | null): Float32Array | null {
    // Before the guard, which records the bar's time: a refused bar must leave no trace.
    if (bar.close <= 0 || bar.high <= 0 || bar.low <= 0) throw new RangeError(`bar.close: ${bar.close} is invalid: prices must be positive (high ${bar.high}, low ${bar.low})`);
    this.guard.check(bar);
    if (this.barMinutes !== this.barMinutes && this.prevTime === this.prevTime) this.barMinutes = (bar.time - this.prevTime) / 60_000;
    this.prevTime = bar.time;
    const prevClose = this.close.ago(0);
    this.close.push(bar.close);
    this.high.push(bar.high);
    this.low.push(bar.low);
    this.volume.push(bar.volume);
    if (prevClose === prevClose) this.ret.push(ln(bar.close / prevClose));
    const range = bar.high - bar.low;
    this.body.push(range > 0 ? (bar.close - bar.open) / range : 0);
    this.upper.push(range > 0 ? (bar.high - Math.max(bar.open, bar.close)) / range : 0);
    this.lower.push(range > 0 ? (Math.min(bar.open, bar.close) - bar.low) / range : 0);
    for (let i = 0; i < this.rsis.length; i++) this.rsi[i] = this.rsis[i].update(bar.close, false) ?? 50;
    for (let i = 0; i < this.macds.length; i++) {
      const m = this.macds[i].update(bar.close, false);
      this.macd[3 * i] = m?.macd ?? 0;
      this.macd[3 * i + 1] = m?.signal ?? 0;
      this.macd[3 * i + 2] = m?.histogram ?? 0;
    }
    for (let i = 0; i < this.adxs.length; i++) this.adx[i] = this.adxs[i].update(bar) ?? 0;
    for (let i = 0; i < this.bands.length; i++) {
      const b = this.bands[i].update(bar.close, false);
      this.band[3 * i] = b?.lower ?? bar.close;
      this.band[3 * i + 1] = b?.middle ?? bar.close;
      this.band[3 * i + 2] = b?.upper ?? bar.close;
    }
    this.atrValue = this.atr.update(bar) ?? NaN;
    if (this.atrValue === this.atrValue) this.atrHistory.push(this.atrValue);
    this.label = this.regimeDetector.update(bar);
    if (++this.bars < EMBEDDING_STARTUP_BARS) return null;
    return this.vector(bar, book ?? null);
  }

  /** Standard deviation of the last `w` one-bar log returns (population). */
  private vol(w: number): number {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < w; i++) {
      const r = this.ret.ago(i);
      s += r;
      s2 += r * r;
    }
    const m = s / w;
    return Math.sqrt(Math.max(0, s2 / w - m * m));
  }

  private meanOf(win: RollingWindow, w: number, from = 0): number {
    let s = 0;
    for (let i = from; i < from + w; i++) s += win.ago(i);
    return s / w;
  }

  private vector(bar: Candle, book: BookTop | null): Float32Array {
    const out = new Float64Array(EMBEDDING_DIM);
    let k = 0;
    const c = bar.close;
    const sigma = Math.max(this.vol(60), MIN_VOL);
    const sigmaLong = Math.max(this.vol(240), MIN_VOL);
    const perMinute = Math.sqrt(this.barMinutes > 0 ? this.barMinutes : 1);
    for (const h of RETURN_HORIZONS) out[k++] = tanh(ln(c / this.close.ago(h)) / (sigma * Math.sqrt(h)) / 2);
    for (const w of TREND_WINDOWS) out[k++] = tanh(ln(c / this.meanOf(this.close, w)) / (sigma * Math.sqrt(w)));
    for (const w of VOL_RATIO_WINDOWS) out[k++] = tanh(logRatio(this.vol(w), sigmaLong));
    for (const w of VOL_LEVEL_WINDOWS) out[k++] = tanh(logRatio(this.vol(w) / perMinute, VOL_PER_MINUTE_REF) / 1.5);
    for (const w of VOLUME_WINDOWS) out[k++] = tanh(logRatio(bar.volume, this.meanOf(this.volume, w)) / 2);
    out[k++] = tanh(logRatio(this.meanOf(this.volume, 5), this.meanOf(this.volume, 120)) / 2);
    for (let i = 0; i < this.rsi.length; i++) out[k++] = (this.rsi[i] - 50) / 50;
    for (let i = 0; i < this.macd.length; i++) out[k++] = tanh(this.macd[i] / (c * sigma) / 4);
    for (let i = 0; i < this.adx.length; i++) out[k++] = this.adx[i] / 50 - 1;
    for (let i = 0; i < BOLLINGER_PERIODS.length; i++) {
      const [lo, mid, up] = [this.band[3 * i], this.band[3 * i + 1], this.band[3 * i + 2]];
      const width = up - lo;
      out[k++] = tanh(logRatio(width / mid, 4 * sigmaLong * Math.sqrt(BOLLINGER_PERIODS[i])));
      out[k++] = width > 0 ? tanh(2 * ((c - lo) / width - 0.5)) : 0;
    }
    out[k++] = tanh(logRatio(this.atrValue / c / perMinute, ATR_PER_MINUTE_REF) / 1.5);
    out[k++] = tanh(logRatio(this.atrValue, this.atrHistory.full ? this.meanOf(this.atrHistory, 100) : this.atrValue));
    for (const w of RANGE_WINDOWS) {
      const [lo, hi] = this.extremes(w);
      out[k++] = hi > lo ? 2 * (c - lo) / (hi - lo) - 1 : 0;
    }
    for (const w of DRAWDOWN_WINDOWS) {
      const [lo, hi] = this.extremes(w);
      const unit = sigma * Math.sqrt(w);
      out[k++] = tanh(ln(c / hi) / unit);
      out[k++] = tanh(ln(c / lo) / unit);
    }
    if (book !== null) {
      checkBook(book);
      const size = book.bidSize + book.askSize;
      out[k++] = 1;
      out[k++] = size > 0 ? (book.bidSize - book.askSize) / size : 0;
      out[k++] = tanh(logRatio((book.ask - book.bid) / ((book.ask + book.bid) / 2) * 1e4, 1) / 2);
    } else k += 3;
    for (const r of REGIMES) out[k++] = r === this.label ? 1 : 0;
    const day = 86_400_000;
    const tod = ((bar.time % day) + day) % day / day;
    const dow = ((Math.floor(bar.time / day) + 3) % 7 + 7) % 7 / 7; // 1970-01-01 was a Thursday: Monday = 0.
    out[k++] = Math.sin(2 * Math.PI * tod);
    out[k++] = Math.cos(2 * Math.PI * tod);
    out[k++] = Math.sin(2 * Math.PI * dow);
    out[k++] = Math.cos(2 * Math.PI * dow);
    out[k++] = this.body.ago(0);
    out[k++] = this.upper.ago(0);
    out[k++] = this.lower.ago(0);
    out[k++] = this.meanOf(this.body, 5);
    out[k++] = this.meanOf(this.upper, 5);
    out[k++] = this.meanOf(this.lower, 5);
    for (let i = 0; i < PATH_1_BARS; i++) out[k++] = tanh(this.ret.ago(i) / sigma / 2);
    for (let b = 0; b < PATH_5_BLOCKS; b++) {
      let s = 0;
      for (let i = 5 * b; i < 5 * b + 5; i++) s += this.ret.ago(i);
      out[k++] = tanh(s / (sigma * Math.sqrt(5)) / 2);
    }
    const vol20 = this.meanOf(this.volume, 20);
    for (let i = 0; i < VOLUME_PATH_BARS; i++) out[k++] = tanh(logRatio(this.volume.ago(i), vol20) / 2);
    if (k !== EMBEDDING_DIM) throw new Error(`StateEmbedder: wrote ${k} slots, not ${EMBEDDING_DIM}`);
    return finish(out);
  }

  /** Lowest low and highest high of the last `w` bars. */
  private extremes(w: number): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < w; i++) {
      lo = Math.min(lo, this.low.ago(i));
      hi = Math.max(hi, this.high.ago(i));
    }
    return [lo, hi];
  }
}

function checkBook(book: BookTop): void {
  for (const f of ["bid", "ask", "bidSize", "askSize"] as const) {
    if (!Number.isFinite(book[f]) || book[f] < 0) throw new RangeError(`book.${f}: ${book[f]} is invalid: must be finite and not negative`);
  }
  if (!(book.bid > 0 && book.ask >= book.bid)) throw new RangeError(`book.ask: ${book.ask} is invalid: must be at or above a positive bid (${book.bid})`);
}

/** Applies the block weights and scales to unit length. @throws Error on a non-finite slot (a bug, not bad input). */
function finish(x: Float64Array): Float32Array {
  let n = 0;
  for (let i = 0; i < EMBEDDING_DIM; i++) {
    const v = x[i] * SLOT_SCALE[i];
    if (!Number.isFinite(v)) throw new Error(`StateEmbedder: slot ${i} is ${x[i]}`);
    x[i] = v;
    n += v * v;
  }
  const inv = 1 / Math.sqrt(n);
  const out = new Float32Array(EMBEDDING_DIM);
  for (let i = 0; i < EMBEDDING_DIM; i++) out[i] = x[i] * inv;
  return out;
}

/** Bars as columns, the shape experiments/ohlcv.ts loads. */
export interface BarColumns {
  readonly timestamps: ArrayLike<number>;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

/** Embeddings of every bar past the warm-up: `vectors` holds `times.length` rows of 128. */
export interface EmbeddedBars {
  /** Index into the bars of each row. */
  readonly rows: Int32Array;
  readonly times: Float64Array;
  readonly regimes: Regime[];
  readonly vectors: Float32Array;
}

/** Embeds bars in one pass with one {@link StateEmbedder} (what a bot streaming them would see). */
export function embedBars(bars: BarColumns, barMinutes?: number): EmbeddedBars {
  const n = bars.close.length;
  const e = new StateEmbedder(barMinutes);
  const rows: number[] = [];
  const regimes: Regime[] = [];
  const vectors = new Float32Array(Math.max(0, n - EMBEDDING_STARTUP_BARS + 1) * EMBEDDING_DIM);
  const candle: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < n; i++) {
    candle.time = bars.timestamps[i];
    candle.open = bars.open[i];
    candle.high = bars.high[i];
    candle.low = bars.low[i];
    candle.close = bars.close[i];
    candle.volume = bars.volume[i];
    const v = e.update(candle);
    if (v === null) continue;
    vectors.set(v, rows.length * EMBEDDING_DIM);
    rows.push(i);
    regimes.push(e.regime);
  }
  const times = Float64Array.from(rows, (i) => bars.timestamps[i]);
  return { rows: Int32Array.from(rows), times, regimes, vectors: vectors.subarray(0, rows.length * EMBEDDING_DIM) };
}
