// arena train ppo --memory: trains with the memory features, records the memory in policy.json; the policy refuses to run without it; a bad folder exits 2 writing nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { writeRealMemory } from "../helpers/memory-folder.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const TMP = tempDir("arena-train-memory-");
const BARS = "test/fixtures/sma-cross-15.csv";
// normal, starting after the memory's data (2023-03-01), so all of it is known by the first decision.
const LATE = join(TMP, "late.json");
writeFileSync(LATE, JSON.stringify({ ...(BUILTIN_SPECS.normal as object), name: "late", epoch: "2023-03-05T00:00:00Z" }));
const NOT_MEMORY = join(TMP, "not-memory");
mkdirSync(NOT_MEMORY);
const TRAINED = join(TMP, "trained");
const NEVER = join(TMP, "never");

const results = (async () => {
  const mem = await writeRealMemory(TMP, "mem");
  const other = await writeRealMemory(TMP, "other", { horizonBars: 30 });
  const policy = join(TRAINED, "policy.json");
  const refusals: [string[], RegExp][] = [
    [["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy }), "--out", NEVER], /--params: params\.memory: undefined is invalid: policy .*policy\.json was trained with a market memory \(digest [0-9a-f]{12}…, 1200 states from real-slice\) and needs that folder as "memory"/],
    [["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy, memory: other }), "--out", NEVER], /params\.memory: .*other is another memory \(digest [0-9a-f]{12}…\) than policy .* was trained with/],
    [["eval", "market", "--policy", TRAINED, "--scenario", LATE, "--seeds", "1", "--duration", "5m"], /--memory: policy .* was trained with a market memory .* and needs that folder as "memory"/],
    [["suite", "--scenarios", "normal", "--seeds", "1", "--policy", TRAINED, "--out", NEVER], /--policy: .*params\.memory: .*policy .* was trained with a market memory/],
    [["train", "ppo", "--scenario", LATE, "--memory", NOT_MEMORY, "--steps", "4000", "--out", NEVER], /--memory: .*not-memory.memory\.json: is missing: not a memory folder \(make one with arena memory build\); nothing was written/],
    [["train", "ppo", "--env", "cartpole", "--memory", mem, "--steps", "4000", "--out", NEVER], /--memory: .* with --env "cartpole": the memory features belong to market scenarios; give --scenario/],
  ];
  const runs = await arenaBatch([
    ["train", "ppo", "--scenario", LATE, "--memory", mem, "--steps", "4000", "--seed", "3", "--out", TRAINED],
    ["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy, memory: mem }), "--out", join(TMP, "backtest")],
    ...refusals.map(([args]) => args),
  ]);
  return { runs, refusals, mem };
})();

test("train ppo --scenario --memory runs end to end; policy.json and checkpoint.json record the memory; the policy runs as a bot given the folder", async () => {
  const { runs: [train, backtest], mem } = await results;
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stderr, /memory .*mem: 1200 states \(real-slice\); 1200 of them have outcomes known by the first decision \(2023-03-05T04:02Z/);
  const p = JSON.parse(readFileSync(join(TRAINED, "policy.json"), "utf8"));
  assert.equal(p.market.observationVersion, 1, "the memory fills reserved slots: the layout's version is unchanged");
  assert.deepEqual(Object.keys(p.market.memory), ["digest", "points", "horizonBars", "sources"]);
  assert.match(p.market.memory.digest, /^[0-9a-f]{64}$/);
  assert.equal(p.market.memory.points, 1200);
  const c = JSON.parse(readFileSync(join(TRAINED, "checkpoint.json"), "utf8"));
  assert.deepEqual(c.memory, { dir: mem, digest: p.market.memory.digest });
  // The normaliser saw the memory slots move: the features were there while it trained.
  assert.ok(p.normalizer.var.slice(47).some((v: number) => v > 0), `memory slots' variance ${p.normalizer.var.slice(47).join(", ")}`);
  assert.equal(backtest.code, 0, backtest.stderr);
});

test("the policy without its memory, or with another, is refused naming the field; a bad --memory exits 2 and writes nothing", async () => {
  const { runs, refusals } = await results;
  assertRefused(runs.slice(2), refusals);
  assert.equal(existsSync(NEVER), false);
});
