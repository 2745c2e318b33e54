// The 128 slots of a market-state embedding: which block each slot belongs to and how much each block weighs.
//
// Every feature is a dimensionless number squashed into [-1, 1] (see embedding.ts for each
// formula). Blocks differ in size, so before the vector is normalised each block is scaled to a
// chosen share of the squared norm (`weight`): without it the 24 one-bar returns would decide
// every cosine similarity and the 3 RSIs none.

/** One block of consecutive slots. */
export interface EmbeddingBlock {
  readonly name: string;
  /** First slot of the block. */
  readonly start: number;
  /** Slots in the block. */
  readonly size: number;
  /** Share of the squared norm a block whose features are all ±1 would take, before normalising. */
  readonly weight: number;
  /** What the slots hold, for the README and `arena memory query`. */
  readonly about: string;
}

/** Return horizons in bars (block "returns"). */
export const RETURN_HORIZONS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60, 90, 120] as const;
/** Simple-moving-average windows the close is compared with (block "trend"). */
export const TREND_WINDOWS = [5, 10, 20, 50, 100, 200] as const;
/** Windows of realised volatility compared with the 240-bar one (block "vol-ratio"). */
export const VOL_RATIO_WINDOWS = [5, 10, 15, 20, 30, 60, 120] as const;
/** Windows of realised volatility per minute (block "vol-level"). */
export const VOL_LEVEL_WINDOWS = [20, 60, 240] as const;
/** Windows of mean volume the bar's volume is compared with (block "volume"). */
export const VOLUME_WINDOWS = [5, 10, 20, 60, 120] as const;
/** RSI periods (block "rsi"). */
export const RSI_PERIODS = [6, 14, 28] as const;
/** MACD (fast, slow, signal) settings (block "macd"). */
export const MACD_SETTINGS = [[12, 26, 9], [5, 35, 5]] as const;
/** ADX periods (block "adx"). */
export const ADX_PERIODS = [14, 28] as const;
/** Bollinger periods, 2 standard deviations (block "bollinger"). */
export const BOLLINGER_PERIODS = [20, 50] as const;
/** Windows of the high-low range the close is placed in (block "range"). */
export const RANGE_WINDOWS = [10, 20, 60, 120, 240] as const;
/** Windows of drawdown from the high and rally from the low (block "drawdown"). */
export const DRAWDOWN_WINDOWS = [20, 60, 240] as const;
/** Regime labels, one slot each (block "regime"). */
export const REGIMES = ["trending-up", "trending-down", "ranging", "volatile", "crisis", "warming-up"] as const;
/** One-bar returns of the latest bars (block "path-1"). */
export const PATH_1_BARS = 24;
/** Five-bar returns of the latest blocks of five (block "path-5"). */
export const PATH_5_BLOCKS = 12;
/** Volumes of the latest bars against their 20-bar mean (block "volume-path"). */
export const VOLUME_PATH_BARS = 7;

const SIZES: readonly (readonly [name: string, size: number, weight: number, about: string])[] = [
  ["returns", RETURN_HORIZONS.length, 2, "log return over h bars in units of the 60-bar volatility times sqrt(h), h = 1..120"],
  ["trend", TREND_WINDOWS.length, 1, "log(close / SMA(w)) in units of the 60-bar volatility times sqrt(w)"],
  ["vol-ratio", VOL_RATIO_WINDOWS.length, 1, "log of realised volatility over w bars / over 240 bars"],
  ["vol-level", VOL_LEVEL_WINDOWS.length, 1, "log of realised volatility per minute over w bars against 0.08%"],
  ["volume", VOLUME_WINDOWS.length + 1, 1, "log(volume / mean volume of w bars); log(mean of 5 / mean of 120)"],
  ["rsi", RSI_PERIODS.length, 1, "(RSI - 50) / 50"],
  ["macd", 3 * MACD_SETTINGS.length, 1, "MACD, signal and histogram over close x 60-bar volatility"],
  ["adx", ADX_PERIODS.length, 0.5, "ADX / 50 - 1"],
  ["bollinger", 2 * BOLLINGER_PERIODS.length, 1, "band width against a random walk's; position of the close in the band"],
  ["atr", 2, 0.5, "ATR(14) / close per minute against 0.12%; ATR(14) against its 100-bar mean"],
  ["range", RANGE_WINDOWS.length, 1, "position of the close between the lowest low and the highest high of w bars"],
  ["drawdown", 2 * DRAWDOWN_WINDOWS.length, 1, "drawdown from the w-bar high and rally from the w-bar low, in volatility units"],
  ["book", 3, 0.5, "has a book (1/0), top-of-book size imbalance, log spread in basis points; 0 without a book"],
  ["regime", REGIMES.length, 1, "one-hot regime of RegimeDetector (agents/strategies/regime.ts), default parameters"],
  ["time", 4, 0.5, "sin and cos of the UTC time of day and of the day of the week"],
  ["candle", 6, 0.5, "body, upper and lower wick over the range: latest bar and mean of the last 5"],
  ["path-1", PATH_1_BARS, 1, "each of the last 24 one-bar returns in volatility units"],
  ["path-5", PATH_5_BLOCKS, 1, "each of the last 12 five-bar returns in volatility units"],
  ["volume-path", VOLUME_PATH_BARS, 0.5, "log(volume / 20-bar mean volume) of each of the last 7 bars"],
];

/** The blocks in slot order. */
export const EMBEDDING_BLOCKS: readonly EmbeddingBlock[] = (() => {
  let start = 0;
  return SIZES.map(([name, size, weight, about]) => {
    const b = Object.freeze({ name, start, size, weight, about });
    start += size;
    return b;
  });
})();

/** Length of every embedding. */
export const EMBEDDING_DIM = 128;

const total = EMBEDDING_BLOCKS.reduce((s, b) => s + b.size, 0);
if (total !== EMBEDDING_DIM) throw new Error(`embedding layout: blocks hold ${total} slots, not ${EMBEDDING_DIM}`);

/** Per-slot scale that gives each block its weight: sqrt(weight / size). */
export const SLOT_SCALE: Float64Array = (() => {
  const s = new Float64Array(EMBEDDING_DIM);
  for (const b of EMBEDDING_BLOCKS) s.fill(Math.sqrt(b.weight / b.size), b.start, b.start + b.size);
  return s;
})();

/** The block a slot belongs to. */
export function blockOf(slot: number): EmbeddingBlock {
  const b = EMBEDDING_BLOCKS.find((x) => slot >= x.start && slot < x.start + x.size);
  if (b === undefined) throw new RangeError(`slot: ${slot} is outside 0..${EMBEDDING_DIM - 1}`);
  return b;
}
