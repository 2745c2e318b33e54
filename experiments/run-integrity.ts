// Whether a run folder's files belong to one run: each file's size, Arrow row count and (bars) sha256 against summary.json.
import { createHash } from "node:crypto";
import { open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { MessageHeader, MessageReader } from "apache-arrow";
import { Footer } from "apache-arrow/ipc/metadata/file";
import { z } from "zod";

/** sha256 of bytes, hex. */
export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const MAGIC = "ARROW1";

/**
 * Rows of an Arrow IPC file, read from its footer and the header of each record batch (a few
 * hundred bytes a batch), never its data.
 * @throws Error when the file is not a whole Arrow IPC file.
 */
export async function arrowRowCount(path: string): Promise<number> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const at = async (offset: number, length: number): Promise<Uint8Array> => {
      if (offset < 0 || length < 0 || offset + length > size) throw new Error("is cut short: not a whole Arrow IPC file");
      const buf = new Uint8Array(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      if (bytesRead !== length) throw new Error("is cut short: not a whole Arrow IPC file");
      return buf;
    };
    const tail = await at(size - 10, 10);
    if (Buffer.from(tail.subarray(4)).toString("latin1") !== MAGIC) throw new Error("does not end like an Arrow IPC file (truncated or not Arrow)");
    const footerLength = new DataView(tail.buffer).getInt32(0, true);
    const footer = Footer.decode(await at(size - 10 - footerLength, footerLength));
    let rows = 0;
    for (const block of footer.recordBatches()) {
      const message = new MessageReader(await at(block.offset, block.metaDataLength)).readMessage(MessageHeader.RecordBatch);
      if (message === null || !message.isRecordBatch()) throw new Error(`has no record batch at byte ${block.offset}`);
      rows += Number(message.header().length);
    }
    return rows;
  } finally {
    await fh.close();
  }
}

/**
 * summary.json's record of its files, written beside `files`: the size of each, and the sha256
 * of bars.arrow. Runs of one duration all have as many bars (so the same size and rows); the
 * other tables' sizes and rows tell runs apart, and hashing them would cost about what writing them does.
 */
export async function fileRecord(dir: string, names: readonly string[]): Promise<{ fileBytes: Record<string, number>; sha256: Record<string, string> }> {
  const fileBytes: Record<string, number> = {};
  const sha256: Record<string, string> = {};
  for (const name of names) {
    fileBytes[name] = (await stat(join(dir, name))).size;
    if (name === "bars.arrow") sha256[name] = sha256Hex(await readFile(join(dir, name)));
  }
  return { fileBytes, sha256 };
}

/** The fields of summary.json this check reads. */
const RunFiles = z.object({
  files: z.array(z.string()),
  rows: z.record(z.string(), z.number()),
  fileBytes: z.record(z.string(), z.number()).optional(),
  sha256: z.record(z.string(), z.string()).optional(),
});

/**
 * Checks that `dir` holds one run: summary.json parses, every file it lists exists, with the
 * size summary.json records, as many Arrow rows as its `rows` counts, and the recorded sha256
 * (bars.arrow). Summaries written before `fileBytes` and `sha256` are checked on rows alone.
 * @returns null when the folder is consistent, else what is wrong, naming the file.
 */
export async function runFolderProblem(dir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(dir, "summary.json"), "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return code === "ENOENT" ? "has no summary.json, so it is not a run folder (arena run writes one)" : `summary.json cannot be read (${String(code)})`;
  }
  let parsed;
  try {
    parsed = RunFiles.safeParse(JSON.parse(text));
  } catch (err) {
    return `summary.json is not JSON (${(err as Error).message})`;
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `summary.json is not a run's summary (${issue.path.join(".")}: ${issue.message})`;
  }
  const s = parsed.data;
  const mixed = "the folder mixes files of different runs (or a write was cut short)";
  for (const name of s.files) {
    if (name === "summary.json") continue;
    const path = join(dir, name);
    let bytes: number;
    try {
      bytes = (await stat(path)).size;
    } catch (err) {
      return `${name}, listed in summary.json, cannot be read (${String((err as { code?: unknown }).code)})`;
    }
    const expectedBytes = s.fileBytes?.[name];
    if (expectedBytes !== undefined && bytes !== expectedBytes) return `${name} has ${bytes} bytes where summary.json records ${expectedBytes}: ${mixed}`;
    const table = name.replace(/\.arrow$/, "");
    const expectedRows = s.rows[table];
    if (table !== name && expectedRows !== undefined) {
      let rows: number;
      try {
        rows = await arrowRowCount(path);
      } catch (err) {
        return `${name} ${(err as Error).message}: ${mixed}`;
      }
      if (rows !== expectedRows) return `${name} has ${rows} rows where summary.json counts ${expectedRows}: ${mixed}`;
    }
    const expectedSha = s.sha256?.[name];
    if (expectedSha !== undefined) {
      const actual = sha256Hex(await readFile(path));
      if (actual !== expectedSha) return `${name} is not the file summary.json describes (sha256 ${actual.slice(0, 12)}…, recorded ${expectedSha.slice(0, 12)}…): ${mixed}`;
    }
  }
  return null;
}
