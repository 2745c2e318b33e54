// The partial-fill fault: before an order that would fill in full, the venue's fault desk takes the liquidity it would take beyond a fraction of its amount.
import { amountToLots, lotsToAmount, priceToTicks, type Instrument } from "../../market/instrument.ts";
import type { ServedVenue } from "./venue.ts";

/** The order a POST /order names, as far as a partial fill needs it. */
export interface OrderIntent {
  readonly side: "BUY" | "SELL";
  readonly type: string;
  readonly timeInForce: string | null;
  readonly price: number;
  readonly quantity: number;
}

/** The intent of a POST /order's parameters, or undefined when it is not a LIMIT GTC order with price and quantity. */
export function limitIntent(p: URLSearchParams): OrderIntent | undefined {
  const side = p.get("side");
  const price = Number(p.get("price"));
  const quantity = Number(p.get("quantity"));
  if ((side !== "BUY" && side !== "SELL") || p.get("type") !== "LIMIT" || (p.get("timeInForce") ?? "GTC") !== "GTC") return undefined;
  if (!(price > 0 && quantity > 0)) return undefined;
  return { side, type: "LIMIT", timeInForce: p.get("timeInForce"), price, quantity };
}

/**
 * Lots resting on the opposite side at prices the order would take, in price order.
 * A marketable order crosses these; the rest of it would rest on the book.
 */
function crossable(venue: ServedVenue, inst: Instrument, o: OrderIntent): number {
  const d = venue.kernel.depth(1000);
  const limit = priceToTicks(inst, o.price);
  let lots = 0;
  for (const l of o.side === "BUY" ? d.asks : d.bids) {
    if (o.side === "BUY" ? l.price > limit : l.price < limit) break;
    lots += l.size;
  }
  return lots;
}

/**
 * Makes the order fill in parts: when the book would fill all of it, the fault desk first takes
 * everything the order would take but `fraction` of its lots, with a market order on the same
 * side, so the order fills that fraction now and rests for the rest. Returns whether it did.
 */
export async function thinAhead(venue: ServedVenue, inst: Instrument, o: OrderIntent, fraction: number): Promise<boolean> {
  const desk = venue.desk.exchange;
  if (desk === undefined) return false;
  return venue.run(async () => {
    const want = amountToLots(inst, o.quantity);
    const there = crossable(venue, inst, o);
    const keep = Math.max(1, Math.floor(want * fraction));
    // Only an order the book would fill in full, and that can be left a part of it.
    if (want < 2 || there < want) return false;
    const take = there - keep;
    try {
      await desk.createOrder(inst.symbol, "market", o.side === "BUY" ? "buy" : "sell", lotsToAmount(inst, take));
    } catch {
      // A book the desk cannot take (a notional limit): the order goes through whole.
      return false;
    }
    return true;
  });
}
