// What a trading host (`arena trade`) calls to be monitored: a few typed events that move the metrics and decide /health.
import type { Registry } from "prom-client";
import { freshness, Health, type CheckResult } from "./health.ts";
import { createRegistry, createTradingMetrics, type TradingMetrics } from "./metrics.ts";
import { startMetricsServer, type MetricsServer } from "./server.ts";

/** Market data older than this makes /health answer 503, ms. */
export const DEFAULT_MAX_DATA_AGE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Error classes (ccxt's, or the host's own) that mean the venue did not answer at all. */
const UNREACHABLE_ERRORS = new Set(["NetworkError", "RequestTimeout", "ExchangeNotAvailable", "OnMaintenance"]);
/** Node's socket error codes with the same meaning. */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN", "ENOTFOUND"]);

export interface TradingMonitorOptions {
  /** Market data older than this fails /health, ms. Default 60 s. */
  readonly maxDataAgeMs?: number;
  /** Wall clock, Unix ms. Default Date.now. */
  readonly nowMs?: () => number;
  readonly registry?: Registry;
}

/** A fill as the monitor needs it. */
export interface FillEvent {
  readonly side: "buy" | "sell";
  /** Realised PnL of the trade this fill closed, quote currency; omit for a fill that opens or adds. */
  readonly realisedPnl?: number;
}

/** The account marked to market, quote currency. */
export interface EquityEvent {
  readonly equity: number;
  readonly unrealisedPnl?: number;
  /** Gross notional of open positions. */
  readonly exposure?: number;
  readonly openPositions?: number;
}

/** The error class's name (most specific first) and Node's `code`, for labels. */
function describeError(e: unknown): { name: string; unreachable: boolean } {
  // The Exchange port's errors carry a stable reason ("network" past the adapter's retries, "insufficient_balance"...): that is the label.
  const reason = (e as { reason?: unknown } | null)?.reason;
  if (typeof reason === "string" && reason !== "") return { name: reason, unreachable: reason === "network" };
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const code = (e as { code?: unknown } | null)?.code;
  return { name, unreachable: UNREACHABLE_ERRORS.has(name) || (typeof code === "string" && UNREACHABLE_CODES.has(code)) };
}

/**
 * The monitoring of one trading host. Every method is cheap and never throws, so it can sit on
 * the trading path; latencies are given in ms (performance.now differences) and exposed in seconds.
 */
export class TradingMonitor {
  readonly metrics: TradingMetrics;
  readonly health: Health;
  private readonly nowMs: () => number;
  private lastDataMs: number | undefined;
  private venue: CheckResult = { ok: true };
  private readonly custom = new Map<string, CheckResult>();
  private peakEquity = 0;
  private day = -1;
  private dayStartEquity = 0;
  private closedTrades = 0;
  private wins = 0;
  private readonly regimes = new Set<string>();

  constructor(o: TradingMonitorOptions = {}) {
    this.nowMs = o.nowMs ?? (() => Date.now());
    this.metrics = createTradingMetrics(o.registry ?? createRegistry());
    this.health = new Health(this.metrics.api.health);
    const maxAge = o.maxDataAgeMs ?? DEFAULT_MAX_DATA_AGE_MS;
    this.health
      .add("data", freshness("market data", () => this.lastDataMs, this.nowMs(), maxAge, this.nowMs))
      .add("venue", () => this.venue);
  }

  /** The bot decided on a wake-up in `latencyMs`. */
  onDecision(latencyMs: number): void {
    this.metrics.trading.decisionLatency.observe(latencyMs / 1000);
  }

  /** The venue acknowledged an order request `latencyMs` after it was sent. */
  onOrder(latencyMs: number, action: "create" | "cancel" | "edit" = "create"): void {
    this.metrics.trading.orderLatency.observe({ action }, latencyMs / 1000);
  }

  onFill(f: FillEvent): void {
    const t = this.metrics.trading;
    t.trades.inc({ side: f.side });
    if (f.realisedPnl === undefined || !Number.isFinite(f.realisedPnl)) return;
    t.pnl.inc(f.realisedPnl);
    this.closedTrades++;
    if (f.realisedPnl > 0) this.wins++;
    t.winRate.set(this.wins / this.closedTrades);
  }

  /** The account marked to market: equity, its peak's drawdown and the day's change follow. */
  onEquity(e: EquityEvent): void {
    if (!Number.isFinite(e.equity)) return;
    const t = this.metrics.trading;
    t.equity.set(e.equity);
    if (e.unrealisedPnl !== undefined) t.unrealisedPnl.set(e.unrealisedPnl);
    if (e.openPositions !== undefined) t.openPositions.set(e.openPositions);
    if (e.exposure !== undefined) {
      t.exposure.set(e.exposure);
      t.exposureRatio.set(e.equity > 0 ? e.exposure / e.equity : 0);
    }
    this.peakEquity = Math.max(this.peakEquity, e.equity);
    t.drawdown.set(this.peakEquity > 0 ? Math.max(0, 1 - e.equity / this.peakEquity) : 0);
    const day = Math.floor(this.nowMs() / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayStartEquity = e.equity;
    }
    t.dailyPnl.set(this.dayStartEquity > 0 ? (e.equity - this.dayStartEquity) / this.dayStartEquity : 0);
  }

