// What a simulated population sees of its venue: callbacks instead of promises, integer units, a delayed top.
import type { MarketInfo } from "./exchange.ts";
import type { OrderRec } from "./sim-order-cache.ts";
import type { OrderType, Side, TimeInForce } from "./types.ts";

export type { OrderRec };

/**
 * Callbacks of a simulated agent that does not await (see `PopulationPort.listener`). The
 * record handed over is valid during the call: a client that keeps no closed orders
 * (history limit 0) reuses a closed order's record for a later order.
 */
export interface SimListener {
  /** An own order was accepted, filled (partly or fully), amended, canceled or expired. */
  onOrder?(order: Readonly<OrderRec>): void;
  /** An own fill: price in ticks, size in lots, fee in quote units. Called before onOrder. */
  onFill?(order: Readonly<OrderRec>, price: number, size: number, fee: number, asTaker: boolean): void;
}

/**
 * The fast path a background population trades through in the simulator, beside (never
 * instead of) the `Exchange` port a bot uses: orders go out without a promise, their outcome
 * comes back through `listener` at the local time it arrives, and the top of book is read as
 * the agent's market data feed shows it. Nothing here allocates per call, and a world of
 * such agents never makes the kernel yield to awaiting code.
 */
export interface PopulationPort {
  /** The client's venue account. */
  readonly account: number;
  /** The market rules, as the `Exchange` port gives them (`markets[symbol]`). */
  readonly markets: Readonly<Record<string, MarketInfo>>;
  /** Called synchronously, at the local time a message arrives; set once, at start. */
  listener: SimListener | undefined;
  /** Best bid in ticks as this client's feed shows it now: the venue's one feed delay ago (0 when none). */
  bidTicks(): number;
  /** Best ask in ticks as this client's feed shows it now (0 when none). */
  askTicks(): number;
  /**
   * Sends an order without a promise: price in ticks (0 for market orders), size in lots. The
   * outcome arrives through `listener` (accepted, fills, end); a refusal is dropped.
   */
  sendOrder(side: Side, orderType: OrderType, tif: TimeInForce, postOnly: boolean, priceTicks: number, sizeLots: number): void;
  /** Cancels an order without a promise; the outcome arrives through `listener`. */
  sendCancel(orderId: number): void;
  /**
   * Open orders of this client as it knows them (no round trip; acceptance order), as they
   * stand at the call: code that awaits while walking them still sees each one once. Records
   * are valid until the order closes (see `SimListener` on reuse).
   */
  openOrderStates(): IterableIterator<Readonly<OrderRec>>;
  /**
   * Open orders this client knows of, for walking them by index with `openOrderAt` without
   * building an iterator: for synchronous code only, since an await lets orders close and
   * the indexes move.
   */
  readonly openOrderCount: number;
  /** The `i`-th oldest open order (0 <= i < openOrderCount); see `openOrderStates` on reuse. */
  openOrderAt(i: number): Readonly<OrderRec>;
}
