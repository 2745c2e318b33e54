// How `arena kill` reaches a running `arena trade`: a kill switch the session attaches to, served on a loopback control port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The control port is served to this host only, like the metrics. */
export const CONTROL_HOST = "127.0.0.1";

/** A request to stop: who pulled it and whether to flatten. */
export interface KillRequest {
  /** "arena kill", "circuit-breaker: ..." */
  readonly by: string;
  readonly flatten: boolean;
}

/**
 * The switch between whoever pulls it (the control port, the circuit breaker) and the session:
 * a pull before the session attached waits for it; every puller is answered with the session's
 * last line once it has stopped.
 */
export class KillSwitch {
  private request: KillRequest | undefined;
  private handler: ((r: KillRequest) => void) | undefined;
  private readonly waiters: ((line: string) => void)[] = [];
  private final: string | undefined;

  /** The request being served, once pulled. */
  get pulled(): KillRequest | undefined {
    return this.request;
  }

  /** Pulls the switch (the first pull decides `by`; a later one may add flattening). Resolves with the session's stop line. */
  pull(r: KillRequest): Promise<string> {
    if (this.final !== undefined) return Promise.resolve(this.final);
    if (this.request === undefined) this.request = r;
    else if (r.flatten && !this.request.flatten) this.request = { ...this.request, flatten: true };
    const answer = new Promise<string>((ok) => this.waiters.push(ok));
    this.handler?.(this.request);
    return answer;
  }

  /** The session's side: `handler` stops it; called at once when the switch was pulled before. */
  attach(handler: (r: KillRequest) => void): void {
    this.handler = handler;
    if (this.request !== undefined) handler(this.request);
  }

  /** The session has stopped: answers every puller with `line`. */
  done(line: string): void {
    this.final = line;
    for (const w of this.waiters.splice(0)) w(line);
  }
}

export interface ControlServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `POST /kill` (`?flatten=1` to flatten) and `GET /status` on 127.0.0.1:`port` (0: a free
 * one). A kill is answered once the session has stopped, with its stop line.
 * @throws Error naming `--control-port` when the port cannot be used.
 */
export async function startControlServer(sw: KillSwitch, port: number, status: () => Readonly<Record<string, unknown>>): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://loopback");
    const json = (code: number, body: unknown) => res.writeHead(code, { "Content-Type": "application/json" }).end(JSON.stringify(body) + "\n");
    if (url.pathname === "/status" && req.method === "GET") return json(200, { pid: process.pid, killed: sw.pulled ?? null, ...status() });
    if (url.pathname === "/kill" && req.method === "POST") {
      const flatten = url.searchParams.get("flatten") === "1";
      sw.pull({ by: "arena kill", flatten }).then((line) => json(200, { stopped: true, line }), (e: unknown) => json(500, { stopped: false, error: String(e) }));
      return;
    }
    json(404, { error: `${req.method ?? "?"} ${url.pathname} is not served: only POST /kill[?flatten=1] and GET /status` });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) => fail(new Error(`--control-port: ${port} on ${CONTROL_HOST} cannot be used (${e.code ?? e.message})`)));
    server.listen(port, CONTROL_HOST, () => ok());
  });
  return {
    port: (server.address() as AddressInfo).port,
    // A kill's answer may still be on its way: idle connections go now, the rest after a second.
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1000).unref();
    }),
  };
}

/**
 * `arena kill --control-port P`: asks the session on 127.0.0.1:`port` to kill, and waits for its stop line.
 * @throws Error saying no session answered (with the way to reach the venue directly), or what it answered.
 */
export async function requestKill(port: number, flatten: boolean, timeoutMs: number): Promise<{ status: number; stopped: boolean; line?: string; error?: string }> {
  let r: Response;
  try {
    r = await fetch(`http://${CONTROL_HOST}:${port}/kill${flatten ? "?flatten=1" : ""}`, { method: "POST", signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (e as Error).message;
    throw new Error(`kill: no answer from an arena trade session at ${CONTROL_HOST}:${port} (${cause}); with no session running, go to the venue directly: arena kill --exchange ID --symbol SYM --config FILE`);
  }
  const body = (await r.json()) as { stopped?: boolean; line?: string; error?: string };
  return { status: r.status, stopped: body.stopped === true, line: body.line, error: body.error };
}
