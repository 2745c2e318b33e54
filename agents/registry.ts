// Agent types by name, each with its parameter schema and a factory: what scenario files can name.
import type { z } from "zod";
import type { SimAgent } from "../sim/kernel.ts";
import type { Bot } from "./bot.ts";
import { BuyAndHold, BuyAndHoldParams } from "./bots/buy-and-hold.ts";
import { EmaCross, EmaCrossParams } from "./bots/ema-cross.ts";
import { PolicyBot, PolicyBotParams } from "./bots/policy-bot.ts";
import { StrategyBot, StrategyBotParams } from "./bots/strategy-bot.ts";
import { FundamentalTrader, FundamentalTraderParams } from "./fundamental-trader.ts";
import { LiquidationCascade, liquidationEndowment, LiquidationCascadeParams } from "./liquidation-cascade.ts";
import { PumpAndDump, PumpAndDumpParams } from "./pump-and-dump.ts";
import { Spoofer, SpooferParams } from "./spoofer.ts";
import { MarketMaker, MarketMakerParams } from "./market-maker.ts";
import { MomentumTrader, MomentumTraderParams } from "./momentum-trader.ts";
import { NoiseTrader, NoiseTraderParams } from "./noise-trader.ts";
import { SwitchingTraders, SwitchingTradersParams } from "./switching-traders.ts";
import type { World } from "./world.ts";

export interface AgentType<S extends z.ZodType = z.ZodType> {
  readonly describe: string;
  readonly params: S;
  /** Builds one agent from validated params. */
  create(params: z.infer<S>, world: World): SimAgent;
  /** Endowment in coins, from validated params. */
  endowment(params: z.infer<S>): { readonly base: number; readonly quote: number };
  /** The params that size one order, in base coins by param name: the venue must be able to hold each order. */
  orderSizes(params: z.infer<S>): Readonly<Record<string, number>>;
  /** The most orders one agent may send an hour (wakes an hour × orders a wake): what a run's size is estimated from. */
  ordersPerHour(params: z.infer<S>): number;
}

function type<S extends z.ZodType>(t: AgentType<S>): AgentType {
  return t as unknown as AgentType;
}

/** Population types: the background market and the manipulators scenarios unleash on it. */
export const AGENT_TYPES: Readonly<Record<string, AgentType>> = Object.freeze({
  noise: type({
    describe: "Poisson arrivals, limit/market mix, heavy-tailed sizes around mid",
    params: NoiseTraderParams,
    create: (p, w) => new NoiseTrader(p, w),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ sizeMin: p.sizeMin, sizeMax: p.sizeMax }),
    ordersPerHour: (p) => p.ratePerMin * 60,
  }),
  "market-maker": type({
    describe: "two-sided quotes skewed by inventory, widened by volatility, pulled at limits",
    params: MarketMakerParams,
    create: (p, w) => new MarketMaker(p, w),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ quoteSize: p.quoteSize }),
    ordersPerHour: (p) => (3_600_000 / p.refreshMs) * 2 * p.levels,
  }),
  fundamental: type({
    describe: "trades toward the latent fundamental value, harder the larger the gap",
    params: FundamentalTraderParams,
    create: (p, w) => new FundamentalTrader(p, w),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ sizeMax: p.sizeMax }),
    ordersPerHour: (p) => p.ratePerMin * 60,
  }),
  momentum: type({
    describe: "chases the move over its own lookback with market orders, unwinds after a hold",
    params: MomentumTraderParams,
    create: (p, w) => new MomentumTrader(p, w),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ sizeMax: p.sizeMax }),
    ordersPerHour: (p) => p.ratePerMin * 60,
  }),
  switching: type({
    describe: "a crowd of chartists and fundamentalists who herd and switch strategy by recent performance (Lux–Marchesi)",
    params: SwitchingTradersParams,
    create: (p, w) => new SwitchingTraders(p, w),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ sizeMax: p.sizeMax }),
    ordersPerHour: (p) => 3600 / p.stepSec,
  }),
  "pump-and-dump": type({
    describe: "accumulates at the bid, pumps with aggressive buys behind spoofed bids, then dumps through the bid",
    params: PumpAndDumpParams,
    create: (p, w) => new PumpAndDump(p, w),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ accumulateSize: p.accumulateSize, pumpSize: p.pumpSize, spoofSize: p.spoofSize, dumpSize: p.dumpSize }),
    ordersPerHour: (p) => (3600 / p.stepSec) * (1 + p.spoofLevels),
  }),
  spoofer: type({
    describe: "layers large orders behind the touch and cancels them before they can fill",
    params: SpooferParams,
    create: (p) => new Spoofer(p),
    endowment: (p) => ({ base: p.base, quote: p.quote }),
    orderSizes: (p) => ({ layerSize: p.layerSize, tradeSize: p.tradeSize }),
    ordersPerHour: (p) => (3600 / p.refreshSec) * (p.layers + 1),
  }),
  "liquidation-cascade": type({
    describe: "a whale sale, then leveraged longs sold through the bid as the price reaches their liquidation levels",
    params: LiquidationCascadeParams,
    create: (p, w) => new LiquidationCascade(p, w),
    endowment: (p) => ({ base: liquidationEndowment(p), quote: 0 }),
    orderSizes: (p) => ({ sliceSize: p.sliceSize }),
    ordersPerHour: (p) => 3600 / p.stepSec,
  }),
});

/** Parameter schemas by type name, as `parseScenario` wants them. */
export function agentParamSchemas(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const [name, t] of Object.entries(AGENT_TYPES)) out[name] = t.params;
  return out;
}

/**
 * A bot under test: built from its params (a `Bot`, which runs in the simulator and on
 * recorded bars alike); funded from the scenario's `bots[i]` entry, or the backtest's cash.
 */
export interface BotType<S extends z.ZodType = z.ZodType> {
  readonly describe: string;
  readonly params: S;
  /** @throws ValidationError naming the field for params only the bot itself can check. */
  create(params: z.infer<S>): Bot;
}

function bot<S extends z.ZodType>(t: BotType<S>): BotType {
  return t as unknown as BotType;
}

/** Baseline bots, the rule strategies and the trained PPO policy. */
export const BOT_TYPES: Readonly<Record<string, BotType>> = Object.freeze({
  "buy-and-hold": bot({ describe: "buys once with most of its cash, then holds", params: BuyAndHoldParams, create: (p) => new BuyAndHold(p) }),
  "ema-cross": bot({ describe: "long while a fast EMA of the mid is above a slow one", params: EmaCrossParams, create: (p) => new EmaCross(p) }),
  strategy: bot({ describe: "any rule strategy (agents/strategies) behind the risk manager", params: StrategyBotParams, create: (p) => new StrategyBot(p) }),
  policy: bot({ describe: "a trained market policy (arena train ppo --scenario), greedy, on the market state", params: PolicyBotParams, create: (p) => new PolicyBot(p) }),
});

/** Bot parameter schemas by type name, as `parseScenario` wants them. */
export function botParamSchemas(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const [name, t] of Object.entries(BOT_TYPES)) out[name] = t.params;
  return out;
}
