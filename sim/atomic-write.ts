// Whole-file writes through a temporary sibling and a rename: a crash leaves the old file or the new one, never half of one.
import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Writes `data` to `path` atomically: into `.NAME.PID.tmp` beside it, then renamed over it.
 * The temporary file is removed when anything fails.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const tmp = `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
