// Switching traders (Lux–Marchesi, or Brock–Hommes discrete choice): a crowd of chartists and fundamentalists who herd and switch strategy by recent performance.
import { z } from "zod";
import { OrderType, Side, TimeInForce } from "../market/types.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";
import { chartistProbability, nextFitness, stepDiscreteChoice } from "./brock-hommes.ts";
import { time } from "./params.ts";
import { newRates, stepCrowd, transitionRates, type Crowd, type Flows, type SwitchingRule } from "./switching-rule.ts";
import { midTicks, type World } from "./world.ts";

export const SwitchingTradersParams = z
  .strictObject({
    /**
     * How traders switch strategy: "lux-marchesi" (transition rates on the profit differential
     * of the moment, herding among chartists) or "brock-hommes" (a logit on each strategy's
     * accumulated realised profit, `beta` and `fitnessMemory`; chartists' opinions still herd
     * by v1, α1, α2).
     */
    rule: z.enum(["lux-marchesi", "brock-hommes"]).default("lux-marchesi"),
    /** β (Brock–Hommes): intensity of choice, per quote coin of fitness. */
    beta: z.number().min(0).max(1e6).default(1),
    /** η (Brock–Hommes): the weight of past fitness, per step (0: only the last step counts). */
    fitnessMemory: z.number().min(0).max(1).default(0.9),
    /** C (Brock–Hommes): what the fundamentalists' information costs, quote per trader per step. */
    fundamentalistCost: z.number().min(0).default(0),
    /** N: traders in the crowd. */
    traders: z.number().int().min(12).max(100_000).default(500),
    /** Share of the traders who start as chartists (half optimists, half pessimists). */
    initialChartistShare: z.number().min(0).max(1).default(0.2),
    /** The model's unit of time, seconds: v1, v2, tc and γ are per unit. */
    unitSec: time(1e9, "s").default(60),
    /** How often views are revised and the crowd's excess demand is sent, seconds. */
    stepSec: time(1e9, "s").default(5),
    /** Window over which the trend ṗ/p is measured, seconds. */
    trendSec: time(1e9, "s").default(60),
    /** v1: opinion revisions (optimist ↔ pessimist) per chartist per unit time. */
    v1: z.number().positive().max(1000).default(3),
    /** v2: strategy revisions (chartist ↔ fundamentalist) per trader per unit time. */
    v2: z.number().positive().max(1000).default(2),
    /** α1: weight of the majority opinion among chartists (herding). */
    alpha1: z.number().min(0).max(10).default(0.8),
    /** α2: weight of the trend ṗ/p in a chartist's opinion. */
    alpha2: z.number().min(0).max(1e6).default(1000),
    /** α3: sensitivity of strategy switching to the profit differential. */
    alpha3: z.number().min(0).max(1e6).default(300),
    /** s: discount of the fundamentalists' expected gain |pf − p|/p. */
    s: z.number().min(0).max(1).default(0.75),
    /** Fewest traders a group keeps (the papers: 4). */
    minGroup: z.number().int().min(0).max(1000).default(4),
    /** tc: coins a chartist buys (optimist) or sells (pessimist) per unit time. */
    chartistSize: z.number().min(0).default(0.05),
    /** γ: coins a fundamentalist trades per unit time per unit of relative gap (pf − p)/p. */
    fundamentalistSize: z.number().min(0).default(5),
    /** Largest single order, base coins; excess demand beyond it in one step is dropped. */
    sizeMax: z.number().positive().default(10),
    /** Orders are IOC limits this far through the far touch, basis points (price protection). */
    throughBps: z.number().min(0).default(50),
    base: z.number().min(0).default(5_000),
    quote: z.number().min(0).default(150_000_000),
  })
  .superRefine((p, ctx) => {
    if (p.traders < 3 * p.minGroup) {
      ctx.addIssue({ code: "custom", path: ["traders"], message: `must be at least 3 × minGroup (${3 * p.minGroup}), so every group can keep its floor` });
    }
    if (p.stepSec > p.trendSec) ctx.addIssue({ code: "custom", path: ["trendSec"], message: `must be at least stepSec (${p.stepSec} s): the trend needs two samples` });
  });
export type SwitchingTradersParams = z.infer<typeof SwitchingTradersParams>;

const SECOND = 1_000_000_000;

/**
 * One agent holds a whole crowd's views (n+, n−, nf) and sends its net excess demand
 * tc (n+ − n−) + γ nf (pf − p)/p: the rates depend only on these counts, so one state per crowd
 * is the model exactly, and one order per step costs the kernel N times fewer wakes than an
 * agent per trader. Orders are IOC limits through the far touch, so they meet the real book.
 */
export class SwitchingTraders implements SimAgent {
  readonly crowd: Crowd = { plus: 0, minus: 0, fund: 0 };
  /** Switches since the start: chartists → fundamentalists, back, and opinion flips. */
  readonly totals: Flows = { toFund: 0, toChartist: 0, flips: 0 };
  /** Lots bought and sold through the book since the start, and lots sent. */
  readonly filled = { bought: 0, sold: 0, sent: 0 };
  private readonly rule: SwitchingRule;
  private readonly rates = newRates();
  private readonly flows: Flows = { toFund: 0, toChartist: 0, flips: 0 };
  /** Mids (ticks) of the last `trendSec`, a ring indexed by step. */
  private readonly mids: Float64Array;
  private steps = 0;
  /** Demand (coins) smaller than a lot, carried to the next step. */
  private carry = 0;
  private readonly stepNs: number;
  /** Brock–Hommes fitness of each strategy, and what one trader of each demanded last step (coins) at `lastPrice`. */
  private fitChartist = 0;
  private fitFund = 0;
  private lastDemand = { chartist: 0, fund: 0 };
  private lastPrice = NaN;