  /** Market data stamped `venueMs` (Unix ms) arrived now: its latency, and /health's freshness. */
  onMarketData(venueMs: number): void {
    const now = this.nowMs();
    this.lastDataMs = now;
    this.metrics.data.lastUpdate.set(now / 1000);
    if (Number.isFinite(venueMs)) this.metrics.data.latency.observe(Math.max(0, now - venueMs) / 1000);
  }

  /** A row of market data was refused by `rule` (e.g. "high-below-open"). */
  onValidationFailure(rule: string): void {
    this.metrics.data.validationFailures.inc({ rule });
  }

  /** An API call answered: counted by endpoint and code; the venue is reachable. */
  onApiRequest(endpoint: string, latencyMs: number, code = "200"): void {
    this.metrics.api.requests.inc({ endpoint, code });
    this.metrics.api.duration.observe({ endpoint }, latencyMs / 1000);
    this.venue = { ok: true };
  }

  /**
   * An API call failed with `code` (the venue's error code or the error's class). It counts as a
   * request (with HTTP `status`, or "network" when nothing answered) and as an error; `unreachable`
   * fails /health's venue check until the next call that is answered.
   */
  onApiError(endpoint: string, code: string, o: { status?: number; latencyMs?: number; unreachable?: boolean; reason?: string } = {}): void {
    this.metrics.api.requests.inc({ endpoint, code: o.status === undefined ? "network" : String(o.status) });
    this.metrics.api.errors.inc({ endpoint, code });
    if (o.latencyMs !== undefined) this.metrics.api.duration.observe({ endpoint }, o.latencyMs / 1000);
    if (o.unreachable === true) this.venue = { ok: false, reason: `the venue is unreachable: ${endpoint} failed with ${code}${o.reason === undefined ? "" : ` (${o.reason})`}` };
  }

  /**
   * Runs one venue call and records it: timed, counted, and on failure classified (ccxt's
   * NetworkError, RequestTimeout, ExchangeNotAvailable, OnMaintenance, a socket error, or the
   * port's ExchangeError with reason "network": unreachable; a port error is labelled by its reason).
   * @throws what `call` throws, unchanged.
   */
  async api<T>(endpoint: string, call: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      const out = await call();
      this.onApiRequest(endpoint, performance.now() - t0);
      return out;
    } catch (e) {
      const d = describeError(e);
      this.onApiError(endpoint, d.name, { latencyMs: performance.now() - t0, unreachable: d.unreachable });
      throw e;
    }
  }

  onPrediction(latencyMs: number): void {
    this.metrics.model.prediction.observe(latencyMs / 1000);
  }

  onVectorSearch(latencyMs: number): void {
    this.metrics.model.search.observe(latencyMs / 1000);
  }

  /** The regime the bot now detects (e.g. "trending-up"); the others seen drop to 0. */
  setRegime(regime: string): void {
    this.regimes.add(regime);
    for (const r of this.regimes) this.metrics.trading.regime.set({ regime: r }, r === regime ? 1 : 0);
  }

  /**
   * The circuit breaker opened (trading stopped) or closed. It alerts but leaves /health at 200:
   * a deliberate stop is not a fault, and a supervisor must not restart the host for it.
   */
  setCircuitBreaker(open: boolean): void {
    this.metrics.trading.circuitBreaker.set(open ? 1 : 0);
  }

  /** The venue's reachability as the host learnt it otherwise (a WebSocket dropped, a ping failed). */
  setVenueReachable(ok: boolean, reason?: string): void {
    this.venue = ok ? { ok: true } : { ok: false, reason: `the venue is unreachable${reason === undefined ? "" : `: ${reason}`}` };
  }

  /** A component of the host's own (e.g. "journal"): a failing one fails /health with `reason`. */
  setHealth(service: string, ok: boolean, reason?: string): void {
    if (!this.custom.has(service)) this.health.add(service, () => this.custom.get(service) ?? { ok: true });
    this.custom.set(service, ok ? { ok: true } : { ok: false, reason: reason ?? "failing" });
  }
}

/**
 * A monitor and its endpoint on 127.0.0.1:`port` (0: a free one): what `arena trade --metrics-port P`
 * starts before its first request, and closes after its last.
 * @throws Error naming `--metrics-port` when the port cannot be used.
 */
export async function startTradingMonitor(o: TradingMonitorOptions & { port: number }): Promise<{ monitor: TradingMonitor; server: MetricsServer }> {
  const monitor = new TradingMonitor(o);
  const server = await startMetricsServer({ registry: monitor.metrics.registry, health: monitor.health, port: o.port });
  return { monitor, server };
}
