// writeAtomic: the new file whole or the old one, and no temporary file left behind.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeAtomic } from "../../sim/atomic-write.ts";

test("writeAtomic replaces a file's content and leaves nothing beside it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "atomic-"));
  try {
    const path = join(dir, "a.json");
    await writeFile(path, "old\n");
    await writeAtomic(path, "new\n");
    assert.equal(await readFile(path, "utf8"), "new\n");
    await writeAtomic(path, new TextEncoder().encode("bytes\n"));
    assert.equal(await readFile(path, "utf8"), "bytes\n");
    assert.deepEqual(await readdir(dir), ["a.json"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("writeAtomic that cannot rename keeps the old target and removes its temporary file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "atomic-"));
  try {
    // A folder in the target's place: the rename fails after the temporary file was written.
    const path = join(dir, "target");
    await mkdir(path);
    await writeFile(join(path, "inside"), "kept\n");
    await assert.rejects(writeAtomic(path, "new\n"));
    assert.deepEqual((await readdir(dir)).sort(), ["target"]);
    assert.equal(await readFile(join(path, "inside"), "utf8"), "kept\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