  constructor(private readonly p: SwitchingTradersParams, private readonly world: World) {
    this.rule = { v1: p.v1, v2: p.v2, alpha1: p.alpha1, alpha2: p.alpha2, alpha3: p.alpha3, s: p.s, minGroup: p.minGroup };
    this.stepNs = Math.round(p.stepSec * SECOND);
    this.mids = new Float64Array(Math.max(1, Math.round(p.trendSec / p.stepSec)) + 1);
  }

  start(ctx: AgentContext): void {
    const p = this.p;
    const floor = p.minGroup;
    const chartists = Math.min(p.traders - floor, Math.max(2 * floor, Math.round(p.traders * p.initialChartistShare)));
    this.crowd.plus = chartists >> 1;
    this.crowd.minus = chartists - this.crowd.plus;
    this.crowd.fund = p.traders - chartists;
    const filled = this.filled;
    ctx.exchange.listener = {
      onFill: (o, _price, size) => {
        if (o.side === Side.BUY) filled.bought += size;
        else filled.sold += size;
      },
    };
    ctx.wakeIn(this.stepNs);
  }

  wake(ctx: AgentContext): void {
    ctx.wakeIn(this.stepNs);
    const p = this.p;
    const ex = ctx.exchange;
    const market = ex.markets[ctx.symbol];
    const tick = market.precision.price;
    const lot = market.precision.amount;
    const mid = midTicks(ex, Math.round(this.world.initialPrice / tick));
    const ring = this.mids;
    const k = ring.length;
    ring[this.steps % k] = mid;
    // ṗ/p per unit time over the window, 0 until the window is full.
    const trend = this.steps >= k - 1 ? Math.log(mid / ring[(this.steps + 1) % k]) / (((k - 1) * p.stepSec) / p.unitSec) : 0;
    this.steps++;
    const value = this.world.fundamental.valueAt(ctx.now);
    const priceNow = mid * tick;
    const gap = (value - priceNow) / priceNow;
    const c = this.crowd;
    const dtUnits = p.stepSec / p.unitSec;
    const rates = transitionRates(c, { trend, gap }, this.rule, this.rates);
    if (p.rule === "brock-hommes") this.chooseStrategies(priceNow, gap, rates, dtUnits, ctx);
    else stepCrowd(c, rates, dtUnits, p.minGroup, ctx.rng, this.flows);
    this.totals.toFund += this.flows.toFund;
    this.totals.toChartist += this.flows.toChartist;
    this.totals.flips += this.flows.flips;
    const demand = (p.chartistSize * (c.plus - c.minus) + p.fundamentalistSize * c.fund * gap) * dtUnits + this.carry;
    const wanted = Math.floor(Math.abs(demand) / lot + 1e-9);
    const maxLots = Math.floor(p.sizeMax / lot + 1e-9);
    const lots = Math.min(wanted, maxLots);
    // What a step cannot send whole waits for the next one; what the cap cuts off is dropped.
    this.carry = wanted > maxLots ? 0 : demand - Math.sign(demand) * lots * lot;
    if (lots < 1) return;
    const buy = demand > 0;
    const touch = buy ? ex.askTicks() : ex.bidTicks();
    const ref = touch > 0 ? touch : mid;
    const ticks = buy ? Math.ceil(ref * (1 + p.throughBps / 1e4)) : Math.max(1, Math.floor(ref * (1 - p.throughBps / 1e4)));
    this.filled.sent += lots;
    ex.sendOrder(buy ? Side.BUY : Side.SELL, OrderType.LIMIT, TimeInForce.IOC, false, ticks, lots);
  }

  /**
   * Brock–Hommes: each strategy's fitness gains what one of its traders earned since the last
   * step (its demand then times the price change), opinions among chartists move by the
   * Lux–Marchesi opinion rates alone, then revising traders pick a strategy by the logit.
   */
  private chooseStrategies(priceNow: number, gap: number, rates: ReturnType<typeof transitionRates>, dtUnits: number, ctx: AgentContext): void {
    const p = this.p;
    const c = this.crowd;
    const dp = Number.isNaN(this.lastPrice) ? 0 : priceNow - this.lastPrice;
    this.fitChartist = nextFitness(this.fitChartist, this.lastDemand.chartist * dp, p.fitnessMemory);
    this.fitFund = nextFitness(this.fitFund, this.lastDemand.fund * dp, p.fitnessMemory, p.fundamentalistCost);
    rates.fundToPlus = rates.plusToFund = rates.fundToMinus = rates.minusToFund = 0;
    stepCrowd(c, rates, dtUnits, p.minGroup, ctx.rng, this.flows);
    const flips = this.flows.flips;
    stepDiscreteChoice(c, chartistProbability(p.beta, this.fitChartist, this.fitFund), p.v2, dtUnits, p.minGroup, ctx.rng, this.flows);
    this.flows.flips = flips;
    const nc = c.plus + c.minus;
    this.lastDemand.chartist = nc > 0 ? (p.chartistSize * (c.plus - c.minus) * dtUnits) / nc : 0;
    this.lastDemand.fund = p.fundamentalistSize * gap * dtUnits;
    this.lastPrice = priceNow;
  }
}
