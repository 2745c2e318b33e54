// Faults on demand for `arena serve`: the spec (zod), and the seeded plan that decides, request by request and message by message, what goes wrong and counts it.
import { readFile } from "node:fs/promises";
import seedrandom from "seedrandom";
import { z } from "zod";

/** An endpoint as "METHOD path" relative to /api/v3 (e.g. "POST order"), or "*" for every one. */
const Endpoint = z.string().regex(/^(\*|(GET|POST|DELETE|PUT) [A-Za-z0-9/]+)$/, 'must be "*" or "METHOD endpoint" such as "POST order"');

/** When a fault fires: with probability `rate` per matching request (or message), and always at the `at`-th ones (1-based). */
const rule = <T extends z.ZodRawShape>(extra: T, endpoints: string[]) =>
  z.strictObject({
    rate: z.number().min(0).max(1).default(0),
    at: z.array(z.number().int().min(1)).max(10_000).default([]),
    endpoints: z.array(Endpoint).min(1).default(endpoints),
    ...extra,
  });

const ALL = ["*"];
const ORDERS = ["POST order", "DELETE order"];
/** Longest a held request or message waits, ms. */
const MAX_HOLD_MS = 600_000;

export const FaultSpec = z.strictObject({
  /** Seed of the fault streams: the same seed and the same request sequence inject the same faults. */
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  /** The request is not processed and no answer comes: the connection is held for `ms`, then closed. */
  timeout: rule({ ms: z.number().int().min(1).max(MAX_HOLD_MS).default(30_000) }, ALL).optional(),
  /** 429, code −1003, with Retry-After; the request is not processed. */
  rateLimit: rule({ retryAfterS: z.number().int().min(1).max(600).default(1) }, ALL).optional(),
  /** 418 (an IP ban, as Binance answers a client that ignored 429s): every request is refused for retryAfterS. */
  ban: rule({ retryAfterS: z.number().int().min(1).max(600).default(2) }, ALL).optional(),
  /** A 5xx answer; the request is not processed. */
  serverError: rule({ status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(503) }, ALL).optional(),
  /**
   * The request is processed (the order exists on the venue), its answer is lost: the
   * connection reset ("reset"), a 5xx ("5xx", Binance's "execution status unknown"), or the
   * answer held `ms` until after the client's timeout ("late").
   */
  lostAck: rule({
    mode: z.enum(["reset", "5xx", "late"]).default("reset"),
    ms: z.number().int().min(1).max(MAX_HOLD_MS).default(30_000),
  }, ORDERS).optional(),
  /** A LIMIT GTC order that would fill in full fills `fraction` of its amount now; the rest rests on the book. */
  partialFill: rule({ fraction: z.number().gt(0).lt(1).default(0.5) }, ["POST order"]).optional(),
  /** Per WebSocket message: the connection is closed instead of sending it. */
  wsDrop: rule({}, ALL).omit({ endpoints: true }).optional(),
  /** Per WebSocket message: sent `ms` later (later messages overtake it). */
  streamDelay: rule({ ms: z.number().int().min(1).max(60_000).default(300) }, ALL).omit({ endpoints: true }).optional(),
  /** Per WebSocket message: held back and sent after the connection's next message. */
  streamReorder: rule({}, ALL).omit({ endpoints: true }).optional(),
});
export type FaultSpec = z.output<typeof FaultSpec>;
export type FaultKind = Exclude<keyof FaultSpec, "seed">;

/** The faults in the order a request's draws are judged: the first that fires is injected. */
const HTTP_KINDS = ["timeout", "rateLimit", "ban", "serverError", "lostAck", "partialFill"] as const;
const WS_KINDS = ["wsDrop", "streamDelay", "streamReorder"] as const;
export type HttpFault =
  | { kind: "timeout"; ms: number }
  | { kind: "rateLimit"; retryAfterS: number }
  | { kind: "ban"; retryAfterS: number }
  | { kind: "serverError"; status: number }
  | { kind: "lostAck"; mode: "reset" | "5xx" | "late"; ms: number }
  | { kind: "partialFill"; fraction: number };
export type WsFault = { kind: "wsDrop" } | { kind: "streamDelay"; ms: number } | { kind: "streamReorder" };

/**
 * Parses a fault spec: inline JSON (starts with "{") or the path of a JSON file.
 * @throws Error naming the field, the value and the rule.
 */
