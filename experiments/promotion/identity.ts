// A bot's identity across the ladder: its registered name and its params after the schema (defaults filled), hashed canonically.
import { createHash } from "node:crypto";
import { BOT_TYPES } from "../../agents/registry.ts";
import { parseAt } from "../../market/validate.ts";

/** JSON with every object's keys sorted, so equal values give equal text whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/** One bot object: what a scenario, a backtest and `arena trade` build from the same name and params. */
export interface BotIdentity {
  readonly bot: string;
  /** The params after the bot's schema: defaults filled in, so `{}` and the defaults spelled out are one bot. */
  readonly params: Readonly<Record<string, unknown>>;
  /** sha256 (hex) of the canonical JSON of `{bot, params}`. */
  readonly hash: string;
}

/**
 * The identity of `bot` with `params` (as given).
 * @throws Error naming the bot or the field of params, the value and the rule.
 */
export function botIdentity(bot: string, params: Readonly<Record<string, unknown>>): BotIdentity {
  if (!Object.hasOwn(BOT_TYPES, bot)) throw new Error(`BOT: ${JSON.stringify(bot)} is not a registered bot (known: ${Object.keys(BOT_TYPES).join(", ")})`);
  const parsed = parseAt(BOT_TYPES[bot].params, params, "params") as Record<string, unknown>;
  const hash = createHash("sha256").update(canonicalJson({ bot, params: parsed })).digest("hex");
  return { bot, params: parsed, hash };
}

/** The short form shown in messages and file names: the bot and the hash's first 16 hex digits. */
export const shortId = (id: Pick<BotIdentity, "bot" | "hash">): string => `${id.bot}@${id.hash.slice(0, 16)}`;
