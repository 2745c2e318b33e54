// The paper broker's options, checked at the boundary: every refusal names the field, the value and the rule.
import { z } from "zod";
import type { PaperBrokerOptions } from "./broker.ts";

const Fee = z.number().finite().min(0).max(0.1, "must be a fraction at most 0.1 (0.001 = 0.1%)");

const Costs = z.strictObject({
  makerFee: Fee,
  takerFee: Fee,
  latencyMs: z.number().int().min(0).max(60_000),
  slippageBps: z.number().finite().min(0).max(1_000, "must be at most 1000 basis points (10%)"),
});

const Options = z.strictObject({
  data: z.custom<PaperBrokerOptions["data"]>(
    (v) => typeof v === "object" && v !== null && typeof (v as { watchTrades?: unknown }).watchTrades === "function" && typeof (v as { markets?: unknown }).markets === "object",
    "must be an Exchange (the live market data source)",
  ),
  symbol: z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "must be BASE/QUOTE"),
  balances: z.record(z.string(), z.number().finite().nonnegative()),
  costs: Costs,
  journalDir: z.string().min(1, "must name a folder"),
  onNotice: z.custom<(msg: string) => void>((v) => typeof v === "function", "must be a function").optional(),
});

/**
 * @throws Error `createPaperBroker: <field>: <value> <rule>` for the first bad field.
 */
export function checkOptions(input: PaperBrokerOptions): PaperBrokerOptions {
  const r = Options.safeParse(input);
  if (r.success) return input;
  const i = r.error.issues[0];
  let v: unknown = input;
  for (const k of i.path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  const shown = i.path[0] === "data" ? typeof v : JSON.stringify(v);
  throw new Error(`createPaperBroker: ${i.path.join(".") || "options"}: ${shown} ${i.message}`);
}
