// The Qdrant store: the conformance suite against the server in QDRANT_URL (skipped, and saying so, without it); an unreachable server is refused by name.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { VectorStoreError } from "../../../agents/memory/vector-store.ts";
import { QdrantStore } from "../../../live/memory/qdrant-store.ts";
import { DIM, vectorStoreConformance } from "../../agents/memory/vector-store-conformance.ts";

const url = process.env.QDRANT_URL;
if (url !== undefined && url !== "") {
  let n = 0;
  vectorStoreConformance("qdrant", {
    make: async () => {
      const collection = `arena_conformance_${process.pid}_${n++}`;
      return QdrantStore.open({ url, collection, dimension: DIM, apiKey: process.env.QDRANT_API_KEY, fresh: true });
    },
  });
} else {
  test("qdrant: conformance suite SKIPPED: QDRANT_URL is not set (e.g. QDRANT_URL=http://localhost:6333 npm test)", { skip: "QDRANT_URL is not set: no Qdrant server to run the VectorStore conformance suite against" }, () => {});
}

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test("qdrant: an unreachable server is refused as unreachable, naming the URL, with no fallback", async () => {
  const u = `http://127.0.0.1:${await closedPort()}`;
  await assert.rejects(QdrantStore.open({ url: u, collection: "x", dimension: DIM, timeoutSec: 5 }), (e: unknown) => {
    assert.ok(e instanceof VectorStoreError, String(e));
    assert.equal(e.code, "unreachable");
    assert.ok(e.message.includes(u), e.message);
    assert.match(e.message, /no fallback/);
    return true;
  });
});

test("qdrant: a QDRANT_URL that is not a URL is refused by name", async () => {
  await assert.rejects(QdrantStore.open({ url: "localhost 6333", collection: "x", dimension: DIM }), /QDRANT_URL: "localhost 6333" is not a URL/);
});
