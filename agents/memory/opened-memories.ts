// Memory folders opened synchronously and kept per process, so every strategy a factory builds from one folder shares one store.
import { resolve } from "node:path";
import { type OpenedMemory, openMemoryFolderSync, readMemoryMeta } from "./memory-folder.ts";

/** By absolute folder: what was opened (its digest names the content it was opened with). */
const opened = new Map<string, OpenedMemory>();

/**
 * The memory folder `dir`, opened with every check of {@link openMemoryFolderSync} the first
 * time and again whenever its digest changed (memory.json and store/manifest.json, which holds
 * every store file's sha256); otherwise the store already opened. Strategies only read it, so
 * sharing is safe, and a walk-forward search creating hundreds of strategies reads it once.
 * @throws VectorStoreError naming the file and what is wrong.
 */
export function openMemorySync(dir: string): OpenedMemory {
  const abs = resolve(dir);
  const hit = opened.get(abs);
  if (hit !== undefined && hit.digest === readMemoryMeta(dir).digest) return hit;
  const value = openMemoryFolderSync(dir);
  opened.set(abs, value);
  return value;
}
