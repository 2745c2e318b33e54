// Run digest: a streaming sha256 over the event log's raw rows, plus a count of events per kind.
import { createHash, type Hash } from "node:crypto";
import { endianness } from "node:os";
import type { EventLog } from "../market/event-log.ts";
import { EventKind, type EngineEvent } from "../market/types.ts";

/** Event kind names, as in the tagged union's `type` field. */
export type EventKindName = EngineEvent["type"];

/** Events seen per kind. */
export type EventCounts = Record<EventKindName, number>;

/**
 * Accumulates the digest of a run's event log across flushes. The hash covers the
 * concatenated rows, so it does not depend on how often `update` is called: the same
 * events split across any number of flushes give the same digest.
 *
 * Rows are Float64 in the platform's byte order. The digest is defined over little-endian
 * bytes (x64, arm64), so it refuses to run on a big-endian host (s390x) rather than report
 * a digest no one else can reproduce.
 */
export class RunDigest {
  private readonly hash: Hash = createHash("sha256");
  // Indexed by EventKind code (1..6); slot 0 unused.
  private readonly tally = new Float64Array(7);
  private n = 0;

  /** @throws Error on a big-endian host, where the same events would hash differently. */
  constructor() {
    if (endianness() !== "LE") throw new Error("RunDigest: event log bytes are defined as little-endian; this host is big-endian");
  }

  /**
   * Hashes every event in `log` (rows 0 to `log.size`) and counts them by kind. The caller
   * clears the log afterwards, so each event is hashed exactly once.
   * @throws Error if a row has an unknown kind (a corrupt log is a broken invariant).
   */
  update(log: EventLog): void {
    const size = log.size;
    const tally = this.tally;
    for (let i = 0; i < size; i++) {
      const k = log.kind(i);
      if (!(k >= EventKind.ACCEPTED && k <= EventKind.EXPIRED) || (k | 0) !== k) {
        throw new Error(`RunDigest: event ${this.n + i} has unknown kind ${k}`);
      }
      tally[k]++;
    }
    this.hash.update(log.bytes(0, size));
    this.n += size;
  }

  /** Events hashed so far. */
  get events(): number {
    return this.n;
  }

  /** Events hashed so far, per kind (a fresh object). */
  get counts(): EventCounts {
    const t = this.tally;
    return {
      accepted: t[EventKind.ACCEPTED],
      rejected: t[EventKind.REJECTED],
      trade: t[EventKind.TRADE],
      canceled: t[EventKind.CANCELED],
      amended: t[EventKind.AMENDED],
      expired: t[EventKind.EXPIRED],
    };
  }

  /**
   * sha256 of all rows so far, as 64 lowercase hex characters. Does not finalise the
   * running hash, so a run can report interim digests and keep updating.
   */
  hex(): string {
    return this.hash.copy().digest("hex");
  }
}
