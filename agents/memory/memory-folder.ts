// A market memory on disk: memory.json (what it holds, how it was built) beside the store's snapshot in store/.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { EmbeddedStore } from "./embedded-store.ts";
import { EMBEDDING_DIM } from "./embedding-layout.ts";
import { MarketMemory } from "./market-memory.ts";
import { type VectorStore, VectorStoreError } from "./vector-store.ts";

export const MEMORY_FORMAT = "btc-arena/market-memory";

export const MemoryMeta = z.strictObject({
  format: z.literal(MEMORY_FORMAT),
  version: z.literal(1),
  dimension: z.literal(EMBEDDING_DIM),
  /** Bars after a state over which its outcome (ret, dd) was measured. */
  horizonBars: z.number().int().positive(),
  /** The loss the risk score counts as the largest (a fraction). */
  lossScale: z.number().positive().finite(),
  /** Points in the store, and the id the next one takes. */
  points: z.number().int().nonnegative(),
  nextId: z.number().int().nonnegative(),
  /** Where the states came from (file names or run folders, as given). */
  sources: z.array(z.string()),
  /** First and last state time (Unix ms), null when empty. */
  from: z.number().nullable(),
  to: z.number().nullable(),
});
export type MemoryMeta = z.infer<typeof MemoryMeta>;

/** Writes `store` and `meta` into the folder `dir` (created; its store/ must not exist yet). */
export async function writeMemoryFolder(dir: string, store: VectorStore, meta: MemoryMeta): Promise<void> {
  await mkdir(join(dir, "store"));
  await store.snapshot(join(dir, "store"));
  await writeFile(join(dir, "memory.json"), JSON.stringify(meta, null, 1) + "\n");
}

/**
 * Opens a memory folder into an embedded store, checking memory.json and every file of the snapshot first.
 * @throws VectorStoreError "corrupt" naming the file and the rule (or "dimension").
 */
export async function openMemoryFolder(dir: string): Promise<OpenedMemory> {
  return openMemoryFolderSync(dir);
}

/** A memory folder opened: the memory, what memory.json says, the store, and the folder's {@link memoryDigest}. */
export interface OpenedMemory {
  readonly memory: MarketMemory;
  readonly meta: MemoryMeta;
  readonly store: EmbeddedStore;
  readonly digest: string;
}

/** Synchronous {@link openMemoryFolder}, for callers that cannot await (a bot built from its params). */
export function openMemoryFolderSync(dir: string): OpenedMemory {
  const file = join(dir, "memory.json");
  const { meta, digest } = readMemoryMeta(dir);
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  store.restoreSync(join(dir, "store"));
  const n = store.countSync();
  if (n !== meta.points) throw new VectorStoreError("corrupt", `${file}: points ${meta.points}, but the store holds ${n}`);
  return { memory: new MarketMemory(store, { nextId: meta.nextId, lossScale: meta.lossScale }), meta, store, digest };
}

/**
 * Reads and checks a folder's memory.json (not the store) and its digest: sha256 over memory.json
 * and store/manifest.json (which holds every store file's sha256), so it names the content.
 * @throws VectorStoreError "corrupt" naming the file and the rule.
 */
export function readMemoryMeta(dir: string): { meta: MemoryMeta; digest: string } {
  const file = join(dir, "memory.json");
  const manifest = join(dir, "store", "manifest.json");
  let text: Buffer;
  let raw: unknown;
  try {
    text = readFileSync(file);
    raw = JSON.parse(text.toString("utf8"));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new VectorStoreError("corrupt", `${file}: ${code === "ENOENT" ? "is missing: not a memory folder (make one with arena memory build)" : `cannot be read as JSON (${String(code ?? (err as Error).message)})`}`);
  }
  const parsed = MemoryMeta.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VectorStoreError("corrupt", `${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  let manifestBytes: Buffer;
  try {
    manifestBytes = readFileSync(manifest);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new VectorStoreError("corrupt", `snapshot ${manifest}: ${code === "ENOENT" ? "is missing (not a snapshot folder)" : `cannot be read (${String(code ?? (err as Error).message)})`}`);
  }
  const digest = createHash("sha256").update(text).update(manifestBytes).digest("hex");
  return { meta: parsed.data, digest };
}
