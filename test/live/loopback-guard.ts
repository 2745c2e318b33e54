// Records, below ccxt and ws, every TCP connection the process attempts (node's net.client.socket channel), so a test or bench can prove nothing left loopback.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";

const CHANNEL = "net.client.socket";

export interface LoopbackGuard {
  /** Every connection attempt, as `address:port`, in order (fetch, http, ws alike). */
  readonly attempts: readonly string[];
  /** Host names resolved before connecting (an IP-literal URL needs none). */
  readonly lookups: readonly string[];
  /** The attempts and lookups that were not to 127.0.0.1 (on one of `ports`, when given). */
  offLoopback(ports?: readonly number[]): string[];
  /** Stops recording. */
  stop(): void;
}

/** Starts recording every client socket the process opens from now on. */
export function guardLoopback(): LoopbackGuard {
  const attempts: string[] = [];
  const lookups: string[] = [];
  const onSocket = (msg: unknown) => {
    const socket = (msg as { socket: Socket }).socket;
    // connectionAttempt fires before each address is tried, so a refused or hanging connection counts too.
    socket.on("connectionAttempt", (ip: string, port: number) => attempts.push(`${ip}:${port}`));
    socket.on("lookup", (_e: Error | null, _a: string, _f: number | string, host: string) => lookups.push(host));
  };
  subscribe(CHANNEL, onSocket);
  return {
    attempts,
    lookups,
    offLoopback(ports) {
      const ok = (a: string) => (ports === undefined ? /^127\.0\.0\.1:\d+$/.test(a) : ports.some((p) => a === `127.0.0.1:${p}`));
      return [...attempts.filter((a) => !ok(a)), ...lookups.map((h) => `lookup ${h}`)];
    },
    stop() {
      unsubscribe(CHANNEL, onSocket);
    },
  };
}
