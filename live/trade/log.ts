// The JSON-lines log of a trading session: one line per decision, order, fill and lifecycle step, written as it happens.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { BotLog, LogLevel } from "../../agents/bot.ts";
import { scrub } from "../ccxt-exchange-errors.ts";

/**
 * Appends one JSON object a line to `path` (created with its folder), each with `t` (Unix ms of
 * the session's clock), `time` (ISO) and `kind`: start, reconcile, rebuilt, wake, log (the bot's
 * own records), order, fill, risk, error, stop. Written synchronously: a crash loses no line.
 * Keys and secrets are cut out of every line.
 */
export class JsonlLog implements BotLog {
  private fd: number | undefined;
  /** Lines written, by kind. */
  readonly counts: Record<string, number> = {};

  /** @param clock Unix ms; default the wall clock. */
  constructor(readonly path: string, private readonly secrets: readonly string[] = [], private readonly clock: () => number = () => Date.now()) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
  }

  /** Writes one record; `fields` must be JSON-serialisable (Errors are written as their message). */
  record(kind: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (this.fd === undefined) return;
    const t = this.clock();
    const line = JSON.stringify({ t, time: new Date(t).toISOString(), kind, ...fields }, (_k, v: unknown) => (v instanceof Error ? v.message : v));
    writeSync(this.fd, scrub(line, this.secrets) + "\n");
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.bot("debug", msg, fields);
  }
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.bot("info", msg, fields);
  }
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.bot("warn", msg, fields);
  }
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.bot("error", msg, fields);
  }

  private bot(level: LogLevel, msg: string, fields: Readonly<Record<string, unknown>> | undefined): void {
    this.record("log", { level, msg, ...(fields ?? {}) });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
