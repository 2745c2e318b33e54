// MarketEnv: a scenario of the simulator as a Gymnasium env; a learner bot trades in it, one decision every N simulated seconds.
import { z } from "zod";
import type { Bot, BotContext } from "../../../agents/bot.ts";
import { emptyInput, FEATURES, MARKET_FEATURE_COUNT, MarketState, type MarketInput } from "../../../agents/features/market-state.ts";
import type { MemoryReader } from "../../../agents/features/memory-features.ts";
import { EMBEDDING_STARTUP_BARS } from "../../../agents/memory/embedding.ts";
import { marketActionCount, marketOrderFor, type SizingRules } from "../../../agents/policy/market-actions.ts";
import { addBot } from "../../../agents/sim-bot.ts";
import { Asset } from "../../../market/ledger.ts";
import { lotsToAmount, ticksToPrice, type Instrument } from "../../../market/instrument.ts";
import type { PopulationPort } from "../../../market/sim-population-port.ts";
import { OrderType, Side, TimeInForce } from "../../../market/types.ts";
import { SECOND } from "../../../sim/clock.ts";
import type { Kernel } from "../../../sim/kernel.ts";
import { buildScenario } from "../../../scenarios/build.ts";
import type { ScenarioSpec } from "../../../scenarios/spec.ts";
import type { Env, ResetResult, StepResult } from "../env.ts";
import { box, discrete, outside, type Box, type Discrete } from "../spaces.ts";

/**
 * The env's knobs (checked with zod where they enter: `arena train --scenario`, a spec file).
 * Reward per decision, in units of `rewardScale` × the starting equity:
 *   Δequity / equity₀ − riskPenalty · |exposure| − drawdownPenalty · max(0, Δdrawdown)
 * where exposure is base × mid / equity after the step and drawdown is 1 − equity / peak equity.
 */
export const MarketEnvOptions = z.strictObject({
  /** Simulated seconds between decisions. */
  decisionSec: z.number().min(0.001).max(3600).default(1),
  /** Decisions per episode: the last one returns truncated. */
  episodeSteps: z.number().int().min(1).max(10_000_000).default(3600),
  /**
   * Simulated seconds the market runs before the first decision (the book forms, indicators fill).
   * Default 1800; with a memory, MEMORY_WARMUP_SEC (the embedding's candles, so the first decision has the memory's answer).
   */
  warmupSec: z.number().min(0).max(86_400).default(1800),
  /** Order sizes as fractions of equity: action 0 holds, 1..k buy, k+1..2k sell (agents/policy/market-actions.ts). */
  actionSizes: z.array(z.number().gt(0).max(1)).min(1).max(8).default([0.1, 0.5, 1]),
  /** Book levels summed for the depth features. */
  depthLevels: z.number().int().min(1).max(100).default(5),
  /** The learner's starting holdings, coins. */
  base: z.number().min(0).max(1e6).default(0),
  quote: z.number().gt(0).max(1e12).default(100_000),
  /**
   * Reward units per unit of relative equity change: 100 makes the reward percent of the starting
   * equity, so episode values stay within tens and the critic's gradient does not swamp the actor's
   * under the shared gradient-norm clip.
   */
  rewardScale: z.number().gt(0).default(100),
  /** Risk penalty per decision per unit of |exposure|, as a fraction of the starting equity (before rewardScale). */
  riskPenalty: z.number().min(0).default(0),
  /** Weight of each new increase in drawdown (a fraction), before rewardScale. */
  drawdownPenalty: z.number().min(0).default(0.5),
  /** Terminated (bust) when equity falls below this fraction of the starting equity. */
  bustFraction: z.number().gt(0).lt(1).default(0.5),
});
export type MarketEnvOptions = z.infer<typeof MarketEnvOptions>;
export type MarketEnvOptionsInput = z.input<typeof MarketEnvOptions>;

/** The warm-up with a memory when none is given: the embedding's 241 one-minute candles and one more minute. */
export const MEMORY_WARMUP_SEC = (EMBEDDING_STARTUP_BARS + 1) * 60;

/** The learner: a bot that does nothing by itself; the env reads its account and sends its orders between steps. */
class Learner implements Bot {
  ctx: BotContext | undefined = undefined;
  start(ctx: BotContext): void {
    this.ctx = ctx;
  }
}

