// Parsing of CLI flag values at the boundary: every error names the flag, the value and the rule.
import { z } from "zod";

/** A refused flag value; the CLI prints its message and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86_400e9 };

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
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)$/.exec(raw.trim());
  const ns = m === null ? NaN : Math.round(Number(m[1]) * UNIT_NS[m[2]]);
  if (!(ns > 0) || !Number.isSafeInteger(ns)) {
    throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a positive duration such as 90s, 30m, 1h or 1d (at most 104 days)`);
  }
  return ns;
}

/** A non-empty path. */
export function parsePath(flag: string, raw: string): string {
  if (raw.trim() === "") throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a path`);
  return raw;
}