export async function loadFaultSpec(arg: string): Promise<FaultSpec> {
  let text = arg;
  if (!arg.trimStart().startsWith("{")) {
    try {
      text = await readFile(arg, "utf8");
    } catch (e) {
      throw new Error(`--faults: ${JSON.stringify(arg)} is neither inline JSON nor a readable file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`--faults: not JSON (${(e as Error).message})`);
  }
  return parseFaultSpec(raw, "--faults");
}

/** @throws Error `where: path: value rule` for the first broken rule. */
export function parseFaultSpec(raw: unknown, where = "faults"): FaultSpec {
  const r = FaultSpec.safeParse(raw);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  let v: unknown = raw;
  for (const k of i.path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  throw new Error(`${where}: ${i.path.join(".") || "spec"}: ${JSON.stringify(v) ?? "undefined"} ${i.message}`);
}

/** One fault kind's stream: its own seeded generator and its count of matching requests, so kinds never shift each other's draws. */
interface Stream {
  readonly prng: seedrandom.PRNG;
  seen: number;
}

/**
 * The faults to inject: deterministic given the spec's seed and the sequence of requests
 * (and of WebSocket messages), and counted by kind.
 */
export class FaultPlan {
  private readonly streams = new Map<FaultKind, Stream>();
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number> = { timeout: 0, rateLimit: 0, ban: 0, serverError: 0, lostAck: 0, partialFill: 0, wsDrop: 0, streamDelay: 0, streamReorder: 0 };
  /** Requests and messages judged so far. */
  requests = 0;
  messages = 0;
  /** Unix ms until which every request is answered 418. */
  private bannedUntilMs = 0;

  constructor(readonly spec: FaultSpec = FaultSpec.parse({})) {
    for (const k of [...HTTP_KINDS, ...WS_KINDS]) this.streams.set(k, { prng: seedrandom.alea(`arena-faults/${spec.seed}/${k}`), seen: 0 });
  }

  /** Whether rule `k` fires for this request or message; advances its stream either way. */
  private fires(k: FaultKind, endpoint: string | undefined): boolean {
    const r = this.spec[k];
    if (r === undefined) return false;
    if (endpoint !== undefined && "endpoints" in r && !r.endpoints.some((e) => e === "*" || e === endpoint)) return false;
    const s = this.streams.get(k)!;
    s.seen++;
    const draw = s.prng();
    return r.at.includes(s.seen) || draw < r.rate;
  }

  /** The fault for the request `endpoint` ("METHOD path") at wall time `nowMs`, counted; undefined for none. */
  forRequest(endpoint: string, nowMs: number): HttpFault | undefined {
    this.requests++;
    if (nowMs < this.bannedUntilMs) {
      this.injected.ban++;
      return { kind: "ban", retryAfterS: Math.max(1, Math.ceil((this.bannedUntilMs - nowMs) / 1000)) };
    }
    // Every kind draws, so one kind's schedule does not depend on another's.
    const fired = HTTP_KINDS.filter((k) => this.fires(k, endpoint));
    const k = fired[0];
    if (k === undefined) return undefined;
    const s = this.spec;
    switch (k) {
      case "timeout": return this.count({ kind: k, ms: s.timeout!.ms });
      case "rateLimit": return this.count({ kind: k, retryAfterS: s.rateLimit!.retryAfterS });
      case "ban":
        this.bannedUntilMs = nowMs + s.ban!.retryAfterS * 1000;
        return this.count({ kind: k, retryAfterS: s.ban!.retryAfterS });
      case "serverError": return this.count({ kind: k, status: s.serverError!.status });
      case "lostAck": return this.count({ kind: k, mode: s.lostAck!.mode, ms: s.lostAck!.ms });
      // Counted by the caller, once the order was found to be one that would fill.
      case "partialFill": return { kind: k, fraction: s.partialFill!.fraction };
    }
  }

  /** The fault for the next WebSocket message, counted; undefined for none. */
  forMessage(): WsFault | undefined {
    this.messages++;
    const k = WS_KINDS.filter((w) => this.fires(w, undefined))[0];
    if (k === undefined) return undefined;
    return this.count(k === "streamDelay" ? { kind: k, ms: this.spec.streamDelay!.ms } : { kind: k });
  }

  /** Counts a fault the caller did inject (a partial fill that found an order to split). */
  count<F extends HttpFault | WsFault>(f: F): F {
    this.injected[f.kind]++;
    return f;
  }

  /** What GET /admin/faults answers. */
  report(): { spec: FaultSpec; requests: number; messages: number; injected: Record<FaultKind, number>; total: number } {
    const total = Object.values(this.injected).reduce((a, b) => a + b, 0);
    return { spec: this.spec, requests: this.requests, messages: this.messages, injected: { ...this.injected }, total };
  }
}
