// Checks a signed request as Binance does: X-MBX-APIKEY, HMAC-SHA256 of the query, timestamp within recvWindow.
import { createHmac, timingSafeEqual } from "node:crypto";
import { err } from "./errors.ts";

/** Binance's default and largest recvWindow, ms. */
export const DEFAULT_RECV_WINDOW = 5000;
export const MAX_RECV_WINDOW = 60_000;
/** Binance refuses timestamps more than this far ahead of its clock, ms. */
const AHEAD_MS = 1000;

/** Hex HMAC-SHA256 of `payload` under `secret`. */
export function hmacHex(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

/**
 * Checks the signature of `payload` (the query string, then the form body, as sent), whose
 * last parameter must be `signature`, and the timestamp. A timestamp is fresh when within
 * recvWindow of any of `clocksMs`: the wall clock, which clients sign with, and the venue's
 * simulated clock, which a client that adjusts for the time difference (`/api/v3/time`) uses.
 * @throws BinanceError −1022 for a bad or missing signature, −1021 for a stale timestamp, −1102/−1131 for bad fields.
 */
export function checkSigned(secret: string, payload: string, params: URLSearchParams, clocksMs: readonly number[]): void {
  const at = payload.lastIndexOf("signature=");
  if (at < 0 || (at > 0 && payload[at - 1] !== "&")) throw err.mandatory("signature");
  const signed = payload.slice(0, Math.max(0, at - 1));
  const given = payload.slice(at + "signature=".length);
  const want = hmacHex(secret, signed);
  if (given.length !== want.length || !timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(want))) throw err.signature();
  const tsRaw = params.get("timestamp");
  if (tsRaw === null || !/^\d{1,16}$/.test(tsRaw)) throw err.mandatory("timestamp");
  const ts = Number(tsRaw);
  const rwRaw = params.get("recvWindow");
  let recvWindow = DEFAULT_RECV_WINDOW;
  if (rwRaw !== null) {
    if (!/^\d{1,9}(\.\d+)?$/.test(rwRaw)) throw err.illegal("recvWindow", rwRaw, "a number of ms");
    recvWindow = Number(rwRaw);
    if (recvWindow > MAX_RECV_WINDOW) throw err.recvWindow(recvWindow);
  }
  const fresh = clocksMs.some((now) => ts < now + AHEAD_MS && now - ts <= recvWindow);
  if (!fresh) throw err.timestamp(ts, clocksMs[0], recvWindow);
}
