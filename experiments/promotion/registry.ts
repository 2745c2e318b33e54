// The agent registry: a folder of JSON records, one per bot object (name + params hash), its stage and the evidence of each promotion.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "../../sim/atomic-write.ts";
import { z } from "zod";
import { shortId, type BotIdentity } from "./identity.ts";

/** The stages in order: a bot starts at sim and climbs one step at a time. */
export const STAGES = ["sim", "history", "paper", "live"] as const;
export type Stage = (typeof STAGES)[number];

/** The default registry folder, relative to the working directory, beside the other outputs under runs/. */
export const DEFAULT_REGISTRY = "runs/agents";
/** The file that marks a folder as arena's registry: records are written only into a folder that has it (or a new or empty one). */
export const REGISTRY_MARKER = ".arena-registry";
export const RECORD_FORMAT = "btc-arena/agent";

const Check = z.object({ gate: z.string(), rule: z.string(), measured: z.string(), pass: z.boolean() });
const Promotion = z.object({
  from: z.enum(STAGES),
  to: z.enum(STAGES),
  gates: z.record(z.string(), z.unknown()),
  checks: z.array(Check),
  evidence: z.array(z.object({ kind: z.string(), path: z.string(), file: z.string(), sha256: z.string() }).passthrough()),
  /** Paper → live: days, PnL (quote), return and drawdown (percent) over every session given. */
  figures: z.record(z.string(), z.unknown()).optional(),
});
export const AgentRecord = z.object({
  format: z.literal(RECORD_FORMAT),
  version: z.literal(1),
  bot: z.string(),
  params: z.record(z.string(), z.unknown()),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  stage: z.enum(STAGES),
  promotions: z.array(Promotion),
});
export type AgentRecord = z.infer<typeof AgentRecord>;
export type PromotionRecord = z.infer<typeof Promotion>;

/** The record's file name: the bot's name and the first 16 hex digits of its hash. */
export const recordFile = (id: Pick<BotIdentity, "bot" | "hash">): string => `${id.bot}-${id.hash.slice(0, 16)}.json`;

/** A registry that cannot be read or written as asked; the CLI exits 2. */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryError";
  }
}

const codeOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/** Parses a record file's text, or says why it is not one. */
function parseRecord(text: string): AgentRecord | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `is not JSON (${(e as Error).message})`;
  }
  const r = AgentRecord.safeParse(raw);
  return r.success ? r.data : `is not an arena agent record (${r.error.issues[0].path.join(".")}: ${r.error.issues[0].message})`;
}

/**
 * The record of `id` in `dir`; undefined when the bot was never promoted (it is at sim).
 * @throws RegistryError when the file is there but is not this bot's record.
 */
export async function readRecord(dir: string, id: BotIdentity): Promise<AgentRecord | undefined> {
  const path = join(dir, recordFile(id));
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (codeOf(e) === "ENOENT" || codeOf(e) === "ENOTDIR") return undefined;
    throw new RegistryError(`--registry: ${JSON.stringify(path)} cannot be read (${String(codeOf(e))})`);
  }
  const r = parseRecord(text);
  if (typeof r === "string") throw new RegistryError(`--registry: ${JSON.stringify(path)} ${r}`);
  if (r.hash !== id.hash || r.bot !== id.bot) throw new RegistryError(`--registry: ${JSON.stringify(path)} records ${shortId(r)}, not ${shortId(id)}`);
  return r;
}

/** Every record in `dir` (none when it does not exist), by file name; files that are not records are reported, not read as ones. */
export async function listRecords(dir: string): Promise<{ records: AgentRecord[]; unreadable: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json") && !n.startsWith(".")).sort();
  } catch (e) {
    if (codeOf(e) === "ENOENT") return { records: [], unreadable: [] };
    throw new RegistryError(`--registry: ${JSON.stringify(dir)} cannot be read (${String(codeOf(e))})`);
  }
  const records: AgentRecord[] = [];
  const unreadable: string[] = [];
  for (const n of names) {
    const r = parseRecord(await readFile(join(dir, n), "utf8"));
    if (typeof r === "string") unreadable.push(`${n} ${r}`);
    else records.push(r);
  }
  return { records, unreadable };
}

/**
 * Writes `record` into `dir` atomically (a temporary file beside it, renamed over it). Refused,
 * with nothing written, when `dir` holds files but no registry marker, or when the file in its
 * place is not this bot's record: arena never overwrites what it did not write.
 * @throws RegistryError
 */
export async function writeRecord(dir: string, record: AgentRecord): Promise<string> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (codeOf(e) === "ENOTDIR") throw new RegistryError(`--registry: ${JSON.stringify(dir)} is a file, not a folder`);
    if (codeOf(e) !== "ENOENT") throw new RegistryError(`--registry: ${JSON.stringify(dir)} cannot be read (${String(codeOf(e))})`);
  }
  if (names.length > 0 && !names.includes(REGISTRY_MARKER)) {
    throw new RegistryError(`--registry: ${JSON.stringify(dir)} holds files arena did not write (no ${REGISTRY_MARKER}); give an empty or new folder`);
  }
  const file = recordFile(record);
  if (names.includes(file)) await readRecord(dir, record);
  try {
    await mkdir(dir, { recursive: true });
    if (!names.includes(REGISTRY_MARKER)) await writeFile(join(dir, REGISTRY_MARKER), "btc-arena agent registry: one JSON record per bot (arena promote, arena agents)\n");
    await writeAtomic(join(dir, file), JSON.stringify(record, null, 2) + "\n");
  } catch (e) {
    if (e instanceof RegistryError) throw e;
    throw new RegistryError(`--registry: ${JSON.stringify(dir)} cannot be written (${String(codeOf(e) ?? (e as Error).message)})`);
  }
  return join(dir, file);
}
