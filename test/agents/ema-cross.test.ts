// ema-cross when the crossing's market order takes nothing (a book side emptied by a crash): it sends it again while the crossing holds, and never buys twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryLog, type BotContext } from "../../agents/bot.ts";
import { EmaCross, EmaCrossParams } from "../../agents/bots/ema-cross.ts";
import type { Balances, Exchange, Order } from "../../market/exchange.ts";
import { Rng } from "../../sim/rng.ts";

/** A venue that shows the mids given, one per wake, and fills or drops each market order as scripted. */
class ScriptedVenue {
  base: number;
  quote = 0;
  readonly orders: { side: string; amount: number; filled: number }[] = [];
  private wake = 0;

  constructor(private readonly mids: number[], private readonly fills: boolean[], base: number, quote: number) {
    this.base = base;
    this.quote = quote;
  }

  next(): void {
    this.wake++;
  }

  exchange(): Exchange {
    const mid = () => this.mids[Math.min(this.wake, this.mids.length - 1)];
    const venue: Partial<Exchange> = {
      markets: { "BTC/USDT": { base: "BTC", quote: "USDT", precision: { amount: 0.0001 } } } as unknown as Exchange["markets"],
      fetchOrderBook: async () => ({ bids: [[mid() - 1, 5]], asks: [[mid() + 1, 5]] }) as never,
      fetchBalance: async () => ({ free: { BTC: this.base, USDT: this.quote }, used: {}, total: {} }) as unknown as Balances,
      createOrder: async (_symbol: string, _type: string, side: string, amount: number) => {
        const fill = this.fills[this.orders.length] ?? true;
        const filled = fill ? amount : 0;
        if (fill && side === "sell") [this.base, this.quote] = [this.base - amount, this.quote + amount * mid()];
        if (fill && side === "buy") [this.base, this.quote] = [this.base + amount, this.quote - amount * mid()];
        this.orders.push({ side, amount, filled });
        return { filled, status: fill ? "closed" : "expired" } as unknown as Order;
      },
    };
    return venue as Exchange;
  }
}

/** Wakes ema-cross (fast 2, slow 3) once per mid of `venue`. */
async function drive(venue: ScriptedVenue, wakes: number, exchange = venue.exchange()): Promise<void> {
  const bot = new EmaCross(EmaCrossParams.parse({ fast: 2, slow: 3, intervalSec: 1 }));
  const ctx: BotContext = { exchange, symbol: "BTC/USDT", now: 0, wakeAt() {}, wakeIn() {}, rng: Rng.root(1), log: new MemoryLog(() => 0) };
  bot.start(ctx);
  for (let i = 0; i < wakes; i++) {
    await bot.wake(ctx);
    venue.next();
  }
}

const FALL = [100, 101, 102, 103, 104, 90, 80, 70, 60, 50];
const RISE = [100, 99, 98, 97, 96, 110, 120, 130, 140, 150];

test("a sell into an empty bid side that fills nothing is sent again at the next wake, until flat", async () => {
  const venue = new ScriptedVenue(FALL, [false, true], 1, 0);
  await drive(venue, FALL.length);
  assert.deepEqual(venue.orders.map((o) => [o.side, o.filled]), [["sell", 0], ["sell", 1]]);
  assert.equal(venue.base, 0);
});

test("a buy that fills nothing is sent again; one that took is not, even when its answer says 0", async () => {
  const retried = new ScriptedVenue(RISE, [false, true], 0, 100_000);
  await drive(retried, RISE.length);
  assert.deepEqual(retried.orders.map((o) => [o.side, o.filled > 0]), [["buy", false], ["buy", true]]);

  // The venue fills the buy but answers filled 0 (an exchange that reports fills late): the balance shows it, no second buy.
  const late = new ScriptedVenue(RISE, [true], 0, 100_000);
  const ex = late.exchange();
  const create = ex.createOrder.bind(ex);
  ex.createOrder = async (...args: Parameters<Exchange["createOrder"]>) => ({ ...(await create(...args)), filled: 0 }) as Order;
  await drive(late, RISE.length, ex);
  assert.equal(late.orders.length, 1, `one buy, got ${JSON.stringify(late.orders)}`);
});
