// `npm run bench -- backtest [--json] [--ops BARS]`: bars/s of the historical replay, with a whole-array peer for a ratio.
//
// Data: a year of 1-minute bars (525,600; `--ops` changes the count) of a seeded random walk
// (log-returns N(0, 0.09%) — the real file's 1-minute standard deviation — with a volatility
// regime that changes every few days and log-normal volumes), made once, outside any timing.
//
// Headline (barsPerSec): the ensemble (trend following + mean reversion + breakout + regime
// detector) run on the 1-minute bars themselves (params.timeframe "1m"), risk manager on with
// the default rules, one thread, through runBacktest: every bar builds the Candle, updates
// all four members, checks exits and the risk manager, marks equity.
//
// Runner alone: a strategy that always holds, risk on: what the replay costs without indicators.
// Ratio: sma-cross (10/30) through the same runner, risk off, against a peer that does what
// a pandas notebook does: the whole close column to rolling means at once (Float64Array
// running sums), a crossing column, then one loop filling at the next open with the same
// costs. Same fill model, same trades (checked); the peer cannot stream or stop on a bar.
// Each path runs twice to warm up, then three timed runs; the median is reported.
import { DEFAULT_RISK, RiskManager } from "../agents/risk/risk-manager.ts";
import { createStrategy } from "../agents/strategies/registry.ts";
import { NO_EXITS, type Strategy } from "../agents/strategies/strategy.ts";
import { runBacktest } from "../experiments/backtest/runner.ts";
import type { Ohlcv } from "../experiments/ohlcv.ts";
import { Rng } from "../sim/rng.ts";
import type { BenchArgs } from "./main.ts";

const YEAR_OF_MINUTES = 525_600;
const FILL = { commission: 0.001, slippage: 0.0005 };

/** The synthetic year: seeded, so every run of the benchmark replays the same bars. */
export function syntheticBars(n: number, seed = "btc-arena/bench/backtest/v1"): Ohlcv {
  const rng = Rng.root(seed).fork("bars");
  const o = { timestamps: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const t0 = Date.UTC(2023, 0, 1);
  let p = 20_000;
  let vol = 0.0009;
  for (let i = 0; i < n; i++) {
    if (i % 4320 === 0) vol = 0.0009 * Math.exp(0.5 * rng.normal());
    const open = p;
    const close = open * Math.exp(vol * rng.normal());
    const wick = Math.abs(vol * rng.normal()) * 0.5;
    o.timestamps[i] = t0 + i * 60_000;
    o.open[i] = open;
    o.close[i] = close;
    o.high[i] = Math.max(open, close) * (1 + wick);
    o.low[i] = Math.min(open, close) * (1 - wick);
    o.volume[i] = 5 * Math.exp(0.8 * rng.normal());
    p = close;
  }
  return o;
}

/** Whole-column SMA crossover with next-open fills: the peer. Returns the trade count and final equity. */
function vectorisedSmaCross(b: Ohlcv, fast: number, slow: number, cash: number): { trades: number; equity: number } {
  const n = b.close.length;
  const sma = (w: number) => {
    const out = new Float64Array(n).fill(NaN);
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += b.close[i];
      if (i >= w) s -= b.close[i - w];
      if (i >= w - 1) out[i] = s / w;
    }
    return out;
  };
  const f = sma(fast);
  const sl = sma(slow);
  // Crossing column with Backtrader's rule: the last non-zero difference before this bar.
  const cross = new Int8Array(n);
  let nzd = NaN;
  for (let i = slow - 1; i < n; i++) {
    const d = f[i] - sl[i];
    if (i > slow - 1) cross[i] = nzd < 0 && d > 0 ? 1 : nzd > 0 && d < 0 ? -1 : 0;
    if (d !== 0 || i === slow - 1) nzd = d;
  }
  let size = 0;
  let trades = 0;
  for (let i = 1; i < n; i++) {
    const c = cross[i - 1];
    if (c > 0 && size === 0) {
      const px = b.open[i] * (1 + FILL.slippage);
      size = cash / (px * (1 + FILL.commission));
      cash = 0;
    } else if (c < 0 && size > 0) {
      cash = size * b.open[i] * (1 - FILL.slippage) * (1 - FILL.commission);
      size = 0;
      trades++;
    }
  }
  if (size > 0) {
    cash = size * b.close[n - 1] * (1 - FILL.slippage) * (1 - FILL.commission);
    trades++;
  }
  return { trades, equity: cash };
}

