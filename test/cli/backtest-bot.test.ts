// `arena backtest --bot NAME`: a registered bot on recorded bars, the same output files as a strategy backtest; bad --bot command lines exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromIPC } from "apache-arrow";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURE = join(ROOT, "test/fixtures/sma-cross-15.csv");
const TMP = mkdtempSync(join(tmpdir(), "arena-backtest-bot-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));



const NEVER = join(TMP, "never");
const SMA_BOT = ["--bot", "strategy", "--params", '{"strategy":"sma-cross","params":{"fast":2,"slow":3}}'];

/** Bad command lines and the one message each must give. */
const REFUSALS: [string[], RegExp][] = [
  [["--data", FIXTURE], /backtest: give --strategy NAME or --bot NAME \(neither was given\)/],
  [["--data", FIXTURE, "--strategy", "sma-cross", "--bot", "ema-cross"], /backtest: give --strategy or --bot, not both \(--strategy "sma-cross", --bot "ema-cross"\)/],
  [["--data", FIXTURE, "--bot", "martingale"], /--bot: "martingale" is not a registered bot \(known: buy-and-hold, ema-cross, strategy, policy\)/],
  [["--data", FIXTURE, "--bot", "ema-cross", "--params", '{"fast":30,"slow":5}'], /--params: params.fast: 30 is invalid: fast must be shorter than slow/],
  [["--data", FIXTURE, "--bot", "ema-cross", "--params", '{"speed":1}'], /--params: params: \{"speed":1\} is invalid: Unrecognized key: "speed"/],
  [["--data", FIXTURE, "--bot", "strategy", "--params", '{"strategy":"martingale"}'], /--params: params.strategy: "martingale" is invalid: must be one of sma-cross/],
  [["--data", FIXTURE, "--bot", "ema-cross", "--params", "{fast:2}"], /--params: "\{fast:2\}" is not JSON/],
  [["--data", FIXTURE, "--bot", "ema-cross", "--walk-forward", "5,5,5"], /--walk-forward: applies to --strategy only/],
  [["--data", FIXTURE, "--bot", "ema-cross", "--risk", "off"], /--risk: applies to --strategy only/],
  [["--data", `${FIXTURE},${FIXTURE}`, "--bot", "ema-cross"], /--data: a bot trades one symbol; give one file \(got 2\)/],
  [["--bot", "ema-cross"], /--data: no data file given/],
];

const RUNS: string[][] = [
  ["backtest", "--data", FIXTURE, ...SMA_BOT, "--out", join(TMP, "bot")],
  ["backtest", "--data", FIXTURE, "--strategy", "sma-cross", "--params", '{"fast":2,"slow":3,"timeframe":"1m"}', "--out", join(TMP, "strategy")],
  ...REFUSALS.map(([args]) => ["backtest", ...args, "--out", NEVER]),
];
const FIRST_REFUSAL = 2;
const results = arenaBatch(RUNS);

test("--bot strategy runs the strategy bot on the bars: the strategy backtest's files, built from the replay's fills, entries where the strategy's are", async () => {
  const [r, s] = await results;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^backtest bot strategy \{"strategy":"sma-cross","params":\{"fast":2,"slow":3\},"risk":\{\},"feed":"1m"\} \(1m, commission 0.001, slippage 0.0005\): sma-cross-15 15 bars → 15 1m bars, 14 wake-ups\n/);
  assert.match(r.stdout, /trades 2 /);
  const out = join(TMP, "bot");
  for (const f of ["summary.json", "trades.arrow", "equity.arrow", "report.html"]) assert.ok(existsSync(join(out, f)), f);
  const sum = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.deepEqual(Object.keys(sum), ["generator", "bot", "params", "data", "timeframe", "bars", "commission", "slippage", "cash", "seed", "metrics", "finalEquity", "wakes", "refused", "trades", "riskEvents", "log"]);
  assert.deepEqual([sum.bot, sum.timeframe, sum.bars, sum.wakes, sum.refused], ["strategy", "1m", 15, 14, 0]);
  assert.ok(sum.riskEvents.length > 0, "the strategy bot's risk manager's events are reported");
  const strat = JSON.parse(readFileSync(join(TMP, "strategy", "summary.json"), "utf8"));
  assert.equal(s.code, 0, s.stderr);
  const entries = (x: { trades: { entryTime: string; entryPrice: number }[] }) => x.trades.map((t) => [t.entryTime, Number(t.entryPrice.toPrecision(12))]);
  assert.deepEqual(entries(sum), entries(strat));
  const trades = tableFromIPC(readFileSync(join(out, "trades.arrow")));
  assert.equal(trades.numRows, 2);
  const equity = tableFromIPC(readFileSync(join(out, "equity.arrow")));
  assert.equal(equity.numRows, 15);
  assert.ok(Math.abs(Number(equity.getChild("equity")!.get(14)) - sum.finalEquity) < 1e-9, "the curve ends at the final equity");
  assert.match(readFileSync(join(out, "report.html"), "utf8"), /bot strategy on sma-cross-15/);
});

test("bad --bot command lines exit 2 with one message naming the flag and the value, writing nothing", async () => {
  const all = await results;
  assertRefused(all.slice(FIRST_REFUSAL), REFUSALS);
  assert.equal(existsSync(NEVER), false, "nothing was written");
});
