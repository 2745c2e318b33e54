// The fast historical replay: strategies on recorded bars, one or several pairs sharing cash, no allocation per bar.
//
// Order of events at each time step T (bars of every pair are aligned by their open time):
//   1. open:  orders decided at each pair's previous close fill at this bar's open (market/fills/costs.ts);
//   2. inside the bar: protective exits of open trades, by the one rule in market/fills/exits.ts;
//   3. close: equity is marked to the closes; the risk manager observes it (and may trip the
//      circuit breaker: every position is then closed at the NEXT open, reason "circuit-breaker");
//   4. close: each pair's strategy gets the bar and answers; "enter"/"exit" become orders for
//      step 1 of that pair's next bar. Nothing a strategy says can fill at a price it has seen.
import type { RiskEvent } from "../../agents/risk/risk.ts";
import type { Candle, ExitRules, Regime, Strategy } from "../../agents/strategies/strategy.ts";
import type { Ohlcv } from "../ohlcv.ts";
import { affordableSize, buyPrice, checkFillModel, DEFAULT_FILL, sellPrice, type FillModel } from "../../market/fills/costs.ts";
import { EXIT_REASONS, ProtectiveExits, sortRoi, type ExitReason } from "../../market/fills/exits.ts";
import type { RiskGate } from "./risk-gate.ts";

/** One pair's bars, at the timeframe its strategy consumes. */
export interface PairBars {
  /** Name used in trades and risk events, e.g. "BTC/USDT" or a file's name. */
  readonly pair: string;
  readonly bars: Ohlcv;
}

/** A closed round trip. Times are Unix ms of the bar at whose open the fill happened (see `runBacktest`). */
export interface BacktestTrade {
  readonly pair: string;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly side: "long";
  /** Fill prices including slippage, quote per base. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Base units. */
  readonly size: number;
  /** Commission paid on entry and exit, quote. */
  readonly fees: number;
  /** Proceeds of the exit minus everything the entry cost, fees included, quote. */
  readonly pnl: number;
  readonly exitReason: ExitReason;
}

/** Regime labels in code order: `BacktestResult.regime` holds indexes into this list. */
export const REGIME_LABELS: readonly Regime[] = ["warming-up", "trending-up", "trending-down", "ranging", "volatile", "crisis"];
/** Code of a step with no label (the first pair had no bar yet). */
export const NO_REGIME = 255;
const REGIME_CODE: Readonly<Record<string, number>> = Object.fromEntries(REGIME_LABELS.map((r, i) => [r, i]));

export interface BacktestOptions {
  readonly pairs: readonly PairBars[];
  /** One fresh strategy per pair, same order. */
  readonly strategies: readonly Strategy[];
  /** Default DEFAULT_FILL (commission 0.001, slippage 0.0005). */
  readonly fill?: FillModel;
  /** Starting cash, quote. Default 10,000. */
  readonly cash?: number;
  /** The risk manager; null or absent = risk off (all-in sizing, only the strategies' exits). */
  readonly risk?: RiskGate | null;
  /**
   * Leading time steps fed to the strategies with their signals ignored and nothing recorded
   * (indicator warm-up from data before the period measured, as walk-forward tests use). Default 0.
   */
  readonly warmupBars?: number;
}

export interface BacktestResult {
  readonly pairs: readonly string[];
  /** Time of each recorded step (the union of the pairs' bar times after warm-up), Unix ms. */
  readonly time: Float64Array;
  /**
   * Equity at each step's close, quote: cash + Σ size × last close. The last value is the
   * final equity, after the end-of-data exits paid their slippage and commission.
   */
  readonly equity: Float64Array;
  /** 1 where some position was held at the step's close. */
  readonly exposure: Uint8Array;
  /** The first pair's strategy's regime at each step (codes into REGIME_LABELS); null if it has no regime(). */
  readonly regime: Uint8Array | null;
  readonly trades: readonly BacktestTrade[];
  /** The risk manager's events of this run (empty with risk off). */
  readonly riskEvents: readonly RiskEvent[];
  readonly initialCash: number;
  readonly finalEquity: number;
  /** Bars the strategies consumed after warm-up, summed over pairs. */
  readonly bars: number;
}

const NONE = 0;
const ENTER = 1;
const EXIT = 2;
const MINUTE_MS = 60_000;
const R_SIGNAL = EXIT_REASONS.indexOf("signal");
const R_CIRCUIT = EXIT_REASONS.indexOf("circuit-breaker");

/** Sorted union of the pairs' bar times (the first pair's array itself when there is one). */
function timeline(pairs: readonly PairBars[]): Float64Array {
  if (pairs.length === 1) return pairs[0].bars.timestamps;
  const all: number[] = [];
  for (const p of pairs) for (const t of p.bars.timestamps) all.push(t);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of all) if (out.length === 0 || out[out.length - 1] !== t) out.push(t);
  return Float64Array.from(out);
}

