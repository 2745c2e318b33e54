// The queue model of a resting paper order: where it stands at its price, and how public trades move and fill it.
//
// THE RULE. A resting limit order joins the back of the queue at its price: `ahead` is the size
// the book showed at that price when it was placed (0 at a new level), plus this broker's own
// earlier orders there. Only real public trades move it:
//   - a trade AT its price whose taker is on the other side first eats the queue ahead; what is
//     left of the trade fills the order;
//   - a trade THROUGH its price (a sell below a buy's limit, a buy above a sell's) means the
//     whole level was consumed: the queue ahead is gone and the trade's volume fills the order.
// The volume of one trade is shared in priority order (better price first, then earlier order),
// so two paper orders never both claim the same volume traded through them. Cancellations in
// the real queue are never credited (the book's size at a level may shrink by cancels ahead or
// behind: nobody knows which), so the model errs toward fewer fills, like hftbacktest's
// risk-averse queue model without its depth-shrink step (which double counts when the book
// update that reflects a trade arrives before the trade itself).
import type { SideName } from "../../market/exchange.ts";

/** One resting order as the model sees it: integer price units and base units. */
export interface QueueSlot {
  readonly side: SideName;
  readonly price: number;
  readonly ahead: number;
  readonly remaining: number;
}

/** One public trade: integer price units and base units; `taker` undefined when the venue does not say. */
export interface Print {
  readonly price: number;
  readonly size: number;
  readonly taker: SideName | undefined;
}

/** What one print does to one slot: base units filled, and the queue ahead after it. */
export interface SlotOutcome {
  readonly fill: number;
  readonly ahead: number;
}

/** True when `a` has priority over `b` on the same side: better price, then earlier (lower index). */
export function better(side: SideName, a: number, b: number): boolean {
  return side === "buy" ? a > b : a < b;
}

/**
 * Applies one print to the slots (all of them, any side, any order), returning one outcome per
 * slot in the same order. Slots are served in priority: through-fills draw on the print's volume
 * and reduce what reaches the levels behind them.
 */
export function applyPrint(slots: readonly QueueSlot[], p: Print): SlotOutcome[] {
  const out: SlotOutcome[] = slots.map((s) => ({ fill: 0, ahead: s.ahead }));
  for (const side of ["buy", "sell"] as const) {
    const idx: number[] = [];
    for (let i = 0; i < slots.length; i++) if (slots[i].side === side && slots[i].remaining > 0) idx.push(i);
    // Best price first; among equals, the earlier order (stable sort keeps index order).
    idx.sort((a, b) => (slots[a].price === slots[b].price ? 0 : better(side, slots[a].price, slots[b].price) ? -1 : 1));
    let volume = p.size;
    // A level's own orders each see the same volume reach their price: `ahead` already counts the earlier ones.
    let levelPrice = NaN;
    let atLevel = 0;
    for (const i of idx) {
      const s = slots[i];
      const through = better(side, s.price, p.price);
      if (through) {
        const f = Math.min(volume, s.remaining);
        out[i] = { fill: f, ahead: 0 };
        volume -= f;
        continue;
      }
      if (s.price !== p.price) break;
      // At the price only a taker from the other side trades with the level (undefined: assume it did).
      if (p.taker === side) break;
      if (levelPrice !== s.price) {
        levelPrice = s.price;
        atLevel = volume;
      }
      const eaten = Math.min(s.ahead, atLevel);
      const f = Math.min(atLevel - eaten, s.remaining);
      out[i] = { fill: f, ahead: s.ahead - eaten };
    }
  }
  return out;
}
