// ccxt's error classes mapped to the port's ExchangeError subclasses with stable reasons, and retries with backoff for network errors only.
import ccxt from "ccxt";
import { BadRequest, ExchangeError, InsufficientFunds, InvalidOrder, OrderNotFound } from "../market/exchange.ts";

/** Retry schedule for ccxt.NetworkError (timeouts, venue unavailable, rate limited). */
export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  /** Wait before the first retry, ms; doubled for each further one. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/** The port's error for what ccxt (or the venue through it) threw; `secrets` are cut out of the message. */
export function toPortError(e: unknown, what: string, secrets: readonly string[]): Error {
  if (e instanceof ExchangeError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const msg = `${what}: ${scrub(raw, secrets)}`;
  if (e instanceof ccxt.InsufficientFunds) return new InsufficientFunds("insufficient_balance", msg);
  if (e instanceof ccxt.OrderNotFound) return new OrderNotFound("unknown_order", msg);
  if (e instanceof ccxt.OrderImmediatelyFillable) return new InvalidOrder("post_only_would_cross", msg);
  if (e instanceof ccxt.DuplicateOrderId || /Duplicate order/i.test(raw)) return new InvalidOrder("duplicate_client_order_id", msg);
  if (e instanceof ccxt.BadSymbol) return new BadRequest("unknown_symbol", msg);
  if (e instanceof ccxt.InvalidOrder) return new InvalidOrder(filterReason(raw), msg);
  if (e instanceof ccxt.AuthenticationError || e instanceof ccxt.PermissionDenied) return new ExchangeError("authentication", msg);
  if (e instanceof ccxt.NotSupported) return new BadRequest("not_supported", msg);
  if (e instanceof ccxt.BadRequest) return new BadRequest("bad_request", msg);
  if (e instanceof ccxt.DDoSProtection) return new ExchangeError("rate_limited", msg);
  if (e instanceof ccxt.NetworkError) return new ExchangeError("network", msg);
  if (e instanceof ccxt.OperationFailed) return new ExchangeError("venue_unavailable", msg);
  if (e instanceof ccxt.BaseError) return new ExchangeError("exchange_error", msg);
  return new ExchangeError("internal", msg);
}

/** Binance's filter failures as our reasons; anything else an order refusal. */
function filterReason(msg: string): string {
  if (msg.includes("PRICE_FILTER")) return "tick_size";
  if (msg.includes("LOT_SIZE")) return "lot_size";
  if (msg.includes("NOTIONAL")) return "min_notional";
  return "invalid_order";
}

/** `text` with every secret replaced by ***: keys never reach a log or an error message. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  // Raw, and as a URL or form field carries it.
  for (const s of secrets) if (s.length > 0) for (const v of new Set([s, encodeURIComponent(s)])) out = out.split(v).join("***");
  return out;
}

export function isNetworkError(e: unknown): boolean {
  return e instanceof ccxt.NetworkError;
}

/**
 * Whether a failed call may be tried again: network errors (timeouts, resets, 429/418) and
 * ccxt's OperationFailed, which a venue's 5xx becomes (Binance: "execution status unknown",
 * so an order is looked up by client order id before it is re-sent). Refusals never are.
 */
export function isRetryable(e: unknown): boolean {
  return e instanceof ccxt.OperationFailed;
}

/** Longest Retry-After honoured, ms: a venue asking for more is reported, not waited for. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * The wait a 429/418 answer asks for (its Retry-After header, seconds), ms; undefined for other
 * errors or when the header is absent. `headers` are the last response's (ccxt keeps them).
 */
export function retryAfterMs(e: unknown, headers: Record<string, unknown> | undefined): number | undefined {
  if (!(e instanceof ccxt.DDoSProtection) || headers === undefined) return undefined;
  const raw = headers["Retry-After"] ?? headers["retry-after"];
  const s = Number(raw);
  return raw !== undefined && Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/** Wait before retry `attempt` (1-based): base × 2^(attempt-1), capped. */
export function backoffMs(p: RetryPolicy, attempt: number): number {
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Calls `call(attempt)` until it resolves, retrying only what isRetryable (never a venue refusal)
 * with exponential backoff, or after the wait a 429/418 asks for (`hint`) when longer; the last
 * error is rethrown, and so is a rate limit asking for more than MAX_RETRY_AFTER_MS.
 */
export async function withRetries<T>(
  p: RetryPolicy, call: (attempt: number) => Promise<T>, sleep: (ms: number) => Promise<void>,
  hint: (e: unknown) => number | undefined = () => undefined,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(attempt);
    } catch (e) {
      if (!isRetryable(e) || attempt >= p.retries) throw e;
      const asked = hint(e);
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) throw e;
      await sleep(Math.max(backoffMs(p, attempt + 1), asked ?? 0));
    }
  }
}
