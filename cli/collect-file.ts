// `arena collect`'s output file: owned only when its sidecar (FILE.arena-collect.json) names it and its hash; written whole through a temp file and a rename.
import { createHash } from "node:crypto";
import { readFile, rename, writeFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { loadOhlcv, ohlcvToArrow, ohlcvToCsv, type Ohlcv } from "../experiments/ohlcv.ts";
import type { Candle } from "../live/collect/source.ts";
import { UsageError } from "./args.ts";

const Sidecar = z.object({
  writtenBy: z.literal("arena collect"),
  exchange: z.string(), symbol: z.string(), timeframe: z.string(),
  sha256: z.string(),
  /** The hash of the file before the write in progress: a crash between the two renames leaves either. */
  previousSha256: z.string().optional(),
});
export type Sidecar = z.infer<typeof Sidecar>;

export const sidecarOf = (path: string) => `${path}.arena-collect.json`;
export const rejectsOf = (path: string) => `${path}.rejects.jsonl`;
export const tradesOf = (path: string) => `${path}.trades.csv`;
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");
const tempOf = (path: string) => join(dirname(path), `.${basename(path)}.arena-collect.tmp`);

/** The file's format, from its extension. @throws UsageError for another one. */
export function formatOf(path: string): "arrow" | "csv" {
  if (/\.arrow$/i.test(path)) return "arrow";
  if (/\.csv$/i.test(path)) return "csv";
  throw new UsageError(`--out: ${JSON.stringify(path)} must end in .arrow (Arrow IPC) or .csv`);
}

/**
 * The bars already in `path` when arena collect wrote it for the same exchange, symbol and
 * timeframe; undefined when there is no file.
 * @throws UsageError when the file exists but arena collect did not write it (no sidecar, or a
 *   hash that does not match), or wrote it for another series.
 */
export async function existingBars(path: string, want: Omit<Sidecar, "writtenBy" | "sha256" | "previousSha256">): Promise<Ohlcv | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      await checkNewSiblings(path);
      return undefined;
    }
    throw new UsageError(`--out: ${JSON.stringify(path)} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  let side: Sidecar;
  try {
    side = Sidecar.parse(JSON.parse(await readFile(sidecarOf(path), "utf8")));
  } catch {
    throw new UsageError(`--out: ${JSON.stringify(path)} exists and was not written by arena collect (no valid ${basename(sidecarOf(path))} beside it); it is left untouched: choose another --out`);
  }
  const h = sha(bytes);
  if (h !== side.sha256 && h !== side.previousSha256) {
    throw new UsageError(`--out: ${JSON.stringify(path)} was changed since arena collect wrote it (its sha256 is not the one ${basename(sidecarOf(path))} records); it is left untouched`);
  }
  for (const k of ["exchange", "symbol", "timeframe"] as const) {
    if (side[k] !== want[k]) throw new UsageError(`--out: ${JSON.stringify(path)} holds ${k} ${side[k]}, not ${want[k]}: resuming would mix two series`);
  }
  return loadOhlcv(path);
}

/** The bars of `old` followed by `fresh`. */
export function merge(old: Ohlcv | undefined, fresh: readonly Candle[]): Ohlcv {
  const n0 = old?.timestamps.length ?? 0;
  const n = n0 + fresh.length;
  const cols = { timestamps: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const names = ["timestamps", "open", "high", "low", "close", "volume"] as const;
  names.forEach((k, j) => {
    if (old !== undefined) cols[k].set(old[k]);
    fresh.forEach((c, i) => (cols[k][n0 + i] = c[j]));
  });
  return cols;
}

/**
 * A new FILE's siblings (sidecar, rejects, trades) are replaced by the run: refused when one exists
 * that arena collect did not write (a valid sidecar, left by a run killed before its data's rename, is ours).
 */
async function checkNewSiblings(path: string): Promise<void> {
  const sidecar = await readFile(sidecarOf(path), "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : ""));
  if (sidecar !== undefined) {
    let ours: boolean;
    try {
      ours = Sidecar.safeParse(JSON.parse(sidecar)).success;
    } catch {
      ours = false;
    }
    if (!ours) throw new UsageError(`--out: ${JSON.stringify(sidecarOf(path))} exists and was not written by arena collect; it would be replaced: choose another --out`);
    return;
  }
  for (const sibling of [rejectsOf(path), tradesOf(path)]) {
    if (await fileSha(sibling) !== undefined) throw new UsageError(`--out: ${JSON.stringify(sibling)} exists and ${JSON.stringify(path)} is new, so arena collect did not write it; it would be replaced: choose another --out`);
  }
}

/** Writes `bars` to `path` atomically (temp file, then rename) and its sidecar after it. */
export async function writeBars(path: string, bars: Ohlcv, meta: Omit<Sidecar, "writtenBy" | "sha256" | "previousSha256">, previousSha256: string | undefined): Promise<void> {
  const bytes = formatOf(path) === "arrow" ? ohlcvToArrow(bars) : new TextEncoder().encode(ohlcvToCsv(bars));
  const h = sha(bytes);
  const sideTmp = tempOf(sidecarOf(path));
  // The sidecar first records both hashes, so a crash before the data's rename still leaves a file it owns.
  await writeFile(sideTmp, JSON.stringify({ writtenBy: "arena collect", ...meta, sha256: h, previousSha256 }, null, 2));
  await rename(sideTmp, sidecarOf(path));
  const tmp = tempOf(path);
  await writeFile(tmp, bytes);
  await rename(tmp, path);
  await writeFile(sideTmp, JSON.stringify({ writtenBy: "arena collect", ...meta, sha256: h }, null, 2));
  await rename(sideTmp, sidecarOf(path));
}

/** The sha256 of the file at `path`, or undefined when there is none. */
export async function fileSha(path: string): Promise<string | undefined> {
  try {
    return sha(await readFile(path));
  } catch {
    return undefined;
  }
}

/** Removes a temp file a crashed run left. */
export async function clearTemps(path: string): Promise<void> {
  await rm(tempOf(path), { force: true });
  await rm(tempOf(sidecarOf(path)), { force: true });
}
