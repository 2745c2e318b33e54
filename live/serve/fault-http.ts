// The faults' HTTP side: the loopback-only admin endpoint (/admin/faults) and the injection of a drawn fault into one request's answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BinanceError } from "./errors.ts";
import { FaultPlan, parseFaultSpec, type HttpFault } from "./faults.ts";

/** The admin endpoint's path: GET reports, POST replaces the spec, DELETE clears it. */
export const ADMIN_PATH = "/admin/faults";

/** True for a peer on this machine's loopback (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopbackPeer(addr: string | undefined): boolean {
  return addr !== undefined && (/^127\./.test(addr) || addr === "::1" || /^::ffff:127\./.test(addr));
}

/** The live plan, swapped whole by the admin endpoint; held requests are let go on close. */
export class FaultControl {
  plan: FaultPlan;
  private readonly held = new Set<ReturnType<typeof setTimeout>>();

  constructor(plan: FaultPlan = new FaultPlan()) {
    this.plan = plan;
  }

  /** Answers an admin request. Refuses non-loopback peers with 403 (the server listens on loopback only; this says so twice). */
  admin(req: IncomingMessage, method: string, body: string, send: (status: number, out: unknown) => void): void {
    if (!isLoopbackPeer(req.socket.remoteAddress)) return send(403, { code: -2015, msg: `${ADMIN_PATH} answers loopback peers only (peer ${req.socket.remoteAddress ?? "unknown"})` });
    if (method === "GET") return send(200, this.plan.report());
    if (method === "DELETE") {
      this.plan = new FaultPlan();
      return send(200, this.plan.report());
    }
    if (method !== "POST") return send(405, { code: -1000, msg: `${ADMIN_PATH}: ${method} is not served (GET reports, POST sets, DELETE clears)` });
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch (e) {
      return send(400, { code: -1100, msg: `${ADMIN_PATH}: the body is not JSON (${(e as Error).message})` });
    }
    try {
      this.plan = new FaultPlan(parseFaultSpec(raw, ADMIN_PATH));
    } catch (e) {
      return send(400, { code: -1100, msg: (e as Error).message });
    }
    send(200, this.plan.report());
  }

  /** Runs `f` after `ms` of wall time unless the server closes first. */
  later(ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.held.delete(t);
      f();
    }, ms);
    t.unref();
    this.held.add(t);
  }

  /** Drops every held request (their sockets are closed with the server). */
  close(): void {
    for (const t of this.held) clearTimeout(t);
    this.held.clear();
  }
}

/** The refusal a fault answers with before the request is processed, or undefined for faults that do not refuse. */
export function refusalOf(f: HttpFault): BinanceError | undefined {
  switch (f.kind) {
    case "rateLimit":
      return new BinanceError(429, -1003, "Too many requests; current limit is exceeded (injected fault). Please use WebSocket Streams for live updates to avoid polling the API.", { "Retry-After": String(f.retryAfterS) });
    case "ban":
      return new BinanceError(418, -1003, `Way too many requests; IP banned for ${f.retryAfterS} s (injected fault).`, { "Retry-After": String(f.retryAfterS) });
    case "serverError":
      return new BinanceError(f.status, -1000, "An unknown error occurred while processing the request (injected fault).");
    default:
      return undefined;
  }
}

/** Answers a processed request whose acknowledgement the fault loses: a reset, Binance's 5xx "status unknown", or after the client gave up. */
export function loseAnswer(ctl: FaultControl, f: HttpFault & { kind: "lostAck" }, res: ServerResponse, answer: () => void): void {
  if (f.mode === "reset") {
    res.socket?.destroy();
    return;
  }
  if (f.mode === "5xx") {
    res.writeHead(503, { "Content-Type": "application/json;charset=UTF-8" });
    res.end(JSON.stringify({ code: -1000, msg: "Unknown error, please check your request or try again later (injected fault: the request was processed)." }));
    return;
  }
  ctl.later(f.ms, () => {
    if (!res.destroyed && !res.writableEnded) answer();
  });
}
