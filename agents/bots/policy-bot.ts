// Runs a trained market policy (arena train ppo --scenario) as a bot: the market state from the port, the greedy action, market orders.
import { z } from "zod";
import { ExchangeError } from "../../market/exchange.ts";
import type { Bot, BotContext } from "../bot.ts";
import { emptyInput, MarketState } from "../features/market-state.ts";
import { marketOrderFor } from "../policy/market-actions.ts";
import { loadMarketPolicy, type MarketPolicy } from "../policy/market-policy-file.ts";
import { PolicyFileError } from "../policy/policy-json.ts";

export const PolicyBotParams = z.strictObject({
  /** Path of a policy.json written by `arena train ppo --scenario` (checked when the params are). */
  policy: z.string().min(1).superRefine((path, ctx) => {
    try {
      loadMarketPolicy(path);
    } catch (err) {
      if (!(err instanceof PolicyFileError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
    }
  }),
  /** Act on the most probable action (true), or sample the policy's distribution from the bot's own stream. */
  greedy: z.boolean().default(true),
});
export type PolicyBotParams = z.infer<typeof PolicyBotParams>;

/**
 * A trained policy as a bot: every `decisionSec` (the interval it was trained with) it reads the
 * book, its balances and the candles closed since its last look through the Exchange port, builds
 * the same market state the training env built (agents/features), and sends the market order its
 * action means (agents/policy/market-actions.ts). On recorded bars, wakes come at bar closes, so it
 * decides once a bar.
 */
export class PolicyBot implements Bot {
  private readonly loaded: MarketPolicy;
  private readonly state = new MarketState();
  private readonly input = emptyInput();
  private readonly decisionMs: number;
  decisions = 0;
  orders = 0;
  refused = 0;

  /** @throws PolicyFileError when the file cannot be loaded (the params' check normally caught it before). */
  constructor(private readonly p: PolicyBotParams) {
    this.loaded = loadMarketPolicy(p.policy);
    this.decisionMs = this.loaded.market.decisionSec * 1000;
  }

  start(ctx: BotContext): void {
    ctx.wakeIn(this.decisionMs);
  }

  async wake(ctx: BotContext): Promise<void> {
    ctx.wakeIn(this.decisionMs);
    const ex = ctx.exchange;
    const s = this.state;
    const since = s.lastCandleMs === -Infinity ? undefined : s.lastCandleMs + 1;
    const [book, balance, candles] = await Promise.all([
      ex.fetchOrderBook(ctx.symbol, this.loaded.market.depthLevels), ex.fetchBalance(), ex.fetchOHLCV(ctx.symbol, undefined, since, 1000),
    ]);
    for (const c of candles) s.candle(c[0], c[1], c[2], c[3], c[4], c[5]);
    const market = ex.markets[ctx.symbol];
    const x = this.input;
    x.timeMs = ctx.now;
    x.bid = book.bids.length > 0 ? book.bids[0][0] : NaN;
    x.ask = book.asks.length > 0 ? book.asks[0][0] : NaN;
    x.bidSize = book.bids.length > 0 ? book.bids[0][1] : 0;
    x.askSize = book.asks.length > 0 ? book.asks[0][1] : 0;
    x.bidDepth = 0;
    for (const l of book.bids) x.bidDepth += l[1];
    x.askDepth = 0;
    for (const l of book.asks) x.askDepth += l[1];
    x.base = balance.total[market.base] ?? 0;
    x.quote = balance.total[market.quote] ?? 0;
    const obs = s.observe(x);
    const { policy, market: info } = this.loaded;
    const action = this.p.greedy ? policy.act(obs) : sample(policy.logits(obs), ctx.rng.next());
    this.decisions++;
    const order = marketOrderFor(action, info.actionSizes, { bid: x.bid, ask: x.ask, base: x.base, quote: x.quote, equity: s.equity }, { lot: market.precision.amount, taker: market.taker, minCost: market.limits.cost.min });
    if (order === undefined) return;
    try {
      await ex.createOrder(ctx.symbol, "market", order.side, Number((order.lots * market.precision.amount).toPrecision(12)));
      this.orders++;
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      this.refused++;
      ctx.log.warn("order refused", { reason: err.reason, message: err.message });
    }
  }
}

/** Draws from softmax(logits) with the uniform `u`. */
function sample(logits: Float32Array, u: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  let acc = 0;
  for (let i = 0; i < logits.length; i++) {
    acc += Math.exp(logits[i] - max) / sum;
    if (u < acc) return i;
  }
  return logits.length - 1;
}
