// The market state's layout: every feature's index, bounds and scaling, in one table (agents/features/README.md shows it).

/** One observation element: its name, its bounds (values are clipped to them) and how it is scaled. */
export interface FeatureSpec {
  readonly name: string;
  readonly low: number;
  readonly high: number;
  readonly scaling: string;
}

const f = (name: string, low: number, high: number, scaling: string): FeatureSpec => ({ name, low, high, scaling });

/** The features in observation order. Changing this table means bumping MARKET_STATE_VERSION. */
export const FEATURES: readonly FeatureSpec[] = Object.freeze([
  // Per decision, from the mid (the book's best bid and ask).
  f("ret_1", -50, 50, "log return of the mid over 1 decision, bps / √1"),
  f("ret_5", -50, 50, "log return over 5 decisions, bps / √5"),
  f("ret_15", -50, 50, "log return over 15 decisions, bps / √15"),
  f("ret_60", -50, 50, "log return over 60 decisions, bps / √60"),
  f("ret_300", -50, 50, "log return over 300 decisions, bps / √300"),
  f("ret_900", -50, 50, "log return over 900 decisions, bps / √900"),
  f("rvol_60", 0, 50, "realised volatility: RMS of 1-decision log returns over 60 decisions, bps"),
  f("rvol_300", 0, 50, "the same over 300 decisions, bps"),
  f("ema_gap_60", -50, 50, "mid / EMA(60 decisions) − 1, bps / √60"),
  f("ema_gap_300", -50, 50, "mid / EMA(300 decisions) − 1, bps / √300"),
  f("spread", 0, 100, "(ask − bid) / mid, bps"),
  f("imbalance_1", -1, 1, "(bid size − ask size) / (sum) at the best level"),
  f("imbalance_depth", -1, 1, "the same over the first depthLevels levels"),
  f("microprice", -0.5, 0.5, "(size-weighted mid − mid) / spread"),
  f("depth_surge", -5, 5, "log(depth of both sides / its EMA over 600 decisions)"),
  // Per closed candle (the venue's candles: 1 minute in the simulator).
  f("c_ret_1", -100, 100, "log return of the last candle's close, bps / √1"),
  f("c_ret_5", -100, 100, "over 5 candles, bps / √5"),
  f("c_ret_15", -100, 100, "over 15 candles, bps / √15"),
  f("c_ret_60", -100, 100, "over 60 candles, bps / √60"),
  f("vol_surge", -5, 5, "volume surge: log(last candle's volume / mean of the last 20)"),
  f("vol_surge_5_60", -5, 5, "log(mean volume of 5 candles / of 60)"),
  f("rsi", -0.5, 0.5, "RSI(14) / 100 − 0.5"),
  f("macd", -100, 100, "MACD(12, 26) line / close, bps"),
  f("macd_signal", -100, 100, "its signal line EMA(9) / close, bps"),
  f("macd_hist", -100, 100, "histogram (line − signal) / close, bps"),
  f("adx", 0, 1, "ADX(14) / 100: trend strength"),
  f("bb_width", 0, 20, "Bollinger(20, 2) width (upper − lower) / middle, %"),
  f("bb_pctb", -2, 2, "Bollinger %B − 0.5: where the close sits in the band"),
  f("atr", 0, 20, "ATR(14) / close, %"),
  f("trend_er", -1, 1, "signed efficiency ratio over 20 candles: net move / path travelled"),
  f("sma60_atr", -10, 10, "(close − mean close of 60 candles) / ATR(14)"),
  f("candle_vol", 0, 50, "volatility: RMS of candle log returns over 30 candles, bps / 10"),
  f("vol_ratio", -3, 3, "log(volatility over 10 candles / over 60)"),
  f("range_pos", -0.5, 0.5, "(close − 60-candle low) / (high − low) − 0.5"),
  f("warm", 0, 1, "candles seen / 60, capped at 1: how much indicator history there is"),
  // Time of the decision (UTC).
  f("tod_sin", -1, 1, "sin(2π · time of day)"),
  f("tod_cos", -1, 1, "cos(2π · time of day)"),
  f("dow_sin", -1, 1, "sin(2π · day of week / 7), Monday 0"),
  f("dow_cos", -1, 1, "cos(2π · day of week / 7)"),
  // The account, valued at the mid.
  f("exposure", -1, 2, "position: base × mid / equity"),
  f("cash", -1, 2, "quote / equity"),
  f("upnl_equity", -100, 100, "unrealised PnL (base × (mid − average cost)) / equity, %"),
  f("upnl_cost", -100, 100, "mid / average cost − 1, % (0 when flat)"),
  f("equity_ret", -100, 100, "log(equity / equity at the first decision), %"),
  f("drawdown", 0, 100, "1 − equity / peak equity, %"),
  f("held", 0, 15, "log(1 + decisions since the position was opened), 0 when flat"),
  f("since_trade", 0, 15, "log(1 + decisions since holdings last changed)"),
  // The market memory (agents/features/memory-features.ts): 0 without a memory, and until the embedding has its 241 candles.
  f("mem_risk", -10, 10, "the memory's risk score of the state, in [0, 1]"),
  f("mem_confidence", -10, 10, "the memory's confidence, in [0, 1]"),
  f("mem_anomaly", -10, 10, "1 when the state is unlike anything remembered (best similarity < 0.7, or no neighbour), else 0"),
  f("mem_similarity", -10, 10, "cosine similarity of the nearest remembered state, in [-1, 1] (0 with none)"),
]);

/** Feature indexes by name, for the code that writes them. */
export const F = Object.freeze({
  RET_1: 0, RVOL_60: 6, RVOL_300: 7, EMA_GAP_60: 8, EMA_GAP_300: 9, SPREAD: 10, IMBALANCE_1: 11, IMBALANCE_DEPTH: 12,
  MICROPRICE: 13, DEPTH_SURGE: 14, C_RET_1: 15, VOL_SURGE: 19, VOL_SURGE_5_60: 20, RSI: 21, MACD: 22, MACD_SIGNAL: 23,
  MACD_HIST: 24, ADX: 25, BB_WIDTH: 26, BB_PCTB: 27, ATR: 28, TREND_ER: 29, SMA60_ATR: 30, CANDLE_VOL: 31, VOL_RATIO: 32,
  RANGE_POS: 33, WARM: 34, TOD_SIN: 35, TOD_COS: 36, DOW_SIN: 37, DOW_COS: 38, EXPOSURE: 39, CASH: 40, UPNL_EQUITY: 41,
  UPNL_COST: 42, EQUITY_RET: 43, DRAWDOWN: 44, HELD: 45, SINCE_TRADE: 46, MEM_RISK: 47,
  MEM_CONFIDENCE: 48, MEM_ANOMALY: 49, MEM_SIMILARITY: 50,
});
