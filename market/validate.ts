// Parsing at the boundary: a zod schema applied to outside input, errors naming field, value and rule.
import type { z } from "zod";

/** A refused input: the message names the field path, the value found and the rule broken. */
export class ValidationError extends Error {
  /** Field path as written in messages, e.g. `populations[1].count`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "ValidationError";
    this.field = field;
  }
}

/** `a.b[2].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const k of path) out += typeof k === "number" ? `[${k}]` : `${out === "" ? "" : "."}${String(k)}`;
  return out;
}

/** The value at `path` inside `input`, or undefined where the path leaves the input. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A value as a message shows it: numbers by String() so NaN and Infinity keep their names. */
export function shown(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value === undefined) return "undefined";
  const json = JSON.stringify(value);
  return json.length > 80 ? json.slice(0, 77) + "..." : json;
}

/**
 * Parses `input` with `schema`.
 * @param prefix names the whole input in messages, e.g. "instrument" → `instrument.tickSize`.
 * @throws ValidationError for the first issue: `${prefix}.${field}: ${value} is invalid: ${rule}`.
 */
export function parseAt<S extends z.ZodType>(schema: S, input: unknown, prefix: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = fieldPath(issue.path);
  const field = path === "" ? prefix : path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
  throw new ValidationError(field, `${field}: ${shown(valueAt(input, issue.path))} is invalid: ${issue.message}`);
}
