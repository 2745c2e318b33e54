// Runs a trained market policy (arena train ppo --scenario) as a bot: the market state from the port, the greedy action, market orders.
import { z } from "zod";
import { ExchangeError } from "../../market/exchange.ts";
import type { Bot, BotContext } from "../bot.ts";
import { emptyInput, MarketState } from "../features/market-state.ts";
import { type MemoryReader, storeReader } from "../features/memory-features.ts";
import { openMemoryFolderSync, readMemoryMeta } from "../memory/memory-folder.ts";
import { VectorStoreError } from "../memory/vector-store.ts";
import { marketOrderFor } from "../policy/market-actions.ts";
import { loadMarketPolicy, type MarketPolicy } from "../policy/market-policy-file.ts";
import { type MemoryRef, PolicyFileError } from "../policy/policy-json.ts";

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
  /** The market memory folder (arena memory build) a policy trained with --memory reads; refused for one trained without. */
  memory: z.string().min(1).optional(),
}).superRefine((p, ctx) => {
  let want: MemoryRef | undefined;
  try {
    want = loadMarketPolicy(p.policy).market.memory;
  } catch {
    return; // refused at the field already
  }
  const problem = memoryProblem(p.policy, want, p.memory);
  if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["memory"], message: problem });
});
export type PolicyBotParams = z.infer<typeof PolicyBotParams>;

/** Why `memory` (a folder, or undefined) cannot serve a policy that wants `want`; undefined when it can. */
function memoryProblem(policy: string, want: MemoryRef | undefined, memory: string | undefined): string | undefined {
  if (want === undefined) return memory === undefined ? undefined : `policy ${policy} was trained without a market memory; leave "memory" out`;
  const trained = `a market memory (digest ${want.digest.slice(0, 12)}…, ${want.points} states from ${want.sources.join(", ")})`;
  if (memory === undefined) return `policy ${policy} was trained with ${trained} and needs that folder as "memory" (arena suite and eval market: --memory DIR)`;
  try {
    const { digest } = readMemoryMeta(memory);
    if (digest !== want.digest) return `${memory} is another memory (digest ${digest.slice(0, 12)}…) than policy ${policy} was trained with: ${trained}`;
  } catch (err) {
    if (!(err instanceof VectorStoreError)) throw err;
    return err.message;
  }
  return undefined;
}

/**
 * A trained policy as a bot: every `decisionSec` (the interval it was trained with) it reads the
 * book, its balances and the candles closed since its last look through the Exchange port, builds
 * the same market state the training env built (agents/features), and sends the market order its
 * action means (agents/policy/market-actions.ts). On recorded bars, wakes come at bar closes, so it
 * decides once a bar. A policy trained with a market memory reads it as the env did (features 47-50,
 * asked at the decision time); the folder is opened synchronously when the bot is built.
 */
export class PolicyBot implements Bot {
  private readonly loaded: MarketPolicy;
  private readonly state: MarketState;
  private readonly input = emptyInput();
  private readonly decisionMs: number;
  decisions = 0;
  orders = 0;
  refused = 0;

  /** @throws PolicyFileError when the policy or its memory cannot be loaded (the params' check normally caught it before). */
  constructor(private readonly p: PolicyBotParams) {
    this.loaded = loadMarketPolicy(p.policy);
    this.decisionMs = this.loaded.market.decisionSec * 1000;
    const problem = memoryProblem(p.policy, this.loaded.market.memory, p.memory);
    if (problem !== undefined) throw new PolicyFileError(`memory: ${problem}`);
    this.state = new MarketState(p.memory === undefined ? undefined : readerOf(p.memory));
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

/** The memory folder at `dir`, opened now, as the market state's reader. @throws PolicyFileError naming the file that is refused. */
function readerOf(dir: string): MemoryReader {
  try {
    const m = openMemoryFolderSync(dir);
    return storeReader(m.store, m.meta.lossScale);
  } catch (err) {
    if (err instanceof VectorStoreError) throw new PolicyFileError(`memory: ${err.message}`);
    throw err;
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
