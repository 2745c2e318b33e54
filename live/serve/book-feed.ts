// The served book's diff stream: update ids shared by REST /depth's lastUpdateId and the WebSocket depthUpdate events.
import type { Level } from "../../market/engine.ts";
import type { Kernel } from "../../sim/kernel.ts";

/** Levels per side followed: the deepest REST /depth answer (limit 5000). */
export const FOLLOWED_LEVELS = 5000;

/** Levels whose size changed between two published states (size 0 = gone), prices in ticks, sizes in lots. */
export interface BookDiff {
  /** First and last update id of the diff (Binance's U and u). */
  readonly U: number;
  readonly u: number;
  /** Venue time of the state published, ns. */
  readonly ts: number;
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
}

/**
 * Publishes the book as a chain of diffs between states taken when `sync` is called (every
 * 100 ms by the WebSocket feed, and before every REST /depth snapshot). A REST snapshot is
 * therefore exactly the state with id `lastId`, and the next diff starts at lastId + 1: the
 * recipe of Binance's docs (drop u <= lastUpdateId, first U <= lastUpdateId + 1 <= u) holds.
 */
export class BookFeed {
  /** Id of the last published state; each changed level spends one id, as Binance's ids count updates. */
  lastId = 0;
  private bids = new Map<number, number>();
  private asks = new Map<number, number>();
  private readonly listeners = new Set<(d: BookDiff) => void>();

  constructor(private readonly kernel: Kernel, private readonly levels = FOLLOWED_LEVELS) {}

  /** Calls `f` with every diff published from now on; returns the unsubscriber. */
  listen(f: (d: BookDiff) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  /** Publishes the change since the last state (nothing when unchanged) and returns the id of the state now. Call only between kernel steps. */
  sync(): number {
    const d = this.kernel.depth(this.levels);
    const [bids, nb] = changes(this.bids, d.bids);
    const [asks, na] = changes(this.asks, d.asks);
    const n = bids.length + asks.length;
    if (n === 0) return this.lastId;
    const diff: BookDiff = { U: this.lastId + 1, u: this.lastId + n, ts: this.kernel.now, bids, asks };
    this.lastId += n;
    this.bids = nb;
    this.asks = na;
    for (const f of this.listeners) f(diff);
    return this.lastId;
  }
}

/** Levels of `now` whose size differs from `before`, and those of `before` gone (size 0). */
function changes(before: Map<number, number>, now: readonly Level[]): [[number, number][], Map<number, number>] {
  const out: [number, number][] = [];
  const next = new Map<number, number>();
  for (const l of now) {
    next.set(l.price, l.size);
    if (before.get(l.price) !== l.size) out.push([l.price, l.size]);
  }
  for (const p of before.keys()) if (!next.has(p)) out.push([p, 0]);
  return [out, next];
}