function timed<R>(f: () => R): { ns: number; r: R } {
  const t0 = process.hrtime.bigint();
  const r = f();
  return { ns: Number(process.hrtime.bigint() - t0), r };
}

function medianOf<R>(runs: number, f: () => R): { ns: number; r: R } {
  for (let i = 0; i < 2; i++) f();
  const xs = Array.from({ length: runs }, () => timed(f)).sort((a, b) => a.ns - b.ns);
  return xs[runs >> 1];
}

export async function run(args: BenchArgs): Promise<void> {
  const say = args.json ? (_: string) => {} : (line: string) => void process.stdout.write(`${line}\n`);
  const n = args.ops ?? YEAR_OF_MINUTES;
  say(`backtest benchmark: ${n.toLocaleString("en-US")} synthetic 1-minute bars (seeded random walk), one thread, Node ${process.version}`);
  const bars = syntheticBars(n);
  const pairs = [{ pair: "SYN/USDT", bars }];

  const ensemble = medianOf(3, () => runBacktest({ pairs, strategies: [createStrategy("ensemble", { timeframe: "1m" })], fill: FILL, risk: new RiskManager(DEFAULT_RISK) }));
  const ensPerSec = n / (ensemble.ns / 1e9);

  const hold: Strategy = { name: "hold", timeframe: "1m", startupBars: 0, exits: NO_EXITS, update: () => "hold" };
  const bare = medianOf(3, () => runBacktest({ pairs, strategies: [hold], fill: FILL, risk: new RiskManager(DEFAULT_RISK) }));
  const barePerSec = n / (bare.ns / 1e9);

  const sma = { fast: 10, slow: 30, timeframe: "1m" };
  const ours = medianOf(3, () => runBacktest({ pairs, strategies: [createStrategy("sma-cross", sma)], fill: FILL }));
  const peer = medianOf(3, () => vectorisedSmaCross(bars, sma.fast, sma.slow, 10_000));
  const oursPerSec = n / (ours.ns / 1e9);
  const peerPerSec = n / (peer.ns / 1e9);
  const same = ours.r.trades.length === peer.r.trades && Math.abs(ours.r.finalEquity - peer.r.equity) <= 1e-6 * peer.r.equity;

  if (args.json) {
    process.stdout.write(`${JSON.stringify({ barsPerSec: Math.round(ensPerSec), smaCrossBarsPerSec: Math.round(oursPerSec), peerBarsPerSec: Math.round(peerPerSec), runnerOnlyBarsPerSec: Math.round(barePerSec), ratio: Math.round((oursPerSec / peerPerSec) * 100) / 100 })}\n`);
    return;
  }
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  say("");
  say(`ensemble, risk on        ${fmt(ensPerSec)} bars/s  (${(ensemble.ns / 1e6).toFixed(0)} ms; ${ensemble.r.trades.length} trades, ${ensemble.r.riskEvents.length} risk events)   target >= 500,000`);
  say(`runner alone (holds)     ${fmt(barePerSec)} bars/s  (${(bare.ns / 1e6).toFixed(0)} ms; risk on, a strategy that never trades)`);
  say(`sma-cross, risk off      ${fmt(oursPerSec)} bars/s  (${(ours.ns / 1e6).toFixed(0)} ms; ${ours.r.trades.length} trades)`);
  say(`  whole-array peer       ${fmt(peerPerSec)} bars/s  (${(peer.ns / 1e6).toFixed(0)} ms; ${peer.r.trades} trades)`);
  say(`  streaming / peer       ${(oursPerSec / peerPerSec).toFixed(2)}x   same trades and final equity: ${same ? "yes" : "NO"}`);
}
