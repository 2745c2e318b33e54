// `npm run bench -- strategies`: updates/s of each rule strategy and the ensemble over seeded random-walk bars, one thread.
import { createStrategy, STRATEGIES, strategyNames } from "../agents/strategies/registry.ts";
import type { Candle } from "../agents/strategies/strategy.ts";
import { Rng } from "../sim/rng.ts";
import type { BenchArgs } from "./main.ts";

const DEFAULT_BARS = 500_000;

/** Hourly bars of a geometric random walk with fat-ish wicks and lognormal volume, columns. */
function randomWalk(n: number, seed: number) {
  const rng = Rng.root(seed).fork("bench/strategies");
  const cols = { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let price = 30_000;
  for (let i = 0; i < n; i++) {
    const open = price;
    price *= Math.exp(rng.normal(0, 0.006));
    cols.open[i] = open;
    cols.close[i] = price;
    cols.high[i] = Math.max(open, price) * (1 + Math.abs(rng.normal(0, 0.002)));
    cols.low[i] = Math.min(open, price) * (1 - Math.abs(rng.normal(0, 0.002)));
    cols.volume[i] = 100 * Math.exp(rng.normal(0, 0.5));
  }
  return cols;
}

function timeOne(name: string, cols: ReturnType<typeof randomWalk>, n: number): number {
  const s = createStrategy(name);
  const bar: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  let enters = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    bar.time = i * 3_600_000;
    bar.open = cols.open[i];
    bar.high = cols.high[i];
    bar.low = cols.low[i];
    bar.close = cols.close[i];
    bar.volume = cols.volume[i];
    if (s.update(bar) === "enter") enters++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (enters < 0) throw new Error("unreachable"); // keeps the signals observable
  return n / seconds;
}

export function run(args: BenchArgs): void {
  const n = args.ops ?? DEFAULT_BARS;
  const cols = randomWalk(n, 1);
  const out: Record<string, number> = {};
  // A strategy that needs a resource (memory-rsi's memory folder) is measured by its own benchmark (npm run bench -- memory).
  for (const name of strategyNames().filter((s) => STRATEGIES[s].needs === undefined)) {
    timeOne(name, cols, Math.min(n, 50_000)); // warm-up, so the timed run is compiled code
    out[name] = Math.round(timeOne(name, cols, n));
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ bars: n, updatesPerSec: out })}\n`);
    return;
  }
  process.stdout.write(`${n} random-walk bars, one thread, fresh strategy per run, one reused Candle\n`);
  for (const [name, perSec] of Object.entries(out)) process.stdout.write(`  ${name.padEnd(16)} ${(perSec / 1e6).toFixed(2)}M updates/s (${(1e9 / perSec).toFixed(0)} ns/bar)\n`);
}
