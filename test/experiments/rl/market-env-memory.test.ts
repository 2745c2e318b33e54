// MarketEnv with a market memory: features 47-50 are what MarketMemory.query says at the decision time (no outcome from after it), and nothing else changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { F } from "../../../agents/features/market-state.ts";
import { type MemoryReader, storeReader } from "../../../agents/features/memory-features.ts";
import type { MemoryAssessment } from "../../../agents/memory/assessment.ts";
import { openMemoryFolder } from "../../../agents/memory/memory-folder.ts";
import { MarketEnv, MEMORY_WARMUP_SEC } from "../../../experiments/rl/envs/market.ts";
import { builtinSpec } from "../../../scenarios/builtins.ts";
import { writeRealMemory } from "../../helpers/memory-folder.ts";
import { tempDir } from "../../helpers/temp-dir.ts";

// The memory holds 2023-03-01 04:00..23:59 (outcomes 60 minutes later); the episode decides from 14:02 on,
// so about half of the memory's outcomes are still in the future and must stay unseen.
const spec = { ...builtinSpec("normal"), epochMs: Date.parse("2023-03-01T10:00:00Z") };
const STEPS = 200;

test("with a memory, features 47-50 are risk, confidence, anomaly and best similarity of MarketMemory.query at the decision time; the rest is as without", async () => {
  const opened = await openMemoryFolder(await writeRealMemory(tempDir("arena-env-memory-"), "m"));
  const base = storeReader(opened.store, opened.meta.lossScale);
  const calls: { v: Float32Array; at: number; a: MemoryAssessment }[] = [];
  const spy: MemoryReader = { ask: (v, at) => {
    const a = base.ask(v, at);
    calls.push({ v: Float32Array.from(v), at, a });
    return a;
  } };
  const env = new MarketEnv(spec, { episodeSteps: STEPS }, spy);
  const plain = new MarketEnv(spec, { episodeSteps: STEPS, warmupSec: MEMORY_WARMUP_SEC });
  assert.equal(env.options.warmupSec, MEMORY_WARMUP_SEC, "with a memory the warm-up defaults to the embedding's 241 candles and a minute");
  const t0 = env.firstDecisionMs;
  const obs = [Float32Array.from(env.reset({ seed: 4 }).obs)];
  const plainObs = [Float32Array.from(plain.reset({ seed: 4 }).obs)];
  assert.equal(calls.length, 1, "the first decision already has the memory's answer");
  const askedAt = [0];
  for (let i = 1; i <= STEPS; i++) {
    const before = calls.length;
    obs.push(Float32Array.from(env.step(0).obs));
    plainObs.push(Float32Array.from(plain.step(0).obs));
    if (calls.length > before) askedAt.push(i);
  }
  assert.ok(calls.length >= 3, `asked once per new candle: ${calls.length} times in ${STEPS} s`);
  let hidden = 0;
  for (let c = 0; c < calls.length; c++) {
    const { v, at, a } = calls[c];
    const step = askedAt[c];
    assert.equal(at, t0 + step * 1000, "asked at the decision's time");
    const q = await opened.memory.query(v, { at });
    assert.deepEqual([a.risk, a.confidence, a.anomaly, a.bestSimilarity], [q.risk, q.confidence, q.anomaly, q.bestSimilarity]);
    for (const h of q.hits) assert.ok((h.payload.end as number) <= at, `hit ${h.id} ends at ${h.payload.end}, after ${at}`);
    // The slots hold this answer until the next candle's.
    for (let i = step; i < (askedAt[c + 1] ?? STEPS + 1); i++) {
      const o = obs[i];
      assert.deepEqual([o[F.MEM_RISK], o[F.MEM_CONFIDENCE], o[F.MEM_ANOMALY], o[F.MEM_SIMILARITY]], [Math.fround(q.risk), Math.fround(q.confidence), q.anomaly ? 1 : 0, Math.fround(q.bestSimilarity)], `step ${i}`);
    }
    const all = await opened.memory.query(v);
    if (all.hits.some((h) => (h.payload.end as number) > at)) hidden++;
  }
  assert.ok(hidden > 0, "the memory holds near neighbours from after the decision, which the features must not see");
  assert.ok(obs.some((o) => o[F.MEM_SIMILARITY] > 0.3), "the answers are real similarities");
  for (let i = 0; i <= STEPS; i++) {
    assert.deepEqual([...plainObs[i].subarray(F.MEM_RISK)], [0, 0, 0, 0], "without a memory the slots read 0");
    assert.deepEqual(obs[i].subarray(0, F.MEM_RISK), plainObs[i].subarray(0, F.MEM_RISK), `step ${i}: the other features do not depend on the memory`);
  }
});
