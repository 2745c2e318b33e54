// Risk configuration: the defaults every bot starts from, the all-off config, and parsing of overrides.
import { z } from "zod";
import { parseAt, shown, ValidationError } from "../../market/validate.ts";
import type { RiskConfig } from "./risk.ts";

/** The rules: 10% per position, 30% exposure, 3 trades, -3% stop, 3% trailing, +5% ROI, -5% a day, -10% breaker paused a day. */
export const DEFAULT_RISK: RiskConfig = Object.freeze({
  maxPositionPct: 0.1,
  maxExposurePct: 0.3,
  maxOpenTrades: 3,
  stopLossPct: 0.03,
  trailingStopPct: 0.03,
  roiPct: 0.05,
  dailyLossPct: 0.05,
  circuitBreakerPct: 0.1,
  circuitPauseMinutes: 1440,
});

/** Every rule switched off: the manager allows every entry in full and never stops anything. */
export const RISK_OFF: RiskConfig = Object.freeze({
  maxPositionPct: null,
  maxExposurePct: null,
  maxOpenTrades: null,
  stopLossPct: null,
  trailingStopPct: null,
  roiPct: null,
  dailyLossPct: null,
  circuitBreakerPct: null,
  circuitPauseMinutes: 1440,
});

const OFF = "or null to switch the rule off";
/** A fraction in (0, 1] (or (0, 1) when a rule at 1 would be meaningless), or null. */
function fraction(upTo1: boolean) {
  const rule = `must be a fraction in (0, 1${upTo1 ? "]" : ")"} (0.1 = 10%), ${OFF}`;
  const n = z.number({ error: rule }).gt(0, { error: rule });
  return (upTo1 ? n.lte(1, { error: rule }) : n.lt(1, { error: rule })).nullable();
}

const WHOLE = `must be a whole number >= 1, ${OFF}`;
const GAIN = `must be a positive finite gain (0.05 = +5%), ${OFF}`;
const MINUTES = "must be a finite number of minutes >= 0 (switch the breaker off with circuitBreakerPct: null)";

const SHAPE = {
  maxPositionPct: fraction(true),
  maxExposurePct: fraction(true),
  maxOpenTrades: z.number({ error: WHOLE }).int({ error: WHOLE }).min(1, { error: WHOLE }).nullable(),
  // A stop at -100% or a trail of 100% could never fire.
  stopLossPct: fraction(false),
  trailingStopPct: fraction(false),
  roiPct: z.number({ error: GAIN }).gt(0, { error: GAIN }).finite({ error: GAIN }).nullable(),
  dailyLossPct: fraction(true),
  circuitBreakerPct: fraction(true),
  // Not switchable: the breaker is switched off with circuitBreakerPct: null.
  circuitPauseMinutes: z.number({ error: MINUTES }).min(0, { error: MINUTES }).finite({ error: MINUTES }),
};

const FULL = z.strictObject(SHAPE);
const PARTIAL = FULL.partial();
const KEYS = Object.keys(SHAPE);

/** Names an unknown key by its own path (zod reports it on the object as a whole). */
function rejectUnknownKeys(input: unknown, prefix: string): void {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return;
  for (const [k, v] of Object.entries(input)) {
    if (!KEYS.includes(k)) {
      throw new ValidationError(`${prefix}.${k}`, `${prefix}.${k}: ${shown(v)} is invalid: unknown rule (rule: one of ${KEYS.join(", ")})`);
    }
  }
}

/**
 * Risk overrides merged onto DEFAULT_RISK: each key a number, or null to switch that rule off;
 * undefined means "all defaults".
 * @param prefix names the input in messages, e.g. "risk" → `risk.maxPositionPct`.
 * @throws ValidationError naming field, value and rule, e.g. `risk.maxPositionPct: 1.5 is invalid: must be a fraction in (0, 1] ...`.
 */
export function parseRiskConfig(input: unknown, prefix = "risk"): RiskConfig {
  const raw = input === undefined ? {} : input;
  rejectUnknownKeys(raw, prefix);
  const overrides = parseAt(PARTIAL, raw, prefix);
  const out: Record<string, unknown> = { ...DEFAULT_RISK };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = v;
  return Object.freeze(out) as unknown as RiskConfig;
}

/**
 * Checks a complete config (every key present; nothing filled in from defaults).
 * @throws ValidationError as parseRiskConfig does.
 */
export function checkRiskConfig(config: RiskConfig, prefix = "config"): RiskConfig {
  rejectUnknownKeys(config, prefix);
  return Object.freeze(parseAt(FULL, config, prefix));
}
