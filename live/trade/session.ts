// One `arena trade` session: reconcile with the venue, run the bot on the wall clock until a signal or the duration, stop cleanly.
import type { Bot, RandomStream, VenueState } from "../../agents/bot.ts";
import { RiskManager } from "../../agents/risk/risk-manager.ts";
import type { Balances, Exchange } from "../../market/exchange.ts";
import type { TradingMonitor } from "../monitoring/monitor.ts";
import type { KillRequest, KillSwitch } from "./control.ts";
import { WallClockHost, type HostClock } from "./host.ts";
import type { JsonlLog } from "./log.ts";
import { describeKill, killOrders } from "./kill.ts";
import { LoggedExchange, orderBrief, tradeBrief } from "./logged-exchange.ts";
import { SessionMeter } from "./meter.ts";

export interface SessionOptions {
  readonly botName: string;
  /** The object BOT_TYPES created, unchanged. */
  readonly bot: Bot;
  /** The venue the bot trades through (the ccxt adapter, or the paper broker). */
  readonly exchange: Exchange;
  readonly symbol: string;
  readonly rng: RandomStream;
  readonly log: JsonlLog;
  readonly onStop: "cancel" | "leave";
  /** Stops after this much wall time, ms (from the end of the reconciliation). */
  readonly durationMs?: number;
  /** Default the wall clock. */
  readonly clock?: HostClock;
  /** Stop on SIGINT and SIGTERM (default true). */
  readonly signals?: boolean;
  /** Stops the session when aborted. */
  readonly abort?: AbortSignal;
  /** Fields of the `start` log line (mode, venue, params...). */
  readonly describe: Readonly<Record<string, unknown>>;
  /** Called once reconciled, right before the bot starts (a test holding a venue's clock releases it here). */
  readonly onReady?: () => void;
  /** Where the summary lines go (stdout). */
  readonly out: (line: string) => void;
  /** Metrics and health (`--metrics-port`): decisions, orders, fills, the account marked to market, the circuit breaker. */
  readonly monitor?: TradingMonitor;
  /** Pulled by `arena kill` (the control port): cancel every open order, flatten when asked, stop. */
  readonly killSwitch?: KillSwitch;
  /** When the risk manager's circuit breaker trips: "stop" pulls the kill switch (default), "pause" leaves the bot paused as in simulation. */
  readonly onCircuitBreaker?: "stop" | "pause";
  /** Flatten (back to the base held at the start) when the circuit breaker pulls the kill switch. Default false. */
  readonly flattenOnBreaker?: boolean;
}

export interface SessionResult {
  /** "duration", "SIGINT", "SIGTERM", "aborted" or "error". */
  readonly stoppedBy: string;
  readonly wakes: number;
  readonly ordersSent: number;
  /** Open orders on the venue at the end, canceled or left as `onStop` said. */
  readonly open: number;
  readonly canceled: number;
  /** The kill request served (by `arena kill` or the circuit breaker), if any. */
  readonly killed: KillRequest | undefined;
  /** Non-zero balances (total) at the end, by currency. */
  readonly balances: Readonly<Record<string, number>>;
  /** What stopped the bot when it failed (its wake threw, or the stop could not be done). */
  readonly error: Error | undefined;
}

/** Non-zero totals by currency, for the log and the final line. */
export function nonZero(b: Balances): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [c, v] of Object.entries(b.total)) if (v !== 0) out[c] = v;
  return out;
}

const showBalances = (b: Readonly<Record<string, number>>) => Object.entries(b).map(([c, v]) => `${c} ${Number(v.toPrecision(12))}`).join(", ") || "none";

/** The final line's balances: the pair's two coins first, even at 0 (a bot that ended flat says BTC 0), then any other coin held. */
function pairFirst(b: Readonly<Record<string, number>>, market: { base: string; quote: string } | undefined): Readonly<Record<string, number>> {
  return market === undefined ? b : { [market.base]: b[market.base] ?? 0, [market.quote]: b[market.quote] ?? 0, ...b };
}

