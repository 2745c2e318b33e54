// `arena serve --metrics-port`: the served venue's metrics (requests by endpoint and code, latency, WebSocket clients, simulated time's lag) and its health.
import { Counter, Gauge, type Registry } from "prom-client";
import { Health, type CheckResult } from "../monitoring/health.ts";
import { apiMetrics, createRegistry, type ApiMetrics } from "../monitoring/metrics.ts";
import type { ServedVenue } from "./venue.ts";

/** The simulation this far behind the wall clock (wall time) fails /health, ms. */
export const DEFAULT_MAX_LAG_MS = 5_000;

/** WebSocket connections open now, by kind. */
export interface WsClientCount {
  readonly market: number;
  readonly api: number;
}

/** What the simulation check reads. */
export interface SimulationState {
  /** The simulation's first error, which stops it for good. */
  readonly failure: Error | undefined;
  /** How far simulated time is behind what the wall clock asks for, in wall ms. */
  readonly lagMs: number;
}

/** The `simulation` health check: fails once the simulation has stopped, or while it lags beyond `maxLagMs`. */
export function simulationCheck(s: SimulationState, maxLagMs: number): CheckResult {
  const detail = { lagSeconds: s.lagMs / 1000, maxLagSeconds: maxLagMs / 1000 };
  if (s.failure !== undefined) return { ok: false, reason: `the simulation stopped: ${s.failure.message}`, detail };
  if (s.lagMs > maxLagMs) {
    return { ok: false, reason: `the simulation is ${(s.lagMs / 1000).toFixed(1)} s behind the wall clock (limit ${maxLagMs / 1000} s): it cannot keep up with --speed`, detail };
  }
  return { ok: true, detail };
}

/** The venue's simulated time lag behind the wall clock, wall ms. */
export function lagMs(venue: ServedVenue): number {
  return Math.max(0, venue.targetNs() - venue.kernel.now) / venue.speed / 1e6;
}

/** The metrics and health of one served venue, on a registry of their own. */
export class ServeMonitor {
  readonly registry: Registry;
  readonly health: Health;
  readonly api: ApiMetrics;

  constructor(venue: ServedVenue, wsClients: () => WsClientCount, wsSent: () => number, maxLagMs = DEFAULT_MAX_LAG_MS) {
    this.registry = createRegistry();
    const registers = [this.registry];
    this.api = apiMetrics(this.registry);
    this.health = new Health(this.api.health).add("simulation", () => simulationCheck({ failure: venue.failure, lagMs: lagMs(venue) }, maxLagMs));
    new Gauge({
      name: "serve_ws_clients",
      help: "WebSocket connections open, by kind (market streams, WS-API)",
      labelNames: ["kind"] as const,
      registers,
      collect() {
        const c = wsClients();
        this.set({ kind: "market" }, c.market);
        this.set({ kind: "api" }, c.api);
      },
    });
    new Counter({
      name: "serve_ws_messages_sent_total",
      help: "WebSocket messages sent (stream events and answers)",
      registers,
      collect() {
        this.reset();
        this.inc(wsSent());
      },
    });
    new Gauge({
      name: "serve_sim_lag_seconds",
      help: "How far simulated time is behind the wall clock times --speed, in wall seconds",
      registers,
      collect() {
        this.set(lagMs(venue) / 1000);
      },
    });
    new Gauge({
      name: "serve_sim_time_seconds",
      help: "Simulated time since the scenario started, seconds",
      registers,
      collect() {
        this.set(venue.kernel.now / 1e9);
      },
    });
    new Gauge({ name: "serve_speed", help: "Simulated seconds per wall second (--speed)", registers }).set(venue.speed);
  }

  /**
   * One answered request: `endpoint` is "METHOD /path" for served routes and "other" for the rest
   * (a client cannot grow the label set); `code` is Binance's error code of a refusal.
   */
  onRequest(endpoint: string, status: number, latencyMs: number, code?: number): void {
    this.api.requests.inc({ endpoint, code: String(status) });
    this.api.duration.observe({ endpoint }, latencyMs / 1000);
    if (status >= 400) this.api.errors.inc({ endpoint, code: String(code ?? status) });
  }
}
