// A zero-intelligence trader: random limit, market and cancel requests around the mid price.
import { ExchangeError } from "../market/exchange.ts";
import type { AgentContext, SimAgent } from "../sim/kernel.ts";

/** Parameters of a random trader. Probabilities of the three actions must sum to 1. */
export interface RandomTraderParams {
  /** Mean time between actions, ns (exponential inter-arrival: a Poisson process). */
  readonly meanWakeNs: number;
  readonly limitProb: number;
  readonly marketProb: number;
  readonly cancelProb: number;
  /** Limit prices are drawn uniformly within ± this many ticks of mid. */
  readonly maxOffsetTicks: number;
  /** Order size range in lots, uniform, inclusive. */
  readonly minLots: number;
  readonly maxLots: number;
  /** Mid price (quote coins) assumed while the book has no two-sided quote. */
  readonly refPrice: number;
}

export const RANDOM_TRADER_DEFAULTS: RandomTraderParams = Object.freeze({
  meanWakeNs: 2_000_000_000,
  limitProb: 0.6,
  marketProb: 0.15,
  cancelProb: 0.25,
  maxOffsetTicks: 50,
  minLots: 2,
  maxLots: 50,
  refPrice: 30_000,
});

/**
 * Trades at random through its Exchange, as a real bot would: it asks for the book, then
 * sends an order or cancels one of its open orders. Refusals (insufficient funds, an order
 * already filled) are expected and counted, not fatal.
 */
export class RandomTrader implements SimAgent {
  readonly params: RandomTraderParams;
  refused = 0;
  private mid: number;

  constructor(params: Partial<RandomTraderParams> = {}) {
    this.params = { ...RANDOM_TRADER_DEFAULTS, ...params };
    this.mid = this.params.refPrice;
  }

  start(ctx: AgentContext): void {
    this.scheduleNext(ctx);
  }

  async wake(ctx: AgentContext): Promise<void> {
    this.scheduleNext(ctx);
    const p = this.params;
    const ex = ctx.exchange;
    const u = ctx.rng.next();
    try {
      if (u < p.cancelProb) {
        const open = await ex.fetchOpenOrders(ctx.symbol);
        if (open.length > 0) await ex.cancelOrder(ctx.rng.pick(open).id, ctx.symbol);
        return;
      }
      const book = await ex.fetchOrderBook(ctx.symbol, 1);
      if (book.bids.length > 0 && book.asks.length > 0) this.mid = (book.bids[0][0] + book.asks[0][0]) / 2;
      const market = ex.markets[ctx.symbol];
      const side = ctx.rng.bernoulli(0.5) ? "buy" : "sell";
      const lots = ctx.rng.int(p.minLots, p.maxLots);
      const amount = Number((lots * market.precision.amount).toPrecision(12));
      if (u < p.cancelProb + p.marketProb) {
        await ex.createOrder(ctx.symbol, "market", side, amount);
      } else {
        const tick = market.precision.price;
        const midTicks = Math.round(this.mid / tick);
        const ticks = Math.max(1, midTicks + ctx.rng.int(-p.maxOffsetTicks, p.maxOffsetTicks));
        await ex.createOrder(ctx.symbol, "limit", side, amount, Number((ticks * tick).toPrecision(12)));
      }
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      this.refused++;
    }
  }

  private scheduleNext(ctx: AgentContext): void {
    const dt = Math.max(1, Math.round(ctx.rng.exponential(1 / this.params.meanWakeNs)));
    ctx.wakeIn(dt);
  }
}