/** Reads back what the venue holds for the symbol: open orders, balances, recent fills (oldest first). */
export async function readVenue(ex: Exchange, symbol: string): Promise<VenueState> {
  const [openOrders, balance, trades] = await Promise.all([ex.fetchOpenOrders(symbol), ex.fetchBalance(), ex.fetchMyTrades(symbol)]);
  return { openOrders, balance, trades: [...trades].sort((a, b) => a.timestamp - b.timestamp) };
}

/**
 * Runs one session and always ends it cleanly: the bot's stop, the open orders canceled or left
 * as configured, the final balances read, a `stop` line written and printed. An error of the
 * venue while reconciling is thrown before the bot starts (nothing was ordered).
 */
export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const log = o.log;
  const m = o.monitor;
  const ex = new LoggedExchange(o.exchange, log, m === undefined ? undefined : (ms, action) => m.onOrder(ms, action));
  log.record("start", { bot: o.botName, symbol: o.symbol, onStop: o.onStop, durationMs: o.durationMs, ...o.describe });

  const state = await readVenue(o.exchange, o.symbol);
  const seen = new Set(state.trades.map((t) => t.id));
  const balances0 = nonZero(state.balance);
  log.record("reconcile", {
    openOrders: state.openOrders.map(orderBrief), balances: balances0, recentFills: state.trades.length,
    lastFills: state.trades.slice(-10).map(tradeBrief),
  });
  o.out(`  reconciled: ${state.openOrders.length} open orders, ${state.trades.length} recent fills, balances ${showBalances(balances0)}\n`);
  const market = o.exchange.markets[o.symbol];
  const startBase = market === undefined ? 0 : state.balance.total[market.base] ?? 0;
  const meter = m === undefined ? undefined : new SessionMeter(m, o.exchange, o.symbol, startBase);
  await meter?.mark(true);
  let killed: KillRequest | undefined;

  let riskSeen = 0;
  const risk = riskOf(o.bot);
  const lookForFills = async (): Promise<void> => {
    if (risk !== undefined) {
      for (; riskSeen < risk.events.length; riskSeen++) {
        const ev = risk.events[riskSeen];
        log.record("risk", { ...ev });
        if (ev.rule !== "circuit-breaker") continue;
        m?.setCircuitBreaker(ev.action === "paused");
        if (ev.action === "paused" && o.onCircuitBreaker !== "pause") kill({ by: `circuit-breaker: ${ev.detail}`, flatten: o.flattenOnBreaker === true });
      }
    }
    await meter?.mark();
    if (ex.unchecked === 0 && ex.open.size === 0) return;
    ex.unchecked = 0;
    try {
      for (const t of await o.exchange.fetchMyTrades(o.symbol)) {
        if (seen.has(t.id)) continue;
        seen.add(t.id);
        log.record("fill", tradeBrief(t));
        meter?.onFill(t);
      }
    } catch (e) {
      log.record("error", { where: "fetchMyTrades (looking for fills)", error: e as Error });
    }
  };
  const host = new WallClockHost({
    bot: o.bot, exchange: ex, symbol: o.symbol, rng: o.rng, log, clock: o.clock, afterCall: lookForFills,
    onDecision: m === undefined ? undefined : (ms) => m.onDecision(ms),
    onEvent: (e) => (e.kind === "wake" ? log.record("wake", { due: e.due, lateMs: e.lateMs }) : log.record("error", { where: e.where, error: e.error })),
  });

  let stoppedBy = "";
  const stop = (why: string) => {
    if (stoppedBy !== "") return;
    stoppedBy = why;
    log.record("stopping", { by: why });
    host.halt();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    // A second Ctrl-C while stopping means now: the stop is abandoned and said so.
    if (stoppedBy !== "") {
      log.record("error", { where: "stop", error: new Error(`${sig} again while stopping: exiting without finishing the stop`) });
      process.exit(130);
    }
    stop(sig);
  };
  if (o.signals !== false) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  // A kill (arena kill, the circuit breaker) stops like a signal, then cancels everything whatever onStop says.
  function kill(r: KillRequest): void {
    if (killed === undefined) log.record("kill", { by: r.by, flatten: r.flatten });
    killed = r;
    stop(r.by.startsWith("circuit-breaker") ? "circuit-breaker" : "kill");
  }
  o.killSwitch?.attach(kill);
  const onAbort = () => stop("aborted");
  o.abort?.addEventListener("abort", onAbort);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let error: Error | undefined;
  try {
    o.onReady?.();
    const rebuilt = await host.start(state);
    const what = rebuilt ?? `${o.botName}: keeps no venue state (it reads its balance at each decision): nothing to rebuild`;
    log.record("rebuilt", { what });
    o.out(`  rebuilt: ${what}\n`);
    if (o.durationMs !== undefined) timer = setTimeout(() => stop("duration"), o.durationMs);
    if (o.abort?.aborted === true) stop("aborted");
    await host.run();
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
    if (stoppedBy === "") stoppedBy = "error";
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  try {
    await host.stop();
  } catch (e) {
    log.record("error", { where: "bot.stop", error: e as Error });
    error ??= e as Error;
  }

  let open = 0;
  let canceled = 0;
  let balances: Record<string, number> | undefined;
  let killLine = "";
  try {
    const orders = killed !== undefined ? [] : await o.exchange.fetchOpenOrders(o.symbol);
    open = orders.length;
    if (killed !== undefined) {
      const k = await killOrders(ex, o.symbol, { flattenTo: killed.flatten ? startBase : undefined, onStep: (what, f) => log.record("kill", { step: what, ...f }) });
      canceled = k.canceled;
      open = k.open;
      killLine = `arena trade: kill switch (${killed.by}): ${describeKill(k, o.symbol)}\n`;
      log.record("kill", { step: "done", canceled: k.canceled, open: k.open, flatten: k.flatten, base: k.base, errors: k.errors });
      if (k.open !== 0) error ??= new Error(`kill: ${k.open < 0 ? "the open orders could not be read" : `${k.open} open orders are still on the venue`} after ${k.errors.length} failures (last: ${k.errors.at(-1) ?? "none"})`);
    } else if (o.onStop === "cancel") {
      for (const ord of orders) {
        try {
          await ex.cancelOrder(ord.id, o.symbol);
          canceled++;
        } catch (e) {
          // Filled or canceled meanwhile: the final balances say what it did.
          log.record("error", { where: `cancel ${ord.id} at stop`, error: e as Error });
        }
      }
    } else if (orders.length > 0) {
      log.record("left", { openOrders: orders.map(orderBrief) });
    }
    await lookForFills();
    await meter?.mark(true);
    balances = nonZero(await o.exchange.fetchBalance());
  } catch (e) {
    log.record("error", { where: "stop", error: e as Error });
    error ??= e as Error;
  } finally {
    if (o.signals !== false) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    o.abort?.removeEventListener("abort", onAbort);
  }
  const orderWord = killed !== undefined
    ? `open orders canceled by the kill switch (${canceled}), ${open} left`
    : open === 0 ? "no open orders" : o.onStop === "cancel" ? `open orders canceled (${canceled} of ${open})` : `open orders left on the venue (${open})`;
  log.record("stop", { by: stoppedBy, why: killed?.by, wakes: host.wakes, ordersSent: ex.ordersSent, onStop: o.onStop, open, canceled, balances: balances ?? {}, error });
  const line = `arena trade: stopped (${killed?.by ?? stoppedBy}) after ${host.wakes} wakes and ${ex.ordersSent} orders; ${orderWord}; final balances ${balances === undefined ? "not read" : showBalances(pairFirst(balances, o.exchange.markets[o.symbol]))}\n`;
  o.out(killLine + line);
  o.killSwitch?.done(killLine + line);
  return { stoppedBy, wakes: host.wakes, ordersSent: ex.ordersSent, open, canceled, killed, balances: balances ?? {}, error };
}

/** The bot's risk manager, when it has one (the strategy bot), so its decisions are logged. */
function riskOf(bot: Bot): RiskManager | undefined {
  const r = (bot as { risk?: unknown }).risk;
  return r instanceof RiskManager ? r : undefined;
}
