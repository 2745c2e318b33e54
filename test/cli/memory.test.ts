// `arena memory build` and `query` end to end on real bars: the memory folder, no look-ahead, and one clear refusal (exit 2) that overwrites nothing.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const REAL = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";
const TMP = tempDir("arena-memory-");
/** The first 1,500 minutes of the real file: 1,200 states with a 60-bar outcome. */
const SLICE = join(TMP, "slice.csv");
writeFileSync(SLICE, gunzipSync(readFileSync(REAL)).toString("utf8").split("\n").slice(0, 1501).join("\n") + "\n");
const AT = "2023-03-01T20:00Z";

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test("memory build writes a memory folder; query prints the contracted JSON and never sees an outcome after --at", async () => {
  const out = join(TMP, "m");
  const [build, json, text] = await arenaBatch([
    ["memory", "build", "--data", SLICE, "--out", out],
    ["memory", "query", "--memory", out, "--at", AT, "--data", SLICE, "--json"],
    ["memory", "query", "--memory", out, "--at", AT, "--data", SLICE],
  ]);
  assert.equal(build.code, 0, build.stderr);
  assert.match(build.stdout, /memory: 1200 states from/);
  for (const f of ["memory.json", "store/manifest.json", "store/points.json", "store/vectors.f32"]) assert.ok(existsSync(join(out, f)), f);
  assert.equal(json.code, 0, json.stderr);
  const j = JSON.parse(json.stdout);
  for (const key of ["at", "regime", "neighbours", "bestSimilarity", "meanSimilarity", "anomaly", "risk", "confidence", "outcomes", "bestStrategy", "hits"]) assert.ok(key in j, key);
  assert.equal(j.at, Date.parse(AT));
  assert.equal(j.neighbours, 20);
  assert.equal(typeof j.anomaly, "boolean");
  assert.equal(j.anomaly, j.bestSimilarity < 0.7);
  assert.ok(j.risk >= 0 && j.risk <= 1 && j.confidence >= 0 && j.confidence <= 1);
  for (const h of j.hits) assert.ok(h.end <= j.at, `hit ${h.id} ends at ${h.end}, after ${j.at}`);
  assert.deepEqual(j.hits.map((h: { score: number }) => h.score), [...j.hits.map((h: { score: number }) => h.score)].sort((a: number, b: number) => b - a));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /risk +\d\.\d{3} +confidence \d\.\d{3}/);
  assert.match(text.stdout, /anomaly +(YES|no)/);
});

test("bad input: one clear message, exit 2, and the memory folder left as it was", async () => {
  const good = join(TMP, "good");
  const damaged = join(TMP, "damaged");
  const wrongDim = join(TMP, "wrong-dim");
  const port = await closedPort();
  const setup = await arenaBatch([
    ["memory", "build", "--data", SLICE, "--out", good],
    ["memory", "build", "--data", SLICE, "--out", damaged],
    ["memory", "build", "--data", SLICE, "--out", wrongDim],
  ]);
  setup.forEach((r) => assert.equal(r.code, 0, r.stderr));
  const vectors = join(damaged, "store", "vectors.f32");
  const bytes = readFileSync(vectors);
  bytes[1000] ^= 0x55;
  writeFileSync(vectors, bytes);
  const metaFile = join(wrongDim, "memory.json");
  writeFileSync(metaFile, readFileSync(metaFile, "utf8").replace('"dimension": 128', '"dimension": 64'));
  const before = readFileSync(join(good, "store", "vectors.f32"));
  const cases: [string[], RegExp][] = [
    [["memory", "build", "--out", join(TMP, "x")], /give --data FILE or --run DIR, exactly one \(got neither\)/],
    [["memory", "build", "--data", SLICE, "--run", TMP, "--out", join(TMP, "x")], /exactly one \(got both\)/],
    [["memory", "build", "--data", SLICE, "--horizon", "2000", "--out", join(TMP, "x")], /holds 1500 bars; a memory needs at least 241 \(warm-up\) \+ 2000/],
    [["memory", "build", "--data", SLICE, "--out", good, "--qdrant", `http://127.0.0.1:${port}`], new RegExp(`--qdrant: Qdrant at http://127.0.0.1:${port} is unreachable`)],
    [["memory", "query", "--memory", damaged, "--at", AT, "--data", SLICE], /--memory: snapshot .*vectors\.f32: sha256 does not match the manifest/],
    [["memory", "query", "--memory", wrongDim, "--at", AT, "--data", SLICE], /--memory: .*memory\.json: dimension/],
    [["memory", "query", "--memory", TMP, "--at", AT, "--data", SLICE], /memory\.json: is missing: not a memory folder/],
    [["memory", "query", "--memory", good, "--at", "2023-03-01T01:00Z", "--data", SLICE], /--at: 2023-03-01T01:00:00.000Z has 61 bars .* the embedding needs 241/],
    [["memory", "query", "--memory", good, "--at", "yesterday", "--data", SLICE], /--at: "yesterday" is not a time/],
  ];
  assertRefused(await arenaBatch(cases.map(([a]) => a)), cases);
  assert.deepEqual(readFileSync(join(good, "store", "vectors.f32")), before);
  assert.ok(!existsSync(join(TMP, "x")));
});
