// Too few bars for the figures: arena facts and arena backtest still run, and warn on stderr that the figures are meaningless.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MIN_TRADED_BARS } from "../../experiments/backtest/job.ts";
import { MIN_FACTS_BARS } from "../../experiments/facts.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch } from "./helpers/arena-batch-client.ts";

const TMP = tempDir("arena-tiny-");



/** n one-minute bars with a gentle zigzag, as a CSV file. */
function bars(name: string, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => `${Date.UTC(2023, 2, 1, 0, i)},100,102,98,${100 + (i % 5) / 4},1`);
  const path = join(TMP, name);
  writeFileSync(path, ["timestamp,open,high,low,close,volume", ...rows].join("\n") + "\n");
  return path;
}

// sma-cross with slow 3 warms up on 4 bars.
const SMA = ["--strategy", "sma-cross", "--params", '{"fast":2,"slow":3,"timeframe":"1m"}'];
const need = 4 + MIN_TRADED_BARS;
const two = bars("two.csv", 2);
const factsShort = bars("facts-short.csv", MIN_FACTS_BARS - 1);
const factsEnough = bars("facts-enough.csv", MIN_FACTS_BARS);
const btShort = bars("bt-short.csv", need - 1);
const btEnough = bars("bt-enough.csv", need);
const results = arenaBatch([
  ["facts", two, "--json"],
  ["facts", factsShort],
  ["facts", factsEnough],
  ["backtest", "--data", two, ...SMA, "--out", join(TMP, "bt-two")],
  ["backtest", "--data", btShort, ...SMA, "--out", join(TMP, "bt-short")],
  ["backtest", "--data", btEnough, ...SMA, "--out", join(TMP, "bt-enough")],
]);

test("arena facts warns when the bars are too few for the facts, and still prints them", async () => {
  const [r2, short, enough] = await results;
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(JSON.parse(r2.stdout).bars, 2);
  assert.equal(r2.stderr, `arena: warning: ${two} holds 2 bars, fewer than the 241 the facts need (4 windows of 60-bar returns): the figures are meaningless\n`);
  assert.equal(short.code, 0, short.stderr);
  assert.match(short.stderr, new RegExp(`^arena: warning: .*facts-short.csv holds ${MIN_FACTS_BARS - 1} bars, fewer than the ${MIN_FACTS_BARS}`));
  assert.equal(enough.code, 0, enough.stderr);
  assert.equal(enough.stderr, "", "enough bars: no warning");
});

test("arena backtest warns when the data are too few for the strategy's warm-up and some trading, and still runs", async () => {
  const [, , , r2, short, enough] = await results;
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stdout, /trades 0/);
  assert.equal(r2.stderr, `arena: warning: ${two} gives 2 1m bars, fewer than the ${need} a backtest of sma-cross needs (4 to warm up, ${MIN_TRADED_BARS} to trade): the figures are meaningless\n`);
  assert.equal(short.code, 0, short.stderr);
  assert.match(short.stderr, new RegExp(`^arena: warning: .*bt-short.csv gives ${need - 1} 1m bars, fewer than the ${need}`));
  assert.equal(enough.code, 0, enough.stderr);
  assert.equal(enough.stderr, "", "enough bars: no warning");
});
