// The Prometheus metrics of a trading host and of `arena serve`: the seed's names, and ours, each with its help text, on a registry of their own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Latency buckets, seconds: 1 ms to 10 s, where a venue round trip and a decision fall. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A registry of its own (never prom-client's global one, so two hosts in one process, or two
 * tests, do not share counters), with Node's process metrics (`process_*`, `nodejs_*`).
 */
export function createRegistry(opts: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/** What every host exposes: requests to (or served by) the venue API, and the health of each component. */
export function apiMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: "api_requests_total",
      help: "API requests, by endpoint and HTTP status code (a request that got no answer counts with code \"network\")",
      labelNames: ["endpoint", "code"] as const,
      registers,
    }),
    errors: new Counter({
      name: "api_errors_total",
      help: "API requests that failed, by endpoint and error code (the venue's error code, or the client's error class)",
      labelNames: ["endpoint", "code"] as const,
      registers,
    }),
    duration: new Histogram({
      name: "api_request_duration_seconds",
      help: "Time from a request to its answer, seconds, by endpoint",
      labelNames: ["endpoint"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    health: new Gauge({
      name: "service_health_status",
      help: "1 when the component passes its health check, 0 when it does not (the reason is in /health)",
      labelNames: ["service"] as const,
      registers,
    }),
  };
}

/** The market data feed: its freshness and what validation refused. */
export function dataMetrics(registry: Registry) {
  const registers = [registry];
  return {
    validationFailures: new Counter({
      name: "data_validation_failures_total",
      help: "Market data rows refused by validation, by rule",
      labelNames: ["rule"] as const,
      registers,
    }),
    latency: new Histogram({
      name: "data_latency_seconds",
      help: "Age of market data when it arrived (local receive time minus the venue's timestamp), seconds",
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    lastUpdate: new Gauge({
      name: "data_last_update_timestamp_seconds",
      help: "Unix time of the last market data received, seconds (stale data: time() minus this)",
      registers,
    }),
  };
}

/** The bot's book and decisions. Money in quote currency units (USDT), ratios as fractions. */
export function tradingMetrics(registry: Registry) {
  const registers = [registry];
  return {
    // A gauge although named _total (the seed's name): realised PnL goes down as well as up.
    pnl: new Gauge({ name: "trading_pnl_total", help: "Realised profit and loss since the host started, quote currency", registers }),
    trades: new Counter({ name: "trading_trades_total", help: "Fills received, by side", labelNames: ["side"] as const, registers }),
    winRate: new Gauge({ name: "trading_win_rate", help: "Share of closed trades with a positive realised PnL, 0 to 1", registers }),
    openPositions: new Gauge({ name: "trading_open_positions", help: "Open positions (symbols with a non-zero holding)", registers }),
    unrealisedPnl: new Gauge({ name: "trading_unrealized_pnl", help: "Unrealised profit and loss of open positions at the last mark, quote currency", registers }),
    equity: new Gauge({ name: "trading_equity", help: "Account equity (cash plus positions at the last mark), quote currency", registers }),
    exposure: new Gauge({ name: "trading_exposure", help: "Gross notional of open positions at the last mark, quote currency", registers }),
    exposureRatio: new Gauge({ name: "trading_exposure_ratio", help: "Gross notional of open positions over equity", registers }),
    drawdown: new Gauge({ name: "trading_drawdown_ratio", help: "Fall of equity from its peak since the host started, 0 to 1", registers }),
    dailyPnl: new Gauge({ name: "trading_daily_pnl_ratio", help: "Change of equity since the first mark of the current UTC day, as a fraction of it", registers }),
    regime: new Gauge({ name: "trading_regime", help: "The market regime the bot detects: 1 for the current one, 0 for the others seen", labelNames: ["regime"] as const, registers }),
    circuitBreaker: new Gauge({ name: "trading_circuit_breaker_open", help: "1 while the risk manager's circuit breaker stops trading, else 0", registers }),
    decisionLatency: new Histogram({
      name: "trading_decision_latency_seconds",
      help: "Time the bot took to decide on a wake-up, seconds",
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    orderLatency: new Histogram({
      name: "trading_order_latency_seconds",
      help: "Time from sending an order request to the venue's acknowledgement, seconds, by action (create, cancel, edit)",
      labelNames: ["action"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/** Model inference and vector search, for bots that use them (the memory-enhanced strategy, the PPO policy). */
export function modelMetrics(registry: Registry) {
  const registers = [registry];
  return {
    prediction: new Histogram({ name: "ml_prediction_latency_seconds", help: "Time of one model prediction, seconds", buckets: LATENCY_BUCKETS, registers }),
    search: new Histogram({ name: "qdrant_search_latency_seconds", help: "Time of one vector store search, seconds", buckets: LATENCY_BUCKETS, registers }),
  };
}

/** The metrics of a trading host (`arena trade`): every group above on one registry. */
export function createTradingMetrics(registry: Registry = createRegistry()) {
  return { registry, api: apiMetrics(registry), data: dataMetrics(registry), trading: tradingMetrics(registry), model: modelMetrics(registry) };
}

export type TradingMetrics = ReturnType<typeof createTradingMetrics>;
export type ApiMetrics = ReturnType<typeof apiMetrics>;
