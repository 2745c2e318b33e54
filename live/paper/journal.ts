// The paper broker's journal: one folder, one append-only JSON-lines file, each line fsync'd; a torn last line is tolerated and reported.
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { PaperEvent } from "./ledger.ts";

/** The journal's file name in its folder; nothing else may live there. */
export const JOURNAL_FILE = "journal.jsonl";
/** The first line's marker: a file without it was not written by a paper broker and is never touched. */
export const JOURNAL_FORMAT = "btc-arena/paper-journal";

const Int = z.number().int().safe();
const Units = Int.nonnegative();
const Ms = z.number().finite();
const Src = z.strictObject({ id: z.string(), ts: Ms });

const Header = z.strictObject({
  format: z.literal(JOURNAL_FORMAT),
  version: z.literal(1),
  symbol: z.string(),
  /** Decimals of the integer units: base (lot), quote, price (tick). */
  decimals: z.strictObject({ base: Int, quote: Int, price: Int }),
  /** Starting balances in those units. */
  start: z.strictObject({ base: Units, quote: Units }),
});
export type JournalHeader = z.infer<typeof Header>;

const Event = z.discriminatedUnion("e", [
  z.strictObject({
    e: z.literal("order"), id: z.string(), clientOrderId: z.string(), type: z.enum(["limit", "market"]), side: z.enum(["buy", "sell"]),
    tif: z.enum(["GTC", "IOC", "FOK", "PO"]), postOnly: z.boolean(), price: Units.nullable(), amount: Units, ahead: Units, reserve: Units, ts: Ms,
  }),
  z.strictObject({
    e: z.literal("fill"), id: z.string(), trade: z.string(), role: z.enum(["maker", "taker"]), qty: Units, price: z.number().positive(),
    value: Units, fee: Units, ts: Ms, src: Src.optional(),
  }),
  z.strictObject({ e: z.literal("queue"), id: z.string(), ahead: Units, src: Src.optional() }),
  z.strictObject({ e: z.literal("edit"), id: z.string(), price: Units, amount: Units, ahead: Units, reserve: Units, ts: Ms }),
  z.strictObject({ e: z.literal("end"), id: z.string(), status: z.enum(["closed", "canceled", "expired", "rejected"]), reason: z.string().nullable(), ts: Ms }),
]);

/** What opening a journal found. */
export interface JournalOpened {
  readonly header: JournalHeader;
  /** The events to apply, oldest first (none for a new journal). */
  readonly events: readonly PaperEvent[];
  /** A torn last line (a crash mid-write) that was dropped, as it was on disk; undefined when none. */
  readonly torn: string | undefined;
  /** True when the journal was created now. */
  readonly created: boolean;
}

/** An open journal: append writes one line and fsyncs it before returning. */
export class Journal {
  private fd: number | undefined;
  private constructor(fd: number, readonly dir: string, readonly opened: JournalOpened) {
    this.fd = fd;
  }

  /**
   * Opens the journal in `dir` (created if absent), or starts one with `fresh()` as its header.
   * @throws Error naming the folder or line when the folder holds anything else, the file lacks
   *   the marker, a line other than the last is not an event, or the header differs from
   *   `expect` (another symbol or other units).
   */
  static open(dir: string, fresh: () => JournalHeader, expect: (h: JournalHeader) => void): Journal {
    mkdirSync(dir, { recursive: true });
    const foreign = readdirSync(dir).filter((f) => f !== JOURNAL_FILE);
    if (foreign.length > 0) {
      throw new Error(`paper journal: journalDir ${dir} holds ${foreign.slice(0, 3).map((f) => JSON.stringify(f)).join(", ")}${foreign.length > 3 ? ", ..." : ""}: it must be empty or hold only a paper journal (${JOURNAL_FILE})`);
    }
    const path = join(dir, JOURNAL_FILE);
    let text: string | undefined;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    if (text === undefined || text === "") {
      const header = fresh();
      // "wx" on a new file never overwrites; "a" reuses the empty file a crash left behind.
      const fd = openSync(path, text === undefined ? "wx" : "a");
      append(fd, header);
      fsyncDir(dir);
      return new Journal(fd, dir, { header, events: [], torn: undefined, created: true });
    }
    const lines = text.split("\n");
    const last = lines.pop()!;
    let torn: string | undefined;
    // No newline after it: a write the crash cut short, unless the whole event made it.
    if (last !== "") {
      if (parses(last)) lines.push(last);
      else torn = last;
    }
    const first = parseLine(lines[0], 1, path);
    const h = Header.safeParse(first);
    if (!h.success) throw new Error(`paper journal: ${path} line 1 is not a paper journal header (format ${JSON.stringify(JOURNAL_FORMAT)}): refusing to touch it`);
    expect(h.data);
    const events: PaperEvent[] = [];
    for (let i = 1; i < lines.length; i++) {
      const r = Event.safeParse(parseLine(lines[i], i + 1, path));
      if (!r.success) throw new Error(`paper journal: ${path} line ${i + 1} is not a paper event: ${r.error.issues[0].path.join(".")} ${r.error.issues[0].message}`);
      events.push(r.data as PaperEvent);
    }
    // "a": every write goes to the end of the file, whatever else happened to it.
    const fd = openSync(path, "a");
    if (torn !== undefined) {
      ftruncateSync(fd, Buffer.byteLength(text) - Buffer.byteLength(torn));
      fsyncSync(fd);
    } else if (last !== "") {
      // The last event was whole but its newline was lost: finish the line.
      writeSync(fd, "\n");
      fsyncSync(fd);
    }
    return new Journal(fd, dir, { header: h.data, events, torn, created: false });
  }

  /** Writes one event as a line and fsyncs it. @throws Error once closed. */
  append(ev: PaperEvent): void {
    if (this.fd === undefined) throw new Error(`paper journal: ${this.dir} is closed`);
    append(this.fd, ev);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function append(fd: number, v: unknown): void {
  writeSync(fd, `${JSON.stringify(v)}\n`);
  fsyncSync(fd);
}

function fsyncDir(dir: string): void {
  // The new file's name must survive a crash too; not every platform can fsync a folder.
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function parseLine(line: string, n: number, path: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`paper journal: ${path} line ${n} is not JSON (only the last line may be torn by a crash): ${JSON.stringify(line.slice(0, 80))}`);
  }
}
