// memory-rsi: built from a memory folder (shared, opened once), refused with one error naming params.memory when the folder is missing, damaged or of another dimension; runs as the strategy bot.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { StrategyBot, StrategyBotParams } from "../../../agents/bots/strategy-bot.ts";
import { MemoryFiltered } from "../../../agents/memory/memory-filter.ts";
import { openMemorySync } from "../../../agents/memory/opened-memories.ts";
import { createStrategy } from "../../../agents/strategies/registry.ts";
import { makeMemoryFolder } from "../memory/memory-fixture.ts";
import { randomBars, signals } from "./bars.ts";
import { refusal } from "./refusal.ts";

const DIR = await makeMemoryFolder();

/** A copy of the good folder, changed by `edit`. */
async function damaged(edit: (dir: string) => void): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), "arena-memory-bad-")), "mem");
  await cp(DIR, dir, { recursive: true });
  edit(dir);
  return dir;
}

test("memory-rsi: RSI(14) < 40 behind the memory filter, RSI > 60 out; the folder opened once and shared", () => {
  const s = createStrategy("memory-rsi", { memory: DIR });
  assert.ok(s instanceof MemoryFiltered);
  assert.equal(s.name, "memory-rsi");
  assert.equal(s.startupBars, 241);
  assert.deepEqual(s.exits, { stoploss: -0.05, roi: [[0, 0.1]], trailing: null });
  assert.equal(openMemorySync(DIR).store, openMemorySync(DIR).store, "one store per folder");
  const sigs = signals(s, randomBars(9, 600, 0.015));
  assert.ok(sigs.includes("exit"));
  assert.ok(sigs.every((x) => x === "hold" || x === "exit" || x === "enter"));
});

test("a missing, damaged or foreign memory folder is refused as params.memory, naming the value and the file", async () => {
  let e = refusal(() => createStrategy("memory-rsi", { memory: `${DIR}-nope` }));
  assert.equal(e.field, "params.memory");
  assert.match(e.message, /^params\.memory: ".*-nope" is invalid: not a usable memory folder: .*memory\.json: is missing/);

  const corrupt = await damaged((d) => writeFileSync(join(d, "store", "vectors.f32"), Buffer.alloc(readFileSync(join(d, "store", "vectors.f32")).length)));
  e = refusal(() => createStrategy("memory-rsi", { memory: corrupt }));
  assert.equal(e.field, "params.memory");
  assert.match(e.message, /vectors\.f32: sha256 does not match/);

  const foreign = await damaged((d) => {
    const m = JSON.parse(readFileSync(join(d, "memory.json"), "utf8"));
    writeFileSync(join(d, "memory.json"), JSON.stringify({ ...m, dimension: 64 }));
  });
  e = refusal(() => createStrategy("memory-rsi", { memory: foreign }));
  assert.equal(e.field, "params.memory");
  assert.match(e.message, /memory\.json: dimension/);

  e = refusal(() => createStrategy("memory-rsi", { memory: DIR, entryBelow: 70 }));
  assert.equal(e.field, "params.entryBelow");
});

test("the strategy bot runs memory-rsi from scenario or trade params; a bad folder names params.memory", () => {
  const bot = new StrategyBot(StrategyBotParams.parse({ strategy: "memory-rsi", params: { memory: DIR } }));
  assert.equal(bot.strategy.name, "memory-rsi");
  assert.equal(bot.strategy.timeframe, "1m");
  assert.throws(() => new StrategyBot(StrategyBotParams.parse({ strategy: "memory-rsi", params: { memory: "no/such/dir" } })), /params\.memory: "no\/such\/dir" is invalid/);
});
