// The invariants every fault test ends on: no duplicate order on the venue, and the client's view reconciled with the venue's own books.
import assert from "node:assert/strict";
import type { RunningServer } from "../../live/serve/server.ts";
import type { FaultSpec } from "../../live/serve/faults.ts";
import type { CcxtExchange } from "../../live/ccxt-exchange.ts";
import type { AccountSpec } from "../../live/serve/accounts.ts";
import type { Order } from "../../market/exchange.ts";

const SYM = "BTC/USDT";

/** Sets the served venue's faults through its admin endpoint (POST /admin/faults); returns its report. */
export async function setFaults(s: RunningServer, spec: Partial<Record<keyof FaultSpec, unknown>> | null): Promise<unknown> {
  const r = await fetch(`${s.url}/admin/faults`, { method: spec === null ? "DELETE" : "POST", body: spec === null ? undefined : JSON.stringify(spec) });
  const out = await r.json();
  assert.equal(r.status, 200, JSON.stringify(out));
  return out;
}

/** The faults injected so far, by kind (GET /admin/faults). */
export async function injected(s: RunningServer): Promise<Record<string, number>> {
  const r = await fetch(`${s.url}/admin/faults`);
  return ((await r.json()) as { injected: Record<string, number> }).injected;
}

export interface Reconciliation {
  /** Orders the venue accepted with this prefix. */
  readonly venueOrders: number;
  readonly duplicates: number;
  /** Differences between the client's view and the venue's books, one line each. */
  readonly differences: string[];
}

/**
 * Checks, with faults cleared: every client order id with `prefix` was accepted once at most,
 * the venue's orders are exactly `intended` (by client order id, and with the ids the client
 * was given), and the client's balances, open orders and trades equal the venue's own.
 */
export async function reconcile(s: RunningServer, acct: AccountSpec, x: CcxtExchange, prefix: string, placed: readonly Order[]): Promise<Reconciliation> {
  await setFaults(s, null);
  const a = s.venue.accounts.get(acct.key)!;
  const ids = a.accepted.filter((c) => c.startsWith(`${prefix}-`));
  const duplicates = ids.length - new Set(ids).size;
  const differences: string[] = [];
  const intended = new Set(placed.map((o) => o.clientOrderId!));
  for (const c of new Set(ids)) if (!intended.has(c)) differences.push(`venue holds ${c}, which the client never got back`);
  for (const o of placed) {
    const venueId = a.clientIds.get(o.clientOrderId!);
    if (venueId !== o.id) differences.push(`${o.clientOrderId}: client has order ${o.id}, venue ${venueId}`);
  }
  const truth = a.exchange!;
  const [tb, to, tt] = await s.venue.run(async () => [await truth.fetchBalance(), await truth.fetchOpenOrders(SYM), await truth.fetchMyTrades(SYM)] as const);
  const [vb, vo, vt] = [await x.fetchBalance(), await x.fetchOpenOrders(SYM), await x.fetchMyTrades(SYM)];
  for (const c of ["BTC", "USDT"]) {
    for (const k of ["free", "used", "total"] as const) {
      const mine = vb[k][c] ?? 0;
      const theirs = tb[k][c] ?? 0;
      if (Math.abs(mine - theirs) > 1e-9) differences.push(`balance ${c}.${k}: client ${mine}, venue ${theirs}`);
    }
  }
  const key = (o: { id: string }) => o.id;
  const sameIds = (what: string, mine: { id: string }[], theirs: { id: string }[]) => {
    const m = mine.map(key).sort().join(",");
    const t = theirs.map(key).sort().join(",");
    if (m !== t) differences.push(`${what}: client [${m}], venue [${t}]`);
  };
  sameIds("open orders", vo, to);
  sameIds("trades", vt.slice(-500), tt.slice(-500));
  // Each order's filled amount is the sum of its trades.
  for (const o of placed) {
    const f = await x.fetchOrder(o.id, SYM);
    const traded = tt.filter((t) => t.order === o.id).reduce((sum, t) => sum + t.amount, 0);
    if (Math.abs(f.filled - traded) > 1e-9) differences.push(`${o.clientOrderId}: filled ${f.filled}, trades sum ${traded}`);
  }
  return { venueOrders: ids.length, duplicates, differences };
}

/** Asserts the reconciliation is clean and the venue holds exactly the intended orders. */
export function assertClean(r: Reconciliation, intended: number): void {
  assert.equal(r.duplicates, 0, "no client order id accepted twice");
  assert.equal(r.venueOrders, intended, "the venue's order count equals the intended orders");
  assert.deepEqual(r.differences, [], "the client's view equals the venue's books");
}