/**
 * A scenario as an RL env. `reset({seed})` builds the scenario's world for that seed without its
 * bots under test (they await their exchange, and a step here never yields), adds the learner
 * through `addBot` and runs `warmupSec`; each `step(action)` sends the action's market order
 * through the learner's exchange and runs the kernel to the next decision with `runUntilSync`.
 * The observation is agents/features' market state, read as a bot would read it: the book
 * (its first `depthLevels` levels) and the venue's closed 1-minute candles at the decision time,
 * and the learner's balances; with a market memory, its answer in features 47-50 (asked at the
 * decision time, so only outcomes known by then count). Terminated when equity falls below `bustFraction` of the start;
 * truncated after `episodeSteps` decisions.
 */
export class MarketEnv implements Env<number> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  readonly maxEpisodeSteps: number;
  readonly options: MarketEnvOptions;
  private readonly spec: ScenarioSpec;
  private readonly decisionNs: number;
  private readonly memory: MemoryReader | undefined;
  private kernel: Kernel | undefined = undefined;
  private learner: Learner | undefined = undefined;
  private port: PopulationPort | undefined = undefined;
  private account = -1;
  private inst: Instrument | undefined = undefined;
  private rules: SizingRules = { lot: 1, taker: 0, minCost: 0 };
  private state = new MarketState();
  private readonly input: MarketInput = emptyInput();
  private seedStream = 0;
  private steps = 0;
  private done = true;
  private startEquity = NaN;
  private lastEquity = NaN;
  private peak = NaN;
  private lastDrawdown = 0;

  /**
   * @param memory a market memory for features 47-50 (agents/features/memory-features.ts); without one they read 0.
   * @throws RangeError when the warm-up and the episode do not fit in the scenario's duration.
   */
  constructor(spec: ScenarioSpec, options: MarketEnvOptionsInput = {}, memory?: MemoryReader) {
    this.options = MarketEnvOptions.parse(memory !== undefined && options.warmupSec === undefined ? { ...options, warmupSec: MEMORY_WARMUP_SEC } : options);
    this.memory = memory;
    this.spec = { ...spec, bots: [] };
    this.decisionNs = Math.round(this.options.decisionSec * SECOND);
    const endNs = Math.round(this.options.warmupSec * SECOND) + this.options.episodeSteps * this.decisionNs;
    if (endNs > spec.duration) {
      throw new RangeError(`market env: warmupSec ${this.options.warmupSec} + episodeSteps ${this.options.episodeSteps} × decisionSec ${this.options.decisionSec} = ${endNs / SECOND} s is past the scenario ${spec.name}'s duration of ${spec.duration / SECOND} s`);
    }
    this.observationSpace = box(MARKET_FEATURE_COUNT, FEATURES.map((f) => f.low), FEATURES.map((f) => f.high));
    this.actionSpace = discrete(marketActionCount(this.options.actionSizes));
    this.maxEpisodeSteps = this.options.episodeSteps;
  }

  /** Unix ms of an episode's first decision: the scenario's epoch plus the warm-up. */
  get firstDecisionMs(): number {
    return this.spec.epochMs + Math.floor(Math.round(this.options.warmupSec * SECOND) / 1e6);
  }

  /** The learner's equity (quote + base × mid) at the last decision, and where it started. */
  get equity(): { readonly now: number; readonly start: number } {
    return { now: this.lastEquity, start: this.startEquity };
  }

  reset(options: { readonly seed?: number } = {}): ResetResult {
    if (options.seed !== undefined) this.seedStream = options.seed;
    else if (this.kernel === undefined) throw new Error("market env: the first reset needs a seed (an unseeded env is not reproducible)");
    // Unseeded resets continue from the last seed: the next world of the same stream of seeds.
    else this.seedStream += 1_000_003;
    const { kernel } = buildScenario(this.spec, this.seedStream);
    this.learner = new Learner();
    addBot(kernel, "bot/learner", this.learner, { base: this.options.base, quote: this.options.quote });
    this.kernel = kernel;
    this.inst = kernel.venue.instrument;
    this.state = new MarketState(this.memory);
    kernel.runUntilSync(Math.round(this.options.warmupSec * SECOND));
    const ex = this.learner.ctx!.exchange as unknown as PopulationPort;
    this.port = ex;
    this.account = ex.account;
    const m = ex.markets[this.learner.ctx!.symbol];
    this.rules = { lot: m.precision.amount, taker: m.taker, minCost: m.limits.cost.min };
    const obs = this.observe();
    this.startEquity = this.state.equity;
    this.lastEquity = this.startEquity;
    this.peak = this.startEquity;
    this.lastDrawdown = 0;
    this.steps = 0;
    this.done = false;
    return { obs, info: { timeNs: kernel.now, equity: this.startEquity } };
  }

  step(action: number): StepResult {
    if (this.done || this.kernel === undefined) throw new Error("market env: step() before reset() or after the episode ended");
    const bad = outside(this.actionSpace, action);
    if (bad !== undefined) throw new RangeError(`market env: action ${bad}`);
    const s = this.state;
    const x = this.input;
    const order = marketOrderFor(action, this.options.actionSizes, { bid: x.bid, ask: x.ask, base: x.base, quote: x.quote, equity: s.equity }, this.rules);
    if (order !== undefined) this.port!.sendOrder(order.side === "buy" ? Side.BUY : Side.SELL, OrderType.MARKET, TimeInForce.IOC, false, 0, order.lots);
    this.kernel.runUntilSync(this.kernel.now + this.decisionNs);
    const obs = this.observe();
    const o = this.options;
    const equity = s.equity;
    if (equity > this.peak) this.peak = equity;
    const drawdown = this.peak > 0 ? 1 - equity / this.peak : 0;
    const exposure = equity > 0 ? Math.abs((x.base * s.mid) / equity) : 0;
    const reward = o.rewardScale * ((equity - this.lastEquity) / this.startEquity - o.riskPenalty * exposure - o.drawdownPenalty * Math.max(0, drawdown - this.lastDrawdown));
    this.lastEquity = equity;
    this.lastDrawdown = drawdown;
    this.steps++;
    const terminated = !(equity >= o.bustFraction * this.startEquity);
    const truncated = !terminated && this.steps >= o.episodeSteps;
    this.done = terminated || truncated;
    return { obs, reward: Number.isFinite(reward) ? reward : 0, terminated, truncated, info: { equity, traded: order !== undefined } };
  }

  /** Reads the book, the new closed candles and the balances at the current time into the market state. */
  private observe(): Float32Array {
    const k = this.kernel!;
    const inst = this.inst!;
    const x = this.input;
    const s = this.state;
    // Closed candles since the last one seen (the venue's fetchOHLCV answer at this time).
    const since = s.lastCandleMs === -Infinity ? undefined : s.lastCandleMs + 1;
    if (since === undefined || k.epochMs + k.now / 1e6 >= since - 1 + 120_000) {
      for (const c of k.bars.candles(k.now, since, 1000)) s.candle(c[0], c[1], c[2], c[3], c[4], c[5]);
    }
    const book = k.depth(this.options.depthLevels);
    x.timeMs = k.epochMs + Math.floor(k.now / 1e6);
    x.bid = book.bids.length > 0 ? ticksToPrice(inst, book.bids[0].price) : NaN;
    x.ask = book.asks.length > 0 ? ticksToPrice(inst, book.asks[0].price) : NaN;
    x.bidSize = book.bids.length > 0 ? lotsToAmount(inst, book.bids[0].size) : 0;
    x.askSize = book.asks.length > 0 ? lotsToAmount(inst, book.asks[0].size) : 0;
    let bd = 0;
    for (const l of book.bids) bd += l.size;
    let ad = 0;
    for (const l of book.asks) ad += l.size;
    x.bidDepth = lotsToAmount(inst, bd);
    x.askDepth = lotsToAmount(inst, ad);
    const ledger = k.venue.ledger;
    const a = this.account;
    x.base = (ledger.freeOf(a, Asset.BASE) + ledger.lockedOf(a, Asset.BASE)) / inst.spec.baseScale;
    x.quote = (ledger.freeOf(a, Asset.QUOTE) + ledger.lockedOf(a, Asset.QUOTE)) / inst.spec.quoteScale;
    return s.observe(x);
  }
}
