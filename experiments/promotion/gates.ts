// The gates a promotion must pass, from a JSON config (zod-checked) over the defaults of issue 23.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { parseAt } from "../../market/validate.ts";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";

const BUILTINS = Object.keys(BUILTIN_SPECS);

export const Gates = z.strictObject({
  /** sim → history: a suite in which the bot passed every one of these scenarios, on at least minSeeds seeds each. */
  sim: z.strictObject({
    scenarios: z.array(z.string().refine((s) => BUILTINS.includes(s), { message: `must be a built-in scenario (${BUILTINS.join(", ")})` }))
      .min(1, "must name at least one scenario").default(BUILTINS),
    minSeeds: z.number().int().min(1).max(1000).default(1),
  }).prefault({}),
  /** history → paper: a walk-forward whose stitched out-of-sample return is above minOosReturn (a fraction) and whose PBO is below maxPbo. */
  history: z.strictObject({
    minOosReturn: z.number().finite().min(-1).default(0),
    maxPbo: z.number().gt(0).max(1).default(0.5),
    /** The windows' mean deflated Sharpe ratio (a probability) must reach it; null: not gated, only recorded. */
    minDeflatedSharpe: z.number().min(0).max(1).nullable().default(null),
    minWindows: z.number().int().min(1).default(1),
  }).prefault({}),
  /** paper → live: at least minDays of paper sessions whose equity drew down less than maxDrawdownPct percent. */
  paper: z.strictObject({
    minDays: z.number().finite().min(0).default(7),
    maxDrawdownPct: z.number().gt(0).max(100).default(15),
  }).prefault({}),
});
export type Gates = z.infer<typeof Gates>;

/** The gates without a config: every built-in passed; OOS return > 0 with PBO < 0.5; 7 days of paper with drawdown < 15%. */
export const DEFAULT_GATES: Gates = Gates.parse({});

/**
 * Reads a gates config (any subset of the fields; the rest keep their defaults).
 * @throws Error `--gates: file "F": gates.history.maxPbo: 2 is invalid: ...` (field, value, rule).
 */
export async function loadGates(path: string): Promise<Gates> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new Error(code === "ENOENT" ? `--gates: ${JSON.stringify(path)} does not exist` : `--gates: ${JSON.stringify(path)} cannot be read (${String(code)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`--gates: file ${JSON.stringify(path)} is not JSON (${(e as Error).message})`);
  }
  try {
    return parseAt(Gates, raw, "gates");
  } catch (e) {
    throw new Error(`--gates: file ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}
