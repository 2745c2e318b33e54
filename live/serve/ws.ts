// The served venue's WebSocket side: market streams (<symbol>@depth@100ms, <symbol>@trade) and the WS-API user data stream, on the REST server's port.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { lotsToAmount, ticksToPrice, type Instrument } from "../../market/instrument.ts";
import type { BookDiff } from "./book-feed.ts";
import { binanceSymbol, dec } from "./binance-shapes.ts";
import { BinanceError } from "./errors.ts";
import type { FaultControl } from "./fault-http.ts";
import { checkSigned } from "./signing.ts";
import { UserFeed } from "./user-feed.ts";
import type { ServedAccount, ServedVenue } from "./venue.ts";

/** Wall period of the depth stream and of the other feeds' batches, ms (the `@100ms` of the stream name). */
export const FEED_MS = 100;
/** Largest message read from a client, bytes (a request is a few hundred). */
const MAX_MESSAGE = 64 * 1024;
/** Binance's limit of streams per connection. */
const MAX_STREAMS = 1024;

export interface WsFeeds {
  /** Messages sent to clients so far (stream events and answers). */
  readonly sent: number;
  /** Connections open now: market streams and WS-API. */
  readonly clients: { readonly market: number; readonly api: number };
  /** Closes every connection and stops the feeds. */
  close(): Promise<void>;
}

/** A market stream connection: the streams it follows. */
interface MarketConn {
  readonly ws: WebSocket;
  readonly streams: Set<string>;
}

/** A WS-API connection: its user data subscriptions (id → account). */
interface ApiConn {
  readonly ws: WebSocket;
  readonly subs: Map<number, ServedAccount>;
}

/** Whether `path` is a market stream endpoint: Binance's /ws and /stream/ws (ccxt appends /<index>). */
function isMarketPath(path: string): boolean {
  return /^(\/stream)?\/ws(\/[0-9A-Za-z_-]*)?$/.test(path);
}

/**
 * Serves WebSockets on `server`'s upgrades. Every FEED_MS of wall time, after the simulation
 * has caught up: the book's diff goes to `@depth@100ms` followers, new trades to `@trade`
 * followers, and the served accounts' order events to their user data subscribers.
 */
