// The population fast path of a simulated client: orders without promises, the top as its feed shows it.
import { marketsOf } from "./ccxt-shapes.ts";
import type { MarketInfo } from "./exchange.ts";
import { OrderCache, type OrderRec } from "./sim-order-cache.ts";
import type { PopulationPort, SimListener } from "./sim-population-port.ts";
import { SimRequests } from "./sim-requests.ts";
import { RequestKind, type AgentInbox, type SimVenue, type VenueBatch } from "./sim-venue.ts";
import type { OrderType, Side, TimeInForce } from "./types.ts";

/**
 * A simulated client's connection (its venue account, request line and order cache) and the
 * `PopulationPort` fast path over it, for agents that send many orders and await none: integer
 * units, no promise, no decimal conversion, no allocation. Abstract: `SimExchange` extends it
 * with the `Exchange` port and routes the venue's messages (`receive`), calling `listener`.
 * The fast path is the base class, not a member, so an agent's call reaches the venue with no
 * hop more than the request needs (the hot path of a population).
 */
export abstract class SimPopulationClient implements PopulationPort, AgentInbox {
  listener: SimListener | undefined = undefined;
  readonly account: number;
  readonly markets: Readonly<Record<string, MarketInfo>>;
  /** The line to the venue: requests out, and every promise of the Exchange port. */
  protected readonly rq: SimRequests;
  /** What the client knows of its orders and fills. */
  protected readonly cache: OrderCache;

  /** @param feedDelayNs how far behind venue time this client's view of the top of book is. */
  constructor(protected readonly venue: SimVenue, agent: number, private readonly feedDelayNs: number) {
    this.account = venue.connect(agent, this);
    this.rq = new SimRequests(venue, this.account);
    this.cache = new OrderCache(venue.instrument.quoteUnitsPerTickLot);
    this.markets = marketsOf(venue.instrument);
  }

  /** Applies one venue message at the agent's local time `now` (see SimExchange). */
  abstract receive(batch: VenueBatch, now: number): void;

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
