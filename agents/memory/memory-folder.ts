// A market memory on disk: memory.json (what it holds, how it was built) beside the store's snapshot in store/.
import { mkdir, readFile, writeFile } from "node:fs/promises";
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
export async function openMemoryFolder(dir: string): Promise<{ memory: MarketMemory; meta: MemoryMeta; store: EmbeddedStore }> {
  const file = join(dir, "memory.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new VectorStoreError("corrupt", `${file}: ${code === "ENOENT" ? "is missing: not a memory folder (make one with arena memory build)" : `cannot be read as JSON (${String(code ?? (err as Error).message)})`}`);
  }
  const parsed = MemoryMeta.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VectorStoreError("corrupt", `${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const meta = parsed.data;
  const store = new EmbeddedStore({ dimension: EMBEDDING_DIM });
  await store.restore(join(dir, "store"));
  const n = await store.count();
  if (n !== meta.points) throw new VectorStoreError("corrupt", `${file}: points ${meta.points}, but the store holds ${n}`);
  return { memory: new MarketMemory(store, { nextId: meta.nextId, lossScale: meta.lossScale }), meta, store };
}
