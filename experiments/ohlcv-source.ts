// A bars file opened for streaming: only regular files, gzip undone on the fly, kind told from the first bytes.
import { constants, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { BARS_FILE_RULE, fileError, OhlcvError } from "./ohlcv-error.ts";

/** Bytes read from the file per step. */
export const CHUNK_BYTES = 1 << 20;
/** Bytes the content is judged on (text or binary, Arrow or CSV) before any is parsed. */
export const SNIFF_BYTES = 1 << 16;

/** A file's content by kind: Arrow IPC whole (its reader needs every byte), CSV as decoded text in pieces. */
export type BarsContent =
  | { readonly kind: "arrow"; readonly bytes: Uint8Array }
  | {
      readonly kind: "csv";
      readonly text: AsyncIterable<string>;
      /** Data rows the text holds if it is valid: its non-blank lines after the header. */
      readonly rows: number;
    };

function fileKind(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** The file's bytes from the start; each call reads on its own, at explicit positions. */
async function* fileChunks(fh: FileHandle, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; ; ) {
    const buf = Buffer.allocUnsafe(size);
    const { bytesRead } = await fh.read(buf, 0, size, at);
    if (bytesRead === 0) return;
    at += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/**
 * Lines holding anything but ASCII whitespace (the bytes String.prototype.trim drops that are
 * one byte long). A line of other Unicode whitespace counts, though the CSV reader drops it:
 * the count is then one too many, which costs a copy, never a wrong bar.
 */
async function countLines(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let lines = 0;
  let filled = false;
  for await (const c of chunks) {
    for (let i = 0; i < c.length; ) {
      if (!filled) {
        const b = c[i];
        if (b === 0x0a) {
          i++;
          continue;
        }
        if (b !== 0x20 && (b < 0x09 || b > 0x0d)) {
          filled = true;
          lines++;
        } else {
          i++;
          continue;
        }
      }
      // Inside a line that counts: skip to its end.
      const nl = c.indexOf(0x0a, i);
      if (nl === -1) break;
      filled = false;
      i = nl + 1;
    }
  }
  return lines;
}

async function* gunzipped(source: string, chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const input = Readable.from(chunks, { objectMode: false });
  const z = createGunzip({ chunkSize: Math.max(64, size) });
  input.on("error", (err) => z.destroy(err));
  input.pipe(z);
  try {
    for await (const c of z) yield c as Uint8Array;
  } catch (err) {
    if (err instanceof OhlcvError) throw err;
    throw fileError(source, `is not valid gzip (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    input.destroy();
    z.destroy();
  }
}

interface Peeked {
  /** The first `n` bytes or more, joined; fewer only when the content is shorter. */
  readonly head: Uint8Array;
  /** Every byte again, from the start. */
  readonly all: AsyncGenerator<Uint8Array>;
  /** Stops the source, whether or not `all` was read. */
  close(): Promise<void>;
}

async function peek(chunks: AsyncGenerator<Uint8Array>, n: number): Promise<Peeked> {
  const seen: Uint8Array[] = [];
  let got = 0;
  let ended = false;
  while (got < n) {
    const r = await chunks.next();
    if (r.done === true) {
      ended = true;
      break;
    }
    seen.push(r.value);
    got += r.value.length;
  }
  const head = seen.length === 1 ? seen[0] : Buffer.concat(seen);
  // The chunks as read, not the joined head: the parser sees the same pieces from the first byte on.
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* seen;
    if (!ended) yield* chunks;
  }
  return { head, all: all(), close: async () => void (await chunks.return(undefined)) };
}

/** Why the first bytes of a CSV are not text, or null when they are: a NUL byte, or bytes that are not UTF-8. */
function notText(head: Uint8Array): string | null {
  const nul = head.indexOf(0);
  if (nul >= 0) return `byte ${nul + 1} is NUL, as in binary data`;
  try {
    // stream: a character cut at the end of the head is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    return `its first ${head.length} bytes are not UTF-8 text`;
  }
  return null;
}

async function* decoded(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // Invalid bytes past the sniffed head become U+FFFD, as a whole-file decode made them; the BOM is the CSV reader's to drop.
  const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  for await (const c of chunks) yield utf8.decode(c, { stream: true });
  yield utf8.decode();
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

const isArrow = (b: Uint8Array) =>
  Buffer.from(b.buffer, b.byteOffset, Math.min(6, b.length)).toString("latin1") === "ARROW1" ||
  (b.length >= 4 && b[0] === 0xff && b[1] === 0xff && b[2] === 0xff && b[3] === 0xff);

/**
 * Opens a bars file and hands its content to `use`, closing the file when `use` is done. Only a
 * regular file is read (a FIFO is opened without blocking and refused); gzip is recognised by its
 * magic bytes and undone as the file is read; the (decompressed) content is Arrow IPC when it
 * starts with Arrow's magic, otherwise CSV text, refused at once when empty or binary.
 * @param chunkBytes bytes per read (tests make it small to split lines and characters).
 * @throws OhlcvError for a file that is not regular, empty, not valid gzip, or binary;
 *   the fs error (ENOENT, EACCES...) when it cannot be opened.
 */
export async function withBarsFile<T>(path: string, use: (content: BarsContent) => Promise<T>, chunkBytes = CHUNK_BYTES): Promise<T> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused (regular files ignore the flag).
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw fileError(path, `is ${fileKind(st)}, not a regular file (rule: ${BARS_FILE_RULE})`);
    const raw = await peek(fileChunks(fh, chunkBytes), 2);
    try {
      if (raw.head.length === 0) throw fileError(path, `is empty (rule: ${BARS_FILE_RULE})`);
      const gzip = raw.head[0] === 0x1f && raw.head[1] === 0x8b;
      const data = await peek(gzip ? gunzipped(path, raw.all, chunkBytes) : raw.all, SNIFF_BYTES);
      try {
        if (data.head.length === 0) throw fileError(path, `is empty once decompressed (rule: ${BARS_FILE_RULE})`);
        if (isArrow(data.head)) return await use({ kind: "arrow", bytes: await collect(data.all) });
        const why = notText(data.head);
        if (why !== null) throw fileError(path, `is not CSV text: ${why} (rule: ${BARS_FILE_RULE})`);
        // A first pass counts the rows, so the bars fill arrays of their final size (no growing, no copy at the end).
        const lines = await countLines(gzip ? gunzipped(path, fileChunks(fh, chunkBytes), chunkBytes) : fileChunks(fh, chunkBytes));
        return await use({ kind: "csv", text: decoded(data.all), rows: Math.max(0, lines - 1) });
      } finally {
        await data.close();
      }
    } finally {
      await raw.close();
    }
  } finally {
    await fh.close();
  }
}