/**
 * Replays bars through strategies: a decision at bar t's close fills at bar t+1's open (with
 * slippage and commission), protective exits follow the rule of market/fills/exits.ts, and the risk
 * manager (when given) sizes entries, adds its stop/take-profit and may close everything.
 *
 * Sizing: risk off, all-in: an entry spends all free cash, size = cash / (open·(1+s)·(1+c)).
 * Risk on: at the decision the manager allows a quote amount (asked for all free cash, with the
 * equity at that close, the exposure and the open trades counting orders not yet filled); at the
 * fill, size = min(allowed·(1+c), cash) / (fill price·(1+c)). Exits sell the whole position.
 * Long-only spot: cash never goes below 0 and there is no leverage. With several pairs, entries
 * decided at the same close fill in the order of `pairs`, each spending what is left. While the
 * manager is paused (daily loss, circuit breaker) "enter" signals are not put to it: the pause is
 * its one recorded event. A blocked entry is asked again on the next "enter" signal.
 *
 * Times in trades are those of the bars at whose open the fill happened; an exit by stop or
 * ROI inside bar t carries bar t's time. A trade still open after the last bar is closed at its
 * pair's last close (less slippage and commission), exitReason "end-of-data", exit time that
 * bar's; orders still pending then are dropped. Strategy and risk manager see only closed bars:
 * the runner hands a strategy one reused Candle holding the current bar, never the arrays.
 * @throws RangeError for no pairs, a strategy count that differs, a bad fill model, cash or warm-up.
 */
