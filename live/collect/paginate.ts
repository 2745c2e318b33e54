// Paginated collection: candles (or trades) from a start time up to the venue's now, page by page, closed candles only.
import type { Candle, MarketSource, PublicTrade } from "./source.ts";

/**
 * Every closed candle opening at or after `since`, oldest first, fetched `src.pageLimit` at a time from
 * where the last page ended. Stops at the venue's now or when a page brings nothing new.
 */
export async function fetchCandles(src: MarketSource, timeframe: string, since: number, onPage?: (n: number) => void): Promise<Candle[]> {
  const tf = src.timeframeMs(timeframe);
  const now = await src.now();
  const out: Candle[] = [];
  let cursor = since;
  while (cursor + tf <= now) {
    const page = await src.ohlcv(timeframe, cursor, src.pageLimit);
    // A candle still forming is left for the next run; one before the cursor was fetched already.
    const fresh = page.filter((c) => c[0] >= cursor && c[0] + tf <= now);
    if (fresh.length === 0) break;
    out.push(...fresh);
    onPage?.(fresh.length);
    cursor = fresh[fresh.length - 1][0] + tf;
  }
  return out;
}

/**
 * Every public trade at or after `since` up to the venue's now, oldest first, each id once.
 * Venues keep trades for a limited time: when none is found from `since` but the latest page
 * starts later, collection starts there and `availableFrom` says so.
 */
export async function fetchTrades(src: MarketSource, since: number): Promise<{ trades: PublicTrade[]; availableFrom?: number }> {
  let availableFrom: number | undefined;
  let now = await src.now();
  const out: PublicTrade[] = [];
  const seen = new Set<string>();
  let cursor = since;
  while (cursor <= now) {
    const raw = await src.trades(cursor, src.pageLimit);
    const fresh = raw.filter((t) => t.timestamp >= cursor && !seen.has(t.id));
    if (fresh.length === 0) {
      // A full page of trades in one millisecond, all seen: step past it.
      if (raw.length >= src.pageLimit) {
        cursor++;
        continue;
      }
      if (out.length === 0 && availableFrom === undefined) {
        const latest = await src.trades(undefined, src.pageLimit);
        if (latest.length > 0 && latest[0].timestamp > cursor) {
          availableFrom = cursor = latest[0].timestamp;
          // The latest page may postdate the start: collect up to the venue's time now.
          now = Math.max(now, await src.now(), latest[latest.length - 1].timestamp);
          continue;
        }
      }
      break;
    }
    for (const t of fresh) {
      seen.add(t.id);
      out.push(t);
    }
    // From the last trade's millisecond again: trades sharing it are skipped by id.
    cursor = fresh[fresh.length - 1].timestamp;
  }
  return availableFrom === undefined ? { trades: out } : { trades: out, availableFrom };
}
