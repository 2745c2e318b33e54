// Reads the bots' orders and their accounts' balances from the venue's event log, as an outside observer of a run.
import type { EventLog } from "../../../market/event-log.ts";
import { lotsToAmount, ticksToPrice } from "../../../market/instrument.ts";
import { EventKind, OrderType, Side } from "../../../market/types.ts";
import type { PlacedBot } from "../../../scenarios/build.ts";
import type { ScenarioSpec } from "../../../scenarios/spec.ts";
import type { Kernel } from "../../../sim/kernel.ts";

/** One order a bot sent, as the venue saw it. Money in quote coins, sizes in base coins. */
export interface BotOrder {
  readonly bot: string;
  /** Venue time of the order's arrival, ns from the start of the run. */
  readonly ts: number;
  readonly side: "buy" | "sell";
  readonly type: "market" | "limit";
  /** The bot's holdings just before the order arrived (from its endowment and its fills so far). */
  readonly quoteBefore: number;
  readonly baseBefore: number;
  /** What the order filled: sum of price × size over its trades, and the base bought or sold. */
  notional: number;
  filled: number;
  /** Price of its first fill, NaN when unfilled. */
  firstPrice: number;
}

/**
 * Watches the venue's events for the bots' accounts: every order they send (in arrival order)
 * with the balances they held when it arrived, kept from the spec's endowment and the trade
 * rows alone (price × size plus the fee each side paid), so nothing here reads the bots'
 * own bookkeeping. Attach before `kernel.run`.
 */
export function watchBotOrders(kernel: Kernel, spec: ScenarioSpec, bots: readonly PlacedBot[]): BotOrder[] {
  const inst = kernel.venue.instrument;
  const priceOf = (ticks: number) => ticksToPrice(inst, ticks);
  const coinsOf = (lots: number) => lotsToAmount(inst, lots);
  const feeOf = (units: number) => units / inst.spec.quoteScale;
  const byAccount = new Map<number, { name: string; quote: number; base: number }>();
  for (const b of bots) {
    const s = spec.bots.find((x) => x.name === b.name)!;
    byAccount.set(kernel.accountOf(b.agent), { name: b.name, quote: s.quote, base: s.base });
  }
  const orders: BotOrder[] = [];
  const byOrderId = new Map<number, BotOrder>();
  kernel.observe({
    onTop() {},
    onEvents(log: EventLog, from: number, to: number, ts: number) {
      for (let i = from; i < to; i++) {
        const kind = log.kind(i);
        if (kind === EventKind.ACCEPTED) {
          const who = byAccount.get(log.field(i, 3));
          if (who === undefined) continue;
          const o: BotOrder = {
            bot: who.name, ts,
            side: log.field(i, 7) === Side.BUY ? "buy" : "sell",
            type: log.field(i, 8) === OrderType.MARKET ? "market" : "limit",
            quoteBefore: who.quote, baseBefore: who.base, notional: 0, filled: 0, firstPrice: NaN,
          };
          orders.push(o);
          byOrderId.set(log.field(i, 2), o);
        } else if (kind === EventKind.TRADE) {
          const price = priceOf(log.field(i, 4));
          const size = coinsOf(log.field(i, 5));
          const buyerIsTaker = log.field(i, 11) === Side.BUY;
          for (const [acct, fee, orderCol, isTaker] of [[log.field(i, 3), log.field(i, 10), 7, true], [log.field(i, 8), log.field(i, 9), 6, false]] as const) {
            const who = byAccount.get(acct);
            if (who === undefined) continue;
            const buys = isTaker === buyerIsTaker;
            who.quote += (buys ? -1 : 1) * price * size - feeOf(fee);
            who.base += (buys ? 1 : -1) * size;
            const o = byOrderId.get(log.field(i, orderCol));
            if (o !== undefined) {
              if (o.filled === 0) o.firstPrice = price;
              o.notional += price * size;
              o.filled += size;
            }
          }
        }
      }
    },
  });
  return orders;
}