export function runBacktest(o: BacktestOptions): BacktestResult {
  const pairs = o.pairs;
  const P = pairs.length;
  if (P === 0) throw new RangeError("pairs: at least one pair is needed");
  if (o.strategies.length !== P) throw new RangeError(`strategies: ${o.strategies.length} given for ${P} pairs (one per pair)`);
  const fill = checkFillModel(o.fill ?? DEFAULT_FILL);
  const initialCash = o.cash ?? 10_000;
  if (!(Number.isFinite(initialCash) && initialCash > 0)) throw new RangeError(`cash: ${initialCash} must be a positive number`);
  const warmup = o.warmupBars ?? 0;
  if (!(Number.isSafeInteger(warmup) && warmup >= 0)) throw new RangeError(`warmupBars: ${warmup} must be a non-negative integer`);
  const risk = o.risk ?? null;
  const eventsBefore = risk === null ? 0 : risk.events.length;
  const c = fill.commission;

  const times = timeline(pairs);
  const steps = times.length;
  const start = Math.min(warmup, steps);
  const n = steps - start;
  const outTime = times.subarray(start).slice();
  const equity = new Float64Array(n);
  const exposure = new Uint8Array(n);
  const lead = o.strategies[0];
  const regime = typeof lead.regime === "function" ? new Uint8Array(n).fill(NO_REGIME) : null;

  const names = pairs.map((p) => p.pair);
  const ts = pairs.map((p) => p.bars.timestamps);
  const op = pairs.map((p) => p.bars.open);
  const hi = pairs.map((p) => p.bars.high);
  const lo = pairs.map((p) => p.bars.low);
  const cl = pairs.map((p) => p.bars.close);
  const vo = pairs.map((p) => p.bars.volume);
  const len = Int32Array.from(pairs, (p) => p.bars.timestamps.length);
  const strategies = o.strategies;
  const rules: ExitRules[] = strategies.map((s) => s.exits);
  const roi = rules.map((r) => sortRoi(r.roi));

  const cur = new Int32Array(P);
  const size = new Float64Array(P);
  const entryPx = new Float64Array(P);
  const entryCost = new Float64Array(P);
  const entryFee = new Float64Array(P);
  const entryTime = new Float64Array(P);
  const best = new Float64Array(P);
  const lastClose = new Float64Array(P);
  const lastTime = new Float64Array(P);
  const pending = new Int8Array(P);
  const pendingReason = new Int8Array(P);
  const budget = new Float64Array(P);
  const trades: BacktestTrade[] = [];
  const pe = new ProtectiveExits();
  const candle: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  let cash = initialCash;
  let consumed = 0;

  const close = (p: number, rawPrice: number, time: number, reason: ExitReason): void => {
    const px = sellPrice(fill, rawPrice);
    const gross = size[p] * px;
    const fee = gross * c;
    cash += gross - fee;
    trades.push({
      pair: names[p], entryTime: entryTime[p], exitTime: time, side: "long", entryPrice: entryPx[p], exitPrice: px,
      size: size[p], fees: entryFee[p] + fee, pnl: gross - fee - entryCost[p], exitReason: reason,
    });
    size[p] = 0;
  };

  for (let step = 0; step < steps; step++) {
    const T = times[step];
    const trading = step >= start;
    // 1-2. Fills at the open, then protective exits inside the bar.
    for (let p = 0; p < P; p++) {
      const i = cur[p];
      if (i >= len[p] || ts[p][i] !== T) continue;
      if (trading) {
        const open = op[p][i];
        if (pending[p] === ENTER) {
          const px = buyPrice(fill, open);
          const spend = Math.min(budget[p] * (1 + c), cash);
          if (spend > 0) {
            const sz = affordableSize(spend, px, c);
            size[p] = sz;
            entryPx[p] = px;
            entryCost[p] = spend;
            entryFee[p] = sz * px * c;
            entryTime[p] = T;
            best[p] = px;
            cash -= spend;
          }
        } else if (pending[p] === EXIT) {
          close(p, open, T, EXIT_REASONS[pendingReason[p]]);
        }
        pending[p] = NONE;
        if (size[p] > 0) {
          pe.levels(rules[p], roi[p], risk, entryPx[p], best[p], (T - entryTime[p]) / MINUTE_MS);
          if (pe.check(open, hi[p][i], lo[p][i])) {
            const reason = pe.reason;
            if (pe.byRisk && risk !== null) {
              risk.forced(T, names[p], reason, `exit at ${pe.price.toFixed(2)} (entry ${entryPx[p].toFixed(2)}, level ${(reason === "roi" ? pe.take : pe.stop).toFixed(2)})`);
            }
            close(p, pe.price, T, reason);
          } else if (hi[p][i] > best[p]) best[p] = hi[p][i];
        }
      }
      lastClose[p] = cl[p][i];
      lastTime[p] = T;
    }
    // 3. Mark to the closes; the risk manager observes.
    let eq = cash;
    let exposureQuote = 0;
    let openTrades = 0;
    let closingAll = false;
    if (trading) {
      for (let p = 0; p < P; p++) {
        if (size[p] > 0) {
          exposureQuote += size[p] * lastClose[p];
          openTrades++;
        }
      }
      eq += exposureQuote;
      const k = step - start;
      equity[k] = eq;
      exposure[k] = openTrades > 0 ? 1 : 0;
      if (risk !== null) {
        risk.observe(T, eq);
        if (risk.closeAllNow) {
          closingAll = true;
          for (let p = 0; p < P; p++) {
            if (size[p] > 0) {
              pending[p] = EXIT;
              pendingReason[p] = R_CIRCUIT;
              risk.forced(T, names[p], "circuit-breaker", `close ${size[p].toPrecision(6)} at the next open (equity ${eq.toFixed(2)})`);
            } else pending[p] = NONE;
          }
        }
      }
    }
    // 4. The strategies see the closed bar and answer.
    for (let p = 0; p < P; p++) {
      const i = cur[p];
      if (i >= len[p] || ts[p][i] !== T) continue;
      candle.time = T;
      candle.open = op[p][i];
      candle.high = hi[p][i];
      candle.low = lo[p][i];
      candle.close = cl[p][i];
      candle.volume = vo[p][i];
      const signal = strategies[p].update(candle);
      cur[p] = i + 1;
      if (!trading) continue;
      consumed++;
      if (signal === "enter") {
        if (size[p] > 0 || pending[p] !== NONE || closingAll) continue;
        if (risk === null) {
          pending[p] = ENTER;
          budget[p] = Infinity;
          continue;
        }
        if (risk.paused) continue;
        let free = cash;
        let pendingQuote = 0;
        let pendingCount = 0;
        for (let q = 0; q < P; q++) {
          if (pending[q] === ENTER) {
            free -= budget[q] * (1 + c);
            pendingQuote += budget[q];
            pendingCount++;
          }
        }
        const allowed = risk.sizeEntry(T, names[p], Math.max(0, free) / (1 + c), eq, exposureQuote + pendingQuote, openTrades + pendingCount);
        if (allowed > 0) {
          pending[p] = ENTER;
          budget[p] = allowed;
        }
      } else if (signal === "exit" && size[p] > 0 && pending[p] === NONE) {
        pending[p] = EXIT;
        pendingReason[p] = R_SIGNAL;
      }
    }
    if (regime !== null && trading && cur[0] > 0) {
      const code = REGIME_CODE[lead.regime!()];
      regime[step - start] = code === undefined ? NO_REGIME : code;
    }
  }
  for (let p = 0; p < P; p++) if (size[p] > 0) close(p, lastClose[p], lastTime[p], "end-of-data");
  if (n > 0) equity[n - 1] = cash;
  return {
    pairs: names, time: outTime, equity, exposure, regime, trades,
    riskEvents: risk === null ? [] : risk.events.slice(eventsBefore),
    initialCash, finalEquity: cash, bars: consumed,
  };
}
