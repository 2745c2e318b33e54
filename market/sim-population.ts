// The population fast path of a simulated client: orders without promises, the top as its feed shows it.
import type { MarketInfo } from "./exchange.ts";
import type { OrderCache, OrderRec } from "./sim-order-cache.ts";
import type { PopulationPort, SimListener } from "./sim-population-port.ts";
import type { SimRequests } from "./sim-requests.ts";
import { RequestKind, type SimVenue } from "./sim-venue.ts";
import type { OrderType, Side, TimeInForce } from "./types.ts";

/**
 * `PopulationPort` over one client's request line and order cache, for agents that send many
 * orders and await none: integer units, no promise, no decimal conversion, no allocation.
 * Fills and order changes reach `listener` through the client's `SimExchange`.
 */
export class SimPopulationClient implements PopulationPort {
  listener: SimListener | undefined = undefined;

  /** @param feedDelayNs how far behind venue time this client's view of the top of book is. */
  constructor(
    private readonly venue: SimVenue, private readonly rq: SimRequests, private readonly cache: OrderCache,
    private readonly feedDelayNs: number, readonly account: number, readonly markets: Readonly<Record<string, MarketInfo>>,
  ) {}

  bidTicks(): number {
    return this.venue.topTape.bidAt(this.venue.now - this.feedDelayNs);
  }

  askTicks(): number {
    return this.venue.topTape.askAt(this.venue.now - this.feedDelayNs);
  }

  sendOrder(side: Side, orderType: OrderType, tif: TimeInForce, postOnly: boolean, priceTicks: number, sizeLots: number): void {
    const r = this.rq.request(RequestKind.SUBMIT, 0);
    r.side = side;
    r.orderType = orderType;
    r.tif = tif;
    r.postOnly = postOnly;
    r.price = priceTicks;
    r.size = sizeLots;
    this.rq.post(r);
  }

  sendCancel(orderId: number): void {
    this.rq.post(this.rq.request(RequestKind.CANCEL, orderId));
  }

  openOrderStates(): IterableIterator<Readonly<OrderRec>> {
    return this.cache.openOrders();
  }

  get openOrderCount(): number {
    return this.cache.openCount;
  }

  openOrderAt(i: number): Readonly<OrderRec> {
    return this.cache.openAt(i);
  }
}
