// The snapshot format every VectorStore writes and restores: points in insertion order, and a manifest of sha256 sums checked before anything is read.
//
// Files in a snapshot folder:
// - manifest.json: {format, version, dimension, count, files: {NAME: {bytes, sha256}}}
// - points.json: {ids, payloads}, one entry per point, in the order the store inserted them;
// - vectors.f32: count x dimension float32 values, little-endian, in the same order;
// - extra files a backend adds (the embedded store's index.usearch), listed in the manifest too.
// A native index library reads a damaged file as garbage, or crashes the process; the sums are
// checked first, so a damaged snapshot is refused with a message instead.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { checkId, checkPayload, type Payload, VectorStoreError } from "./vector-store.ts";

export const SNAPSHOT_FORMAT = "btc-arena/vector-snapshot";
export const SNAPSHOT_VERSION = 1;
const MANIFEST = "manifest.json";
const POINTS = "points.json";
const VECTORS = "vectors.f32";

/** The points of a snapshot, in insertion order; `vectors` holds `ids.length` rows. */
export interface SnapshotData {
  readonly dimension: number;
  readonly ids: readonly number[];
  readonly payloads: readonly Payload[];
  readonly vectors: Float32Array;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function le(v: Float32Array): Uint8Array {
  // Little-endian on every machine the project runs on (x86-64, arm64); checked rather than assumed.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("snapshot: a big-endian machine is not supported");
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Writes a snapshot into the folder `dir`, which must exist and be empty.
 * @param extra backend files already written into `dir` (names), to be listed in the manifest.
 */
export async function writeSnapshot(dir: string, data: SnapshotData, extra: readonly string[] = []): Promise<void> {
  const left = (await readdir(dir)).filter((n) => !extra.includes(n));
  if (left.length > 0) throw new VectorStoreError("backend", `snapshot: ${dir} is not empty (holds ${left.slice(0, 3).join(", ")}); a snapshot is written into an empty folder`);
  const files: Record<string, { bytes: number; sha256: string }> = {};
  const put = async (name: string, bytes: Uint8Array) => {
    await writeFile(join(dir, name), bytes);
    files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  };
  await put(POINTS, new TextEncoder().encode(JSON.stringify({ ids: data.ids, payloads: data.payloads })));
  await put(VECTORS, le(data.vectors));
  for (const name of extra) {
    const bytes = await readFile(join(dir, name));
    files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  const manifest = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, dimension: data.dimension, count: data.ids.length, files };
  await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 1) + "\n");
}

/** A snapshot read and checked; `extra` maps each backend file to its path (its sum checked). */
export interface ReadSnapshot extends SnapshotData {
  readonly extra: ReadonlyMap<string, string>;
}

/**
 * Reads the snapshot in `dir`, checking the manifest, every file's size and sha256, and every
 * point, before returning anything.
 * @throws VectorStoreError "corrupt" naming the file and what is wrong; "dimension" when the
 *   snapshot's dimension is not `dimension`.
 */
export async function readSnapshot(dir: string, dimension: number): Promise<ReadSnapshot> {
  return readSnapshotSync(dir, dimension);
}

/** Synchronous {@link readSnapshot}, for callers that cannot await (a bot built from its params). */
export function readSnapshotSync(dir: string, dimension: number): ReadSnapshot {
  const corrupt = (file: string, rule: string) => new VectorStoreError("corrupt", `snapshot ${join(dir, file)}: ${rule}`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8"));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw corrupt(MANIFEST, code === "ENOENT" ? "is missing (not a snapshot folder)" : `cannot be read as JSON (${code ?? (err as Error).message})`);
  }
  const m = manifest as { format?: unknown; version?: unknown; dimension?: unknown; count?: unknown; files?: unknown };
  if (m?.format !== SNAPSHOT_FORMAT) throw corrupt(MANIFEST, `format ${JSON.stringify(m?.format)} is not ${SNAPSHOT_FORMAT}`);
  if (m.version !== SNAPSHOT_VERSION) throw corrupt(MANIFEST, `version ${JSON.stringify(m.version)} is not ${SNAPSHOT_VERSION}`);
  if (m.dimension !== dimension) throw new VectorStoreError("dimension", `snapshot ${join(dir, MANIFEST)}: dimension ${JSON.stringify(m.dimension)}; this store holds ${dimension}-dimensional vectors`);
  const count = m.count;
  if (!Number.isSafeInteger(count) || (count as number) < 0) throw corrupt(MANIFEST, `count ${JSON.stringify(count)} is not a non-negative integer`);
  const files = (m.files ?? {}) as Record<string, { bytes?: unknown; sha256?: unknown }>;
  const bytesOf = new Map<string, Buffer>();
  for (const name of Object.keys(files).sort()) {
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) throw corrupt(MANIFEST, `names a file ${JSON.stringify(name)} outside the folder`);
    let b: Buffer;
    try {
      b = readFileSync(join(dir, name));
    } catch (err) {
      throw corrupt(name, `is listed in the manifest but cannot be read (${String((err as { code?: unknown }).code ?? (err as Error).message)})`);
    }
    if (b.byteLength !== files[name].bytes) throw corrupt(name, `has ${b.byteLength} bytes, the manifest says ${String(files[name].bytes)}`);
    if (sha256(b) !== files[name].sha256) throw corrupt(name, `sha256 does not match the manifest: the file was changed or damaged`);
    bytesOf.set(name, b);
  }
  const pointsBytes = bytesOf.get(POINTS);
  const vectorBytes = bytesOf.get(VECTORS);
  if (pointsBytes === undefined) throw corrupt(POINTS, "is not listed in the manifest");
  if (vectorBytes === undefined) throw corrupt(VECTORS, "is not listed in the manifest");
  const n = count as number;
  if (vectorBytes.byteLength !== n * dimension * 4) throw corrupt(VECTORS, `has ${vectorBytes.byteLength} bytes, not ${n} x ${dimension} float32 values`);
  const points = JSON.parse(pointsBytes.toString("utf8")) as { ids?: unknown; payloads?: unknown };
  if (!Array.isArray(points.ids) || points.ids.length !== n || !Array.isArray(points.payloads) || points.payloads.length !== n) {
    throw corrupt(POINTS, `does not hold ${n} ids and ${n} payloads`);
  }
  const ids = points.ids as number[];
  const payloads = points.payloads as Payload[];
  ids.forEach((id, i) => checkId(id, `${join(dir, POINTS)} ids[${i}]`));
  payloads.forEach((p, i) => checkPayload(p, `${join(dir, POINTS)} payloads[${i}]`));
  const vectors = new Float32Array(n * dimension);
  new Uint8Array(vectors.buffer).set(vectorBytes);
  for (let i = 0; i < vectors.length; i++) if (!Number.isFinite(vectors[i])) throw corrupt(VECTORS, `value ${i} is ${vectors[i]}`);
  const extra = new Map<string, string>();
  for (const name of bytesOf.keys()) if (name !== POINTS && name !== VECTORS) extra.set(name, join(dir, name));
  return { dimension, ids, payloads, vectors, extra };
}
