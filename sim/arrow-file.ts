// Streams an Arrow IPC file to disk one record batch at a time.
import { open, type FileHandle } from "node:fs/promises";
import { AsyncByteQueue, RecordBatchFileWriter } from "apache-arrow";
import { BatchMemory, recordBatches, type ColumnSpec, type RowSource } from "./arrow-columns.ts";

/**
 * Writes the rows of `rows` to `path` as an Arrow IPC file, the same bytes as
 * `arrowFileBytes`, without ever holding the whole file: each batch is encoded and written
 * before the next is built in the same memory. A long run's orders table would not fit twice
 * in memory (once as batches, once joined into one buffer).
 * @throws Error from the file system (the path's directory missing, disk full); the file may
 * then be partly written.
 */
export async function writeArrowFile(path: string, columns: readonly ColumnSpec[], metadata: Map<string, string>, rows: RowSource): Promise<void> {
  const sink = new ChunkSink();
  // Per call, not per module: two files written at once on one thread must not share it.
  const staging = new Uint8Array(STAGING_BYTES);
  // The next batch is built in the arrays of the one just written.
  const mem = new BatchMemory();
  const writer = new RecordBatchFileWriter();
  writer.reset(sink);
  const file = await open(path, "w");
  try {
    for (const batch of recordBatches(columns, metadata, rows, mem)) {
      writer.write(batch);
      await writeAll(file, sink.take(), staging);
      mem.reclaim();
    }
    writer.finish();
    await writeAll(file, sink.take(), staging);
  } finally {
    await file.close();
  }
}

/**
 * The writer's output queue, taken synchronously: the writer pushes each encoded piece here
 * (views of the batch's own buffers, not copies), and the caller takes them after each batch.
 */
class ChunkSink extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }

  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}

/**
 * Chunks at least this long are written as they are; shorter ones (headers, padding,
 * validity bitmaps) are gathered into a staging buffer of `STAGING_BYTES` first, so the
 * file gets a few large writes rather than thousands of small ones. Plain writes, not
 * writev: a writev of several large buffers costs this VM's kernel more than the same bytes
 * in single writes.
 */
const DIRECT_BYTES = 256 << 10;
const STAGING_BYTES = 1 << 20;

async function writeAll(file: FileHandle, chunks: Uint8Array[], staging: Uint8Array): Promise<void> {
  let n = 0;
  for (const c of chunks) {
    if (c.byteLength >= DIRECT_BYTES || n + c.byteLength > staging.length) {
      if (n > 0) await writeFully(file, staging, n);
      n = 0;
    }
    if (c.byteLength >= DIRECT_BYTES) await writeFully(file, c, c.byteLength);
    else {
      staging.set(c, n);
      n += c.byteLength;
    }
  }
  if (n > 0) await writeFully(file, staging, n);
}

async function writeFully(file: FileHandle, bytes: Uint8Array, length: number): Promise<void> {
  for (let done = 0; done < length; ) {
    const { bytesWritten } = await file.write(bytes, done, length - done);
    if (bytesWritten <= 0) throw new Error(`writeArrowFile: the file system took ${bytesWritten} bytes of ${length - done}`);
    done += bytesWritten;
  }
}
