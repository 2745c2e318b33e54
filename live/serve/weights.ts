// Request weights of the served endpoints (Binance's figures) and the per-minute weight meter behind X-MBX-USED-WEIGHT-1M.

/** Binance's REQUEST_WEIGHT limit per minute (exchangeInfo rateLimits). */
export const DEFAULT_WEIGHT_LIMIT = 6000;
const MINUTE_MS = 60_000;

/** Weight of one request, as Binance's spot API docs give it per endpoint and parameters. */
export function weightOf(method: string, endpoint: string, params: URLSearchParams): number {
  switch (endpoint) {
    case "exchangeInfo": return 20;
    case "depth": {
      const limit = Number(params.get("limit") ?? 100);
      return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    }
    case "aggTrades": case "klines": return 2;
    case "ticker/24hr": return params.has("symbol") ? 2 : 80;
    case "time": return 1;
    case "order": return method === "GET" ? 4 : 1;
    case "openOrders": return params.has("symbol") ? 6 : 80;
    case "account": case "myTrades": return 20;
    default: return 1;
  }
}

/**
 * Weight used in the current minute of the wall clock, as Binance counts it (per IP; every
 * client here is on loopback, so one meter serves them all). A request that would pass the
 * limit is refused and counts nothing; Binance answers it with 429 and Retry-After.
 */
export class WeightMeter {
  private minute = -1;
  private used = 0;
  constructor(readonly limit: number = DEFAULT_WEIGHT_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`weightLimit: ${limit} must be a positive integer`);
  }

  /** Adds `weight` at wall time `nowMs`; returns the weight used this minute, or the seconds to wait when over the limit. */
  take(weight: number, nowMs: number): { ok: true; used: number } | { ok: false; used: number; retryAfterS: number } {
    const m = Math.floor(nowMs / MINUTE_MS);
    if (m !== this.minute) {
      this.minute = m;
      this.used = 0;
    }
    if (this.used + weight > this.limit) return { ok: false, used: this.used, retryAfterS: Math.max(1, Math.ceil(((m + 1) * MINUTE_MS - nowMs) / 1000)) };
    this.used += weight;
    return { ok: true, used: this.used };
  }
}
