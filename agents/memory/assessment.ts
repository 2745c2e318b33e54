// What the neighbours of a market state say: risk score, confidence, the distribution of what followed, the anomaly flag, the best strategy.
import type { Hit } from "./vector-store.ts";

/** Below this best similarity the state is flagged as unlike anything in memory (the seed's 0.7). */
export const ANOMALY_SIMILARITY = 0.7;
/** Trades a strategy needs among the neighbours before it can be named the best. */
export const MIN_STRATEGY_TRADES = 3;

/** What followed the neighbours: their outcome returns (fractions) and drawdowns (fractions, <= 0). */
export interface OutcomeDistribution {
  /** Neighbours with an outcome. */
  readonly count: number;
  /** Similarity-weighted mean return. */
  readonly mean: number;
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  /** Similarity-weighted share of positive returns. */
  readonly shareUp: number;
  /** Similarity-weighted mean drawdown. */
  readonly meanDrawdown: number;
}

export interface StrategyScore {
  readonly strategy: string;
  /** Similarity-weighted mean return of its trades among the neighbours. */
  readonly meanReturn: number;
  readonly trades: number;
}

export interface MemoryAssessment {
  readonly neighbours: number;
  /** Cosine similarity of the nearest neighbour; 0 with none. */
  readonly bestSimilarity: number;
  readonly meanSimilarity: number;
  /** True when `bestSimilarity` < {@link ANOMALY_SIMILARITY} (or memory holds nothing comparable). */
  readonly anomaly: boolean;
  /** 0..1: half the weighted share of losses, half their weighted size against `lossScale` (capped at 1). */
  readonly risk: number;
  /** 0..1: the share of the k neighbours found, times how similar they are ((mean similarity - 0.5) / 0.5, clamped). */
  readonly confidence: number;
  readonly outcomes: OutcomeDistribution;
  /** The strategy whose trades did best among the neighbours (at least {@link MIN_STRATEGY_TRADES}); null when none qualifies. */
  readonly bestStrategy: StrategyScore | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Sums what the neighbours' payloads say. Each hit's weight is its similarity (negative ones
 * count 0). Payload fields read: `ret` (the outcome return, a fraction), `dd` (the drawdown
 * within the outcome, a fraction <= 0), and for trades `kind: "trade"` and `strategy`.
 * @param k neighbours asked for (confidence counts the ones found against it).
 * @param lossScale the loss (a positive fraction) that counts as the largest: a typical move of this memory times 3.
 */
export function assess(hits: readonly Hit[], k: number, lossScale: number): MemoryAssessment {
  if (!(lossScale > 0)) throw new RangeError(`lossScale: ${lossScale} is invalid: must be positive`);
  let w = 0, wRet = 0, wUp = 0, wLoss = 0, wLossSize = 0, wDd = 0, sim = 0;
  const rets: number[] = [];
  const byStrategy = new Map<string, { w: number; wr: number; n: number }>();
  for (const h of hits) {
    const ret = h.payload.ret;
    sim += h.score;
    if (typeof ret !== "number") continue;
    const wi = Math.max(0, h.score);
    const dd = typeof h.payload.dd === "number" ? h.payload.dd : 0;
    rets.push(ret);
    w += wi;
    wRet += wi * ret;
    wDd += wi * dd;
    if (ret > 0) wUp += wi;
    if (ret < 0) {
      wLoss += wi;
      wLossSize += wi * Math.min(1, -ret / lossScale);
    }
    if (h.payload.kind === "trade" && typeof h.payload.strategy === "string") {
      const s = byStrategy.get(h.payload.strategy) ?? { w: 0, wr: 0, n: 0 };
      s.w += wi;
      s.wr += wi * ret;
      s.n++;
      byStrategy.set(h.payload.strategy, s);
    }
  }
  rets.sort((a, b) => a - b);
  const best = hits.length > 0 ? hits[0].score : 0;
  const meanSim = hits.length > 0 ? sim / hits.length : 0;
  const per = (x: number) => (w > 0 ? x / w : 0);
  let bestStrategy: StrategyScore | null = null;
  for (const name of [...byStrategy.keys()].sort()) {
    const s = byStrategy.get(name)!;
    if (s.n < MIN_STRATEGY_TRADES || !(s.w > 0)) continue;
    const meanReturn = s.wr / s.w;
    if (bestStrategy === null || meanReturn > bestStrategy.meanReturn) bestStrategy = { strategy: name, meanReturn, trades: s.n };
  }
  return {
    neighbours: hits.length,
    bestSimilarity: best,
    meanSimilarity: meanSim,
    anomaly: hits.length === 0 || best < ANOMALY_SIMILARITY,
    risk: w > 0 ? clamp01(0.5 * per(wLoss) + 0.5 * per(wLossSize)) : 0,
    confidence: clamp01((hits.length / k) * clamp01((meanSim - 0.5) / 0.5)),
    outcomes: {
      count: rets.length,
      mean: per(wRet),
      p10: quantile(rets, 0.1),
      p25: quantile(rets, 0.25),
      p50: quantile(rets, 0.5),
      p75: quantile(rets, 0.75),
      p90: quantile(rets, 0.9),
      shareUp: per(wUp),
      meanDrawdown: per(wDd),
    },
    bestStrategy,
  };
}
