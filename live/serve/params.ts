// Reading Binance request parameters: each refusal names the parameter, the value and the rule.
import { err } from "./errors.ts";

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A required parameter. @throws BinanceError −1102 when absent or empty. */
export function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v === "") throw err.mandatory(name);
  return v;
}

/** A positive decimal (price, quantity), or undefined when absent. @throws BinanceError −1100. */
export function decimal(p: URLSearchParams, name: string): number | undefined {
  const v = p.get(name);
  if (v === null) return undefined;
  if (!DECIMAL.test(v) || !(Number(v) > 0) || !Number.isFinite(Number(v))) throw err.illegal(name, v, "a positive decimal such as 0.001");
  return Number(v);
}

/** A non-negative integer (ids, ms times), or undefined when absent. @throws BinanceError −1100. */
export function integer(p: URLSearchParams, name: string): number | undefined {
  const v = p.get(name);
  if (v === null) return undefined;
  if (!/^\d{1,16}$/.test(v) || !Number.isSafeInteger(Number(v))) throw err.illegal(name, v, "a non-negative integer");
  return Number(v);
}

/** `limit` within [1, max], `dflt` when absent; Binance caps a larger one at `max`. */
export function limit(p: URLSearchParams, dflt: number, max: number): number {
  const n = integer(p, "limit");
  if (n === undefined) return dflt;
  if (n < 1) throw err.illegal("limit", String(n), `1..${max}`);
  return Math.min(n, max);
}
