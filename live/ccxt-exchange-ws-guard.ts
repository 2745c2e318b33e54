// Keeps ccxt pro's pending stream futures from crashing the process when a venue drops a WebSocket connection nobody is awaiting.
import type { CcxtClient } from "./ccxt-exchange.ts";

type Loose = Record<string, unknown>;

/**
 * ccxt pro rejects every pending future of a connection when it closes, including ones no
 * caller awaits any more (a subscription's answer, a stream not watched since): each would be
 * an unhandledRejection, which ends a Node process. Every future of every connection `ex` opens
 * gets a no-op handler; callers that do await one still see its rejection.
 */
export function guardStreamFutures(ex: CcxtClient): void {
  const open = (ex.client as (url: string) => Loose).bind(ex);
  ex.client = (url: string): Loose => {
    const c = open(url);
    if (c.arenaGuarded !== true && typeof c.future === "function") {
      const future = (c.future as (hash: string) => Promise<unknown>).bind(c);
      c.future = (hash: string) => {
        const f = future(hash);
        f.catch(() => undefined);
        return f;
      };
      c.arenaGuarded = true;
    }
    return c;
  };
}