export function attachWebSocket(server: Server, venue: ServedVenue, inst: Instrument, unixMs: () => number, faults?: FaultControl): WsFeeds {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  const markets = new Set<MarketConn>();
  const apis = new Set<ApiConn>();
  const user = new UserFeed(venue.kernel, venue.accounts.values());
  const sym = binanceSymbol(inst);
  const lower = sym.toLowerCase();
  const depthStream = `${lower}@depth@100ms`;
  const tradeStream = `${lower}@trade`;
  let sent = 0;
  let nextSubscription = 0;
  let lastTradeId = venue.tape.trades.at(-1)?.tradeId ?? -1;
  const px = (t: number) => dec(ticksToPrice(inst, t));
  const qty = (l: number) => dec(lotsToAmount(inst, l));
  const venueMs = (ns: number) => venue.kernel.epochMs + Math.floor(ns / 1e6);

  /** Messages a reorder fault holds back, by connection: each goes out after the connection's next one. */
  const heldBack = new Map<WebSocket, string>();

  /** Sends one message, unless a fault drops the connection, delays the message or holds it back. */
  function deliver(ws: WebSocket, text: string): void {
    const f = faults?.plan.forMessage();
    if (f?.kind === "wsDrop") return ws.terminate();
    if (f?.kind === "streamDelay") {
      return faults!.later(f.ms, () => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(text);
        sent++;
      });
    }
    const before = heldBack.get(ws);
    if (f?.kind === "streamReorder" && before === undefined) return void heldBack.set(ws, text);
    ws.send(text);
    sent++;
    if (before !== undefined) {
      heldBack.delete(ws);
      ws.send(before);
      sent++;
    }
  }

  function send(ws: WebSocket, msg: unknown): void {
    if (ws.readyState !== ws.OPEN) return;
    deliver(ws, JSON.stringify(msg));
  }

  function broadcast(stream: string, msg: unknown): void {
    let text: string | undefined;
    for (const c of markets) {
      if (!c.streams.has(stream) || c.ws.readyState !== c.ws.OPEN) continue;
      deliver(c.ws, (text ??= JSON.stringify(msg)));
    }
  }

  const unlisten = venue.book.listen((d: BookDiff) => {
    broadcast(depthStream, {
      e: "depthUpdate", E: venueMs(d.ts), s: sym, U: d.U, u: d.u,
      b: d.bids.map(([p, l]) => [px(p), qty(l)]), a: d.asks.map(([p, l]) => [px(p), qty(l)]),
    });
  });

  /** One feed batch; runs inside venue.run, between kernel steps. */
  function tick(): void {
    venue.book.sync();
    const trades = venue.tape.trades;
    let i = trades.length;
    while (i > 0 && trades[i - 1].tradeId > lastTradeId) i--;
    const nowMs = venueMs(venue.kernel.now);
    for (; i < trades.length; i++) {
      const t = trades[i];
      lastTradeId = t.tradeId;
      broadcast(tradeStream, { e: "trade", E: nowMs, s: sym, t: t.tradeId, p: px(t.price), q: qty(t.size), T: venueMs(t.ts), m: t.aggressor === 1, M: true });
    }
    for (const acct of venue.accounts.values()) {
      const events = user.drain(acct, inst);
      if (events.length === 0) continue;
      for (const c of apis) for (const [id, a] of c.subs) if (a === acct) for (const e of events) send(c.ws, { subscriptionId: id, event: e });
    }
  }

  let busy = false;
  let closed = false;
  const timer = setInterval(() => {
    if (busy || closed) return;
    busy = true;
    venue.run(tick).catch(() => undefined).finally(() => (busy = false));
  }, FEED_MS);
  timer.unref();

  function onMarket(c: MarketConn, raw: string): void {
    let req: { method?: unknown; params?: unknown; id?: unknown };
    try {
      req = JSON.parse(raw) as typeof req;
    } catch {
      return send(c.ws, { error: { code: 3, msg: "Invalid JSON: the message is not JSON" }, id: null });
    }
    const id = typeof req.id === "number" || typeof req.id === "string" ? req.id : null;
    const params = Array.isArray(req.params) ? req.params : [];
    if (req.method === "SUBSCRIBE" || req.method === "UNSUBSCRIBE") {
      for (const p of params) {
        if (p !== depthStream && p !== tradeStream) {
          return send(c.ws, { error: { code: 2, msg: `Invalid request: stream ${JSON.stringify(p)} is not served (only ${depthStream} and ${tradeStream})` }, id });
        }
      }
      for (const p of params as string[]) {
        if (req.method === "SUBSCRIBE") c.streams.add(p);
        else c.streams.delete(p);
      }
      if (c.streams.size > MAX_STREAMS) return send(c.ws, { error: { code: 2, msg: `Invalid request: more than ${MAX_STREAMS} streams on one connection` }, id });
      return send(c.ws, { result: null, id });
    }
    if (req.method === "LIST_SUBSCRIPTIONS") return send(c.ws, { result: [...c.streams], id });
    send(c.ws, { error: { code: 2, msg: `Invalid request: method ${JSON.stringify(req.method)} is not SUBSCRIBE, UNSUBSCRIBE or LIST_SUBSCRIPTIONS` }, id });
  }

  async function onApi(c: ApiConn, raw: string): Promise<void> {
    let req: { method?: unknown; params?: unknown; id?: unknown };
    try {
      req = JSON.parse(raw) as typeof req;
    } catch {
      return send(c.ws, { id: null, status: 400, error: { code: -1100, msg: "the message is not JSON" } });
    }
    const id = typeof req.id === "number" || typeof req.id === "string" ? req.id : null;
    const ok = (result: unknown) => send(c.ws, { id, status: 200, result, rateLimits: [] });
    const fail = (e: BinanceError) => send(c.ws, { id, status: e.status, error: { code: e.code, msg: e.message } });
    const params = (typeof req.params === "object" && req.params !== null ? req.params : {}) as Record<string, unknown>;
    try {
      switch (req.method) {
        case "ping": return ok({});
        case "time": return ok({ serverTime: await venue.run(() => venue.venueMs()) });
        case "userDataStream.subscribe.signature": {
          const acct = checkWsSigned(venue, params, unixMs());
          const sub = nextSubscription++;
          c.subs.set(sub, acct);
          return ok({ subscriptionId: sub });
        }
        case "userDataStream.unsubscribe": {
          const sub = params.subscriptionId;
          if (sub === undefined) c.subs.clear();
          else if (!c.subs.delete(Number(sub))) throw new BinanceError(400, -2, `subscriptionId: ${JSON.stringify(sub)} is not a subscription of this connection`);
          return ok({});
        }
        case "session.subscriptions": return ok([...c.subs.keys()].map((subscriptionId) => ({ subscriptionId })));
        default:
          throw new BinanceError(400, -1100, `method: ${JSON.stringify(req.method)} is not served (only userDataStream.subscribe.signature, userDataStream.unsubscribe, session.subscriptions, ping, time)`);
      }
    } catch (e) {
      fail(e instanceof BinanceError ? e : new BinanceError(500, -1000, e instanceof Error ? e.message : String(e)));
    }
  }

  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    const path = new URL(req.url ?? "/", "http://loopback").pathname;
    if (path === "/ws-api/v3") {
      const c: ApiConn = { ws, subs: new Map() };
      apis.add(c);
      ws.on("message", (data) => void onApi(c, String(data)));
      ws.on("close", () => (apis.delete(c), heldBack.delete(ws)));
    } else {
      const c: MarketConn = { ws, streams: new Set() };
      markets.add(c);
      ws.on("message", (data) => onMarket(c, String(data)));
      ws.on("close", () => (markets.delete(c), heldBack.delete(ws)));
    }
    ws.on("error", () => ws.terminate());
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? "/", "http://loopback").pathname;
    if (closed || (path !== "/ws-api/v3" && !isMarketPath(path))) {
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  };
  server.on("upgrade", onUpgrade);

  return {
    get sent() {
      return sent;
    },
    get clients() {
      return { market: markets.size, api: apis.size };
    },
    async close() {
      closed = true;
      clearInterval(timer);
      unlisten();
      server.off("upgrade", onUpgrade);
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * The account of a WS-API signed request: `apiKey`, `timestamp`, optional `recvWindow` and
 * `signature`, the HMAC of the other parameters sorted by name (Binance's WS-API rule).
 * @throws BinanceError −2014/−2015 for a bad key, −1022 for a bad signature, −1021 for a stale timestamp.
 */
function checkWsSigned(venue: ServedVenue, params: Record<string, unknown>, nowMs: number): ServedAccount {
  const key = params.apiKey;
  if (typeof key !== "string" || key === "") throw new BinanceError(400, -2014, "API-key format invalid.");
  const acct = venue.accounts.get(key);
  if (acct === undefined) throw new BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action.");
  const sig = params.signature;
  if (typeof sig !== "string") throw new BinanceError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  const rest = Object.keys(params).filter((k) => k !== "signature").sort();
  const query = rest.map((k) => `${k}=${String(params[k])}`).join("&");
  const p = new URLSearchParams();
  for (const k of rest) p.set(k, String(params[k]));
  checkSigned(acct.spec.secret, `${query}&signature=${sig}`, p, [nowMs, venue.venueMs()]);
  return acct;
}
