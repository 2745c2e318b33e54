// Parsing of CLI flag values at the boundary: every error names the flag, the value and the rule.
import { z } from "zod";
import { parseDurationNs } from "../sim/clock.ts";

/** A refused flag value; the CLI prints its message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const Seed = z.string().regex(/^\d{1,16}$/).transform(Number).pipe(z.number().int().max(Number.MAX_SAFE_INTEGER));

/** `--seed`: a non-negative integer in decimal digits (no 0x, exponents or signs). */
export function parseSeed(flag: string, raw: string): number {
  const r = Seed.safeParse(raw.trim());
  if (!r.success) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a non-negative integer`);
  return r.data;
}

/**
 * `--duration`: a number with a unit (ns, us, ms, s, m, h, d), e.g. "90s", "1.5h", "1d".
 * @returns integer nanoseconds.
 */
export function parseDuration(flag: string, raw: string): number {
  const ns = parseDurationNs(raw);
  if (Number.isNaN(ns)) {
    throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a positive duration such as 90s, 30m, 1h or 1d (at most 104 days)`);
  }
  return ns;
}

/** A non-empty path. */
export function parsePath(flag: string, raw: string): string {
  if (raw.trim() === "") throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a path`);
  return raw;
}

/** A refusal that is not a usage error (e.g. a promotion whose evidence fails a gate): the CLI prints its message and exits with `code`. */
export class ExitError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
    this.name = "ExitError";
  }
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number from a flag; `rule` says what else it must be. */
export function decimal(flag: string, raw: string, ok: (x: number) => boolean, rule: string): number {
  const s = raw.trim();
  const x = DECIMAL.test(s) ? Number(s) : NaN;
  if (!(Number.isFinite(x) && ok(x))) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not ${rule}`);
  return x;
}

/** A commission or slippage rate: 0 <= value < 1. */
export const fraction = (flag: string) => (raw: string): number => decimal(flag, raw, (x) => x >= 0 && x < 1, "a fraction with 0 <= value < 1 (0.001 = 0.1%)");
