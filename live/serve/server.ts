// The HTTP server of `arena serve`: Binance's /api/v3 and WebSocket streams on loopback only, signed requests checked, weights metered.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Kernel } from "../../sim/kernel.ts";
import { startMetricsServer, type MetricsServer } from "../monitoring/server.ts";
import type { AccountSpec } from "./accounts.ts";
import { BinanceError, err } from "./errors.ts";
import { ServeMonitor } from "./monitoring.ts";
import { limitIntent, thinAhead } from "./fault-desk.ts";
import { ADMIN_PATH, FaultControl, loseAnswer, refusalOf } from "./fault-http.ts";
import { FaultPlan, type FaultSpec } from "./faults.ts";
import { ROUTES } from "./routes.ts";
import { checkSigned } from "./signing.ts";
import { ServedVenue } from "./venue.ts";
import { attachWebSocket } from "./ws.ts";
import { DEFAULT_WEIGHT_LIMIT, WeightMeter, weightOf } from "./weights.ts";

/** The only address served: requests never come from, nor go to, another host. */
export const LOOPBACK = "127.0.0.1";
/** Largest request body read, bytes (an order is a few hundred). */
const MAX_BODY = 64 * 1024;

export interface ServeOptions {
  /** A kernel built but not started (scenarios/build.ts, scenarios/registry.ts). */
  readonly kernel: Kernel;
  readonly accounts: readonly AccountSpec[];
  /** Simulated seconds per wall second. Default 1. */
  readonly speed?: number;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** REQUEST_WEIGHT limit per minute. Default Binance's 6000. */
  readonly weightLimit?: number;
  /** Wall clocks; default performance.now and Date.now. */
  readonly monotonicMs?: () => number;
  readonly unixMs?: () => number;
  /** Serves `/metrics` and `/health` on 127.0.0.1 at this port (0: a free one); none when undefined. */
  readonly metricsPort?: number;
  /** /health answers 503 while the simulation lags the wall clock by more than this, wall ms. Default 5 s. */
  readonly maxLagMs?: number;
  /** Faults to inject from the start (faults.ts); POST /admin/faults replaces them while running. */
  readonly faults?: FaultSpec;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (Binance's `/api/v3` paths go under it). */
  readonly url: string;
  readonly port: number;
  readonly venue: ServedVenue;
  /** ccxt pro's `urls.test.ws`: market streams (`spot`) and the WS-API (`'ws-api'.spot`) on the same port. */
  readonly ws: { readonly spot: string; readonly "ws-api": { readonly spot: string } };
  /** WebSocket messages sent so far. */
  readonly wsSent: number;
  /** Requests received so far (a test compares it with what its client sent). */
  readonly requests: number;
  /** The monitoring endpoint (`/metrics`, `/health`), when `metricsPort` was given. */
  readonly metrics: MetricsServer | undefined;
  /** The faults being injected and what was injected so far (also GET /admin/faults). */
  readonly faults: FaultControl;
  /** Stops accepting, closes connections and waits for the request in progress. */
  close(): Promise<void>;
}

/**
 * Starts a served venue: the simulation begins (simulated time 0 = now) and HTTP answers on
 * 127.0.0.1. Plain node:http: a dozen routes need no router, and signatures must be checked
 * over the exact query and body bytes, which a framework's parsers would hide.
 * @throws Error naming the option for a bad speed, weight limit or a port in use.
 */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const monotonicMs = o.monotonicMs ?? (() => performance.now());
  const unixMs = o.unixMs ?? (() => Date.now());
  const weightLimit = o.weightLimit ?? DEFAULT_WEIGHT_LIMIT;
  const meter = new WeightMeter(weightLimit);
  const venue = new ServedVenue(o.kernel, o.accounts, o.speed ?? 1, { monotonicMs });
  const inst = o.kernel.venue.instrument;
  await venue.start();
  const faults = new FaultControl(new FaultPlan(o.faults));
  let requests = 0;
  // Bound once listening (the WebSocket feeds it counts exist only then).
  let monitor: ServeMonitor | undefined;
  const server: Server = createServer((req, res) => {
    requests++;
    const t0 = monotonicMs();
    handle(req, res).then(
      (a) => monitor?.onRequest(a.endpoint, a.status, monotonicMs() - t0, a.code),
      (e: unknown) => {
        send(res, 500, { code: -1000, msg: String(e) }, {});
        monitor?.onRequest("other", 500, monotonicMs() - t0, -1000);
      },
    );
  });

