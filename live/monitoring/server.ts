// The monitoring endpoint on loopback: `/metrics` in Prometheus's text format, `/health` as JSON (200, or 503 with the reasons).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Health } from "./health.ts";

/** Monitoring is served to this host only: Prometheus runs beside the bot, or scrapes through a tunnel. */
export const MONITORING_HOST = "127.0.0.1";

export interface MetricsServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (`/metrics`, `/health` under it). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `registry` on `/metrics` and `health` on `/health` at 127.0.0.1:`port` (0 picks a free
 * one). Health is evaluated before the metrics are read, so `service_health_status` is current.
 * @throws Error naming `--metrics-port` when the port cannot be used.
 */
export async function startMetricsServer(o: { registry: Registry; health: Health; port?: number }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://loopback").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end(`${req.method ?? "?"} is not served: only GET /metrics and GET /health\n`);
      return;
    }
    if (path === "/health") {
      const report = o.health.evaluate();
      res.writeHead(report.status === "ok" ? 200 : 503, { "Content-Type": "application/json" }).end(JSON.stringify(report));
      return;
    }
    if (path === "/metrics") {
      o.health.evaluate();
      o.registry.metrics().then(
        (text) => res.writeHead(200, { "Content-Type": o.registry.contentType }).end(text),
        (e: unknown) => res.writeHead(500, { "Content-Type": "text/plain" }).end(`metrics could not be collected: ${e instanceof Error ? e.message : String(e)}\n`),
      );
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain" }).end(`${path} is not served: only /metrics and /health\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(new Error(`--metrics-port: ${o.port ?? 0} on ${MONITORING_HOST} cannot be used (${e.code ?? e.message})`)));
    server.listen(o.port ?? 0, MONITORING_HOST, () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
