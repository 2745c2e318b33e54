// Digests of every strategy's signals (and the regime labels) over long seeded series, for the differential test.
//
// `node --import tsx test/agents/strategies/signal-digest.ts` rewrites signal-digests.json
// from the current code. It was run once before the indicator bank and the rolling max/min
// replaced per-strategy indicators, so the fixture holds the signals of the code before that
// change; signal-digest.test.ts checks the code of today gives the same ones, bar for bar.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createStrategy } from "../../../agents/strategies/registry.ts";
import { RegimeDetector, RegimeParams } from "../../../agents/strategies/regime.ts";
import type { Candle, Strategy } from "../../../agents/strategies/strategy.ts";
import { Rng } from "../../../sim/rng.ts";
import { HOUR_MS } from "./bars.ts";

export const DIGEST_SEEDS = [1, 2, 3, 4, 5] as const;
export const DIGEST_BARS = 20_000;
export const FIXTURE = fileURLToPath(new URL("./signal-digests.json", import.meta.url));

/**
 * A random walk of `n` hourly bars with what trips indicators up: segments of changing drift
 * and volatility, price jumps and volume spikes, and flat stretches (every bar the same price,
 * high = low = close, so ATR and DX go to 0 and 0/0) with constant or random volume.
 */
export function digestBars(seed: number, n = DIGEST_BARS): Candle[] {
  const rng = Rng.root(seed).fork("test/strategies/signal-digest");
  const out: Candle[] = [];
  let price = 20_000 + 20_000 * rng.next();
  let drift = 0;
  let sd = 0.006;
  let flatLeft = 0;
  let flatVolume = NaN;
  for (let i = 0; i < n; i++) {
    if (flatLeft === 0 && rng.next() < 1 / 700) {
      flatLeft = rng.int(30, 400);
      flatVolume = rng.next() < 0.5 ? Math.round(100 * Math.exp(rng.normal(0, 0.5)) * 1000) / 1000 : NaN;
    }
    if (i % 500 === 0) {
      drift = rng.normal(0, 0.0015);
      sd = 0.006 * Math.exp(rng.normal(0, 0.6));
    }
    const open = price;
    let volume = 100 * Math.exp(rng.normal(0, 0.6));
    if (flatLeft > 0) {
      flatLeft--;
      out.push({ time: i * HOUR_MS, open: price, high: price, low: price, close: price, volume: flatVolume === flatVolume ? flatVolume : volume });
      continue;
    }
    let r = drift + rng.normal(0, sd);
    if (rng.next() < 0.002) r += rng.normal(0, 0.08); // a jump
    if (rng.next() < 0.003) volume *= 4 + 8 * rng.next(); // a spike
    price *= Math.exp(r);
    const high = Math.max(open, price) * (1 + Math.abs(rng.normal(0, sd / 3)));
    const low = Math.min(open, price) * (1 - Math.abs(rng.normal(0, sd / 3)));
    out.push({ time: i * HOUR_MS, open, high, low, close: price, volume });
  }
  return out;
}

/** Strategies digested, by a name used as the fixture key: registry defaults plus variants. */
export const DIGEST_STRATEGIES: Readonly<Record<string, () => Strategy>> = {
  "sma-cross": () => createStrategy("sma-cross"),
  "trend-following": () => createStrategy("trend-following"),
  "mean-reversion": () => createStrategy("mean-reversion"),
  "mean-reversion/volume-spike": () => createStrategy("mean-reversion", { volumeSpike: true, volumePeriod: 30 }),
  breakout: () => createStrategy("breakout"),
  "breakout/periods": () => createStrategy("breakout", { resistanceBars: 50, supportBars: 3, trailBars: 7, atrPeriod: 5, volumePeriod: 10 }),
  ensemble: () => createStrategy("ensemble"),
  // Members whose periods differ from the regime detector's, and from each other's.
  "ensemble/periods": () =>
    createStrategy("ensemble", {
      trend: { adxPeriod: 10, volumePeriod: 30, slow: 40 },
      meanReversion: { volumeSpike: true, volumePeriod: 20, bbPeriod: 30 },
      breakout: { atrPeriod: 20, volumePeriod: 15, resistanceBars: 14 },
      regime: { emaPeriod: 40, atrPeriod: 10, atrAveragePeriod: 50, volumePeriod: 25 },
    }),
};

const SIGNAL_CODE = { enter: "e", exit: "x", hold: "." } as const;

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** For one series: per strategy the sha-256 of its signals (and of the ensembles' regime labels), plus the regime detector's labels. */
export function digestSeries(seed: number, n = DIGEST_BARS): Record<string, string> {
  const bars = digestBars(seed, n);
  const out: Record<string, string> = {};
  const bar: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (const [name, make] of Object.entries(DIGEST_STRATEGIES)) {
    const s = make();
    let sigs = "";
    let regimes = "";
    for (const b of bars) {
      Object.assign(bar, b);
      sigs += SIGNAL_CODE[s.update(bar)];
      if (s.regime) regimes += `${s.regime()},`;
    }
    out[name] = sha(sigs);
    if (s.regime) out[`${name}:regime`] = sha(regimes);
  }
  const d = new RegimeDetector(RegimeParams.parse({}));
  let labels = "";
  for (const b of bars) {
    Object.assign(bar, b);
    labels += `${d.update(bar)},`;
  }
  out["regime-detector"] = sha(labels);
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const all: Record<string, Record<string, string>> = {};
  for (const seed of DIGEST_SEEDS) all[`seed ${seed}`] = digestSeries(seed);
  writeFileSync(FIXTURE, `${JSON.stringify({ bars: DIGEST_BARS, digests: all }, null, 2)}\n`);
  process.stdout.write(`wrote ${FIXTURE}\n`);
}