  /** Answers a request; returns what it answered, for the metrics. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<{ endpoint: string; status: number; code?: number }> {
    const url = new URL(req.url ?? "/", "http://loopback");
    const method = req.method ?? "GET";
    const body = await readBody(req);
    const query = url.search.startsWith("?") ? url.search.slice(1) : "";
    const params = new URLSearchParams(query);
    if (body !== "") for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    if (url.pathname === ADMIN_PATH) {
      let answered = 0;
      faults.admin(req, method, body, (status, out) => send(res, (answered = status), out, {}));
      return { endpoint: "admin", status: answered };
    }
    const endpoint = url.pathname.startsWith("/api/v3/") ? url.pathname.slice("/api/v3/".length) : "";
    const route = ROUTES[`${method} ${endpoint}`];
    // Unknown paths share one label: a client must not be able to grow the label set.
    const label = route === undefined ? "other" : `${method} ${url.pathname}`;
    const fault = faults.plan.forRequest(`${method} ${endpoint}`, unixMs());
    if (fault?.kind === "timeout") {
      // Never processed, never answered: the client's timeout decides; then the connection goes.
      faults.later(fault.ms, () => req.socket.destroy());
      return { endpoint: label, status: 0 };
    }
    const w = meter.take(route === undefined ? 1 : weightOf(method, endpoint, params), unixMs());
    const headers = { "X-MBX-USED-WEIGHT-1M": String(w.used) };
    try {
      if (!w.ok) throw err.tooMuchWeight(weightLimit, w.retryAfterS);
      if (route === undefined) throw err.notFound(`${method} ${url.pathname}`);
      let account;
      if (route.signed) {
        const key = req.headers["x-mbx-apikey"];
        if (typeof key !== "string" || key === "") throw err.keyFormat();
        account = venue.accounts.get(key);
        if (account === undefined) throw err.badKey();
        // Binance signs the query string followed by the body (its "totalParams").
        checkSigned(account.spec.secret, query + body, params, [unixMs(), venue.venueMs()]);
      }
      const refusal = fault === undefined ? undefined : refusalOf(fault);
      if (refusal !== undefined) throw refusal;
      if (fault?.kind === "partialFill") {
        const intent = limitIntent(params);
        if (intent !== undefined && (await thinAhead(venue, inst, intent, fault.fraction))) faults.plan.count(fault);
      }
      const out = await route.handle({ venue, inst, params, account, weightLimit });
      if (fault?.kind === "lostAck") {
        loseAnswer(faults, fault, res, () => send(res, 200, out, headers));
        return { endpoint: label, status: fault.mode === "5xx" ? 503 : 0 };
      }
      send(res, 200, out, headers);
      return { endpoint: label, status: 200 };
    } catch (e) {
      if (e instanceof BinanceError) {
        send(res, e.status, { code: e.code, msg: e.message }, { ...headers, ...e.headers });
        return { endpoint: label, status: e.status, code: e.code };
      }
      send(res, 500, { code: -1000, msg: e instanceof Error ? e.message : String(e) }, headers);
      return { endpoint: label, status: 500, code: -1000 };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(new Error(`--port: ${o.port ?? 0} on ${LOOPBACK} cannot be used (${e.code ?? e.message})`)));
    server.listen(o.port ?? 0, LOOPBACK, () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const feeds = attachWebSocket(server, venue, inst, unixMs, faults);
  let metrics: MetricsServer | undefined;
  if (o.metricsPort !== undefined) {
    monitor = new ServeMonitor(venue, () => feeds.clients, () => feeds.sent, o.maxLagMs);
    try {
      metrics = await startMetricsServer({ registry: monitor.registry, health: monitor.health, port: o.metricsPort });
    } catch (e) {
      await feeds.close();
      await venue.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw e;
    }
  }
  return {
    url: `http://${address}:${port}`,
    port,
    venue,
    // "/stream" in the path: ccxt tells spot from futures streams by it (isSpotUrl).
    ws: { spot: `ws://${address}:${port}/stream/ws`, "ws-api": { spot: `ws://${address}:${port}/ws-api/v3` } },
    get wsSent() {
      return feeds.sent;
    },
    get requests() {
      return requests;
    },
    metrics,
    faults,
    async close() {
      faults.close();
      await metrics?.close();
      await feeds.close();
      await venue.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>>): void {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "application/json;charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

/** The request body as text. @throws BinanceError when larger than MAX_BODY. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req) {
    n += (chunk as Buffer).length;
    if (n > MAX_BODY) throw new BinanceError(413, -1000, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
