// A loopback HTTP proxy in front of `arena serve` that injects faults on a fixed pattern: 503s, dropped connections, and cancels whose answer is lost after the venue applied them.
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultProxy {
  /** http://127.0.0.1:PORT, standing for the venue's base URL. */
  readonly url: string;
  /** Faults injected so far, by kind. */
  readonly injected: { unavailable: number; dropped: number; lostAck: number; forwarded: number };
  /** Turns the faults on or off (on by default). */
  faults: boolean;
  close(): Promise<void>;
}

/**
 * Forwards to `target` (http://127.0.0.1:P). Of the requests after the first `grace` (market
 * loading), every 4th gets a 503 and the one after it a dropped connection, neither reaching the
 * venue; every 2nd DELETE (a cancel) reaches the venue and then loses its answer.
 */
export async function faultProxy(target: string, grace = 2): Promise<FaultProxy> {
  const t = new URL(target);
  let n = 0;
  let deletes = 0;
  const injected = { unavailable: 0, dropped: 0, lostAck: 0, forwarded: 0 };
  const state = { faults: true };
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, lose: boolean) => {
    const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => {
        injected.forwarded++;
        if (lose) {
          injected.lostAck++;
          res.socket?.destroy();
          return;
        }
        res.writeHead(r.statusCode ?? 502, r.headers).end(Buffer.concat(chunks));
      });
    });
    up.on("error", () => res.socket?.destroy());
    up.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const k = n++;
      if (state.faults && k >= grace) {
        if (k % 4 === 0) {
          injected.unavailable++;
          res.writeHead(503, { "Content-Type": "text/plain" }).end("Service Unavailable");
          return;
        }
        if (k % 4 === 1) {
          injected.dropped++;
          res.socket?.destroy();
          return;
        }
      }
      const lose = state.faults && req.method === "DELETE" && deletes++ % 2 === 0;
      forward(req, res, body, lose);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    get faults() {
      return state.faults;
    },
    set faults(v: boolean) {
      state.faults = v;
    },
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}
