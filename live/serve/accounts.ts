// The accounts a served venue trades for: key pairs and starting balances, from a zod-checked file or one demo account.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";

/** Binance keys are 64 alphanumerics; any 8-128 such characters are accepted here. */
const Key = z.string().regex(/^[A-Za-z0-9]{8,128}$/, "must be 8-128 letters and digits");

export const AccountSpec = z.strictObject({
  /** A name for logs; the agent slot is `serve/NAME`. */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "must be 1-40 letters, digits, _ or -"),
  key: Key,
  secret: Key,
  /** Starting balances in coins of the instrument's base and quote assets. */
  base: z.number().nonnegative().finite().default(0),
  quote: z.number().nonnegative().finite().default(0),
});
export type AccountSpec = z.infer<typeof AccountSpec>;

export const AccountsFile = z.array(AccountSpec).min(1).superRefine((list, ctx) => {
  const seen = new Map<string, string>();
  list.forEach((a, i) => {
    for (const [field, v] of [["name", a.name], ["key", a.key]] as const) {
      const k = `${field}:${v}`;
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i, field], message: `${JSON.stringify(v)} is already used by ${seen.get(k)}` });
      seen.set(k, `account ${i}`);
    }
  });
});

/** Starting balances of the demo account: 1 BTC and 100,000 USDT. */
export const DEMO_BALANCES = { base: 1, quote: 100_000 } as const;

/**
 * Reads and checks an accounts file (a JSON array of {name, key, secret, base, quote}).
 * @throws Error naming the file, the field path and the rule broken.
 */
export async function loadAccounts(path: string): Promise<AccountSpec[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Error(`--accounts: ${JSON.stringify(path)} cannot be read (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`--accounts: ${JSON.stringify(path)} is not JSON (${(e as Error).message})`);
  }
  const r = AccountsFile.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`--accounts: ${JSON.stringify(path)}: [${i.path.join(".")}]: ${i.message}`);
  }
  return r.data;
}

/**
 * The one demo account used without `--accounts`: key and secret from `env` (ARENA_SERVE_KEY,
 * ARENA_SERVE_SECRET) when both are set, else freshly generated (`generated` says which).
 * @throws Error naming the variable when one is set but malformed, or only one is set.
 */
export function demoAccount(env: Readonly<Record<string, string | undefined>>): { account: AccountSpec; generated: boolean } {
  const key = env.ARENA_SERVE_KEY;
  const secret = env.ARENA_SERVE_SECRET;
  if ((key === undefined) !== (secret === undefined)) {
    throw new Error(`ARENA_SERVE_KEY and ARENA_SERVE_SECRET: set both or neither (only ${key === undefined ? "ARENA_SERVE_SECRET" : "ARENA_SERVE_KEY"} is set)`);
  }
  if (key !== undefined && secret !== undefined) {
    for (const [name, v] of [["ARENA_SERVE_KEY", key], ["ARENA_SERVE_SECRET", secret]] as const) {
      if (!Key.safeParse(v).success) throw new Error(`${name}: a value of ${v.length} characters must be 8-128 letters and digits`);
    }
    return { account: { name: "demo", key, secret, ...DEMO_BALANCES }, generated: false };
  }
  const gen = () => randomBytes(32).toString("hex");
  return { account: { name: "demo", key: gen(), secret: gen(), ...DEMO_BALANCES }, generated: true };
}
