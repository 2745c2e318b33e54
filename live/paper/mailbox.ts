// A watch* stream for one consumer: what arrived since the previous call, waiting for at least one item.
import { ExchangeError } from "../../market/exchange.ts";

/** Items kept for a consumer that stopped reading; older ones are dropped. */
const KEEP = 10_000;

export class Mailbox<T> {
  private items: T[] = [];
  private waiters: { resolve: (v: T[]) => void; reject: (e: Error) => void }[] = [];
  private closed = false;
  /** False until the first take(): a stream delivers what happens after it was first watched. */
  private listening: boolean;

  constructor(listenAtOnce: boolean) {
    this.listening = listenAtOnce;
  }

  push(...xs: T[]): void {
    if (!this.listening || this.closed || xs.length === 0) return;
    this.items.push(...xs);
    if (this.items.length > KEEP) this.items.splice(0, this.items.length - KEEP);
    if (this.waiters.length > 0) this.flush();
  }

  /** Resolves with everything since the previous call, waiting for at least one item. */
  take(): Promise<T[]> {
    if (this.closed) return Promise.reject(new ExchangeError("closed", "the paper broker was closed"));
    this.listening = true;
    if (this.items.length > 0 && this.waiters.length === 0) {
      const out = this.items;
      this.items = [];
      return Promise.resolve(out);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters) w.reject(new ExchangeError("closed", "the paper broker was closed while a watch was pending"));
    this.waiters = [];
  }

  private flush(): void {
    const out = this.items;
    this.items = [];
    // Concurrent watchers of one stream all see the same batch.
    for (const w of this.waiters) w.resolve(out);
    this.waiters = [];
  }
}
