// `arena backtest` end to end: sma-cross trades pinned on a hand-checked file, the output files, and refusals with exit code 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromIPC } from "apache-arrow";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURE = join(ROOT, "test/fixtures/sma-cross-15.csv");
const TMP = mkdtempSync(join(tmpdir(), "arena-backtest-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));



const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} is not ${b}`);

const REAL = join(ROOT, "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz");
const OTHER = join(TMP, "other-pair.csv");
writeFileSync(OTHER, readFileSync(FIXTURE, "utf8"));
const BAD = join(TMP, "bad.csv");
writeFileSync(BAD, "timestamp,open,high,low,close,volume\n2023-03-01T00:00:00Z,10,11,9,10,1\n2023-03-01T00:01:00Z,10,11,9,abc,1\n");
const HOURLY = join(TMP, "hourly.csv");
writeFileSync(HOURLY, "timestamp,open,high,low,close,volume\n2023-03-01T00:00:00Z,10,11,9,10,1\n2023-03-01T01:00:00Z,10,11,9,10,1\n2023-03-01T02:00:00Z,10,11,9,10,1\n");
const GAPPY = join(TMP, "gappy.csv");
writeFileSync(GAPPY, readFileSync(FIXTURE, "utf8").split("\n").filter((_, i) => i !== 5 && i !== 6).join("\n"));
const SMA = ["--strategy", "sma-cross", "--params", '{"fast":2,"slow":3,"timeframe":"1m"}'];
const base = ["--data", FIXTURE, "--strategy", "sma-cross"];
const NEVER = join(TMP, "never");
// The take-profit and trailing stop switched off from a file: the -3% stop-loss is left to act.
const STOP_ONLY = join(TMP, "stop-only.json");
writeFileSync(STOP_ONLY, '{"roiPct":null,"trailingStopPct":null}');

/** Bad command lines and the one message each must give. */
const REFUSALS: [string[], RegExp][] = [
  [["--data", FIXTURE, "--strategy", "nope"], /--strategy: strategy: "nope" is invalid: unknown strategy; known: sma-cross/],
  [[...base, "--params", "{fast:2}"], /--params: "\{fast:2\}" is not JSON/],
  [[...base, "--params", "[1]"], /--params: "\[1\]" is not a JSON object/],
  [[...base, "--params", '{"fast":5,"slow":3}'], /--params: params.fast: 5 is invalid: fast must be shorter than slow/],
  [[...base, "--commission", "2"], /--commission: "2" is not a fraction/],
  [[...base, "--slippage", "-0.1"], /--slippage: "-0.1" is not a fraction/],
  [[...base, "--cash", "abc"], /--cash: "abc" is not a positive amount/],
  [[...base, "--risk", "maybe"], /--risk: "maybe" is not "on" or "off"/],
  [["--data", join(TMP, "missing.csv"), "--strategy", "sma-cross"], /--data: ".*missing.csv" does not exist/],
  [["--data", BAD, "--strategy", "sma-cross", "--params", '{"timeframe":"1m"}'], /--data: .*bad.csv: 1 problem, no bars loaded:\n\s+row 2, column close: "abc" is not a number/],
  [["--data", HOURLY, "--strategy", "sma-cross", "--params", '{"timeframe":"15m"}'], /--data: ".*hourly.csv" has bars 60 min apart, coarser than the strategy's timeframe 15m/],
  [[...base, "--params", '{"timeframe":"1m"}', "--walk-forward", "10,10"], /--walk-forward: "10,10" must be three parts/],
  [[...base, "--params", '{"timeframe":"1m"}', "--walk-forward", "10,10,10"], /--walk-forward: train 10 \+ test 10 bars do not fit in the 15 bars of data/],
  [["--strategy", "sma-cross"], /--data: no data file given/],
  [[...base, "--timeframe", "7x"], /--timeframe: "7x" is not one of 1m, 5m, 15m, 1h, 4h, 1d/],
  [[...base, "--walk-forward", "5,5,5", "--search", "best"], /--search: "best" is not "grid" or "random:N"/],
  [[...base, "--risk-config", '{"stopLossPct":2}'], /--risk-config: risk.stopLossPct: 2 is invalid: must be a fraction in \(0, 1\)/],
  [[...base, "--risk-config", '{"stopLoss":0.05}'], /--risk-config: risk.stopLoss: 0.05 is invalid: unknown rule/],
  [[...base, "--risk-config", '{"stopLossPct":'], /--risk-config: "\{\\"stopLossPct\\":" is not JSON/],
  [[...base, "--risk-config", join(TMP, "missing.json")], /--risk-config: ".*missing.json" is neither a JSON object such as \{"stopLossPct":null\} nor a file that exists/],
  [[...base, "--risk", "off", "--risk-config", '{"stopLossPct":0.05}'], /--risk-config: cannot be combined with --risk off/],
];

/** Every command line of this file, run in one child process as soon as the file loads. */
const RUNS: string[][] = [
  ["backtest", "--data", FIXTURE, ...SMA, "--commission", "0.001", "--slippage", "0", "--risk", "off", "--out", join(TMP, "sma")],
  ["backtest", "--data", REAL, "--strategy", "ensemble", "--risk", "on", "--timeframe", "1h", "--out", join(TMP, "ens")],
  ["backtest", "--data", `${FIXTURE},${OTHER}`, ...SMA, "--risk", "off", "--out", join(TMP, "two")],
  ["backtest", "--data", REAL, "--strategy", "sma-cross", "--walk-forward", "7d,2d,2d", "--search", "random:6", "--seed", "3", "--workers", "1", "--pbo-blocks", "8", "--out", join(TMP, "wf")],
  ["backtest", "--data", GAPPY, ...SMA, "--out", join(TMP, "gappy")],
  ["backtest", "--data", FIXTURE, ...SMA, "--out", join(TMP, "risk-default")],
  ["backtest", "--data", FIXTURE, ...SMA, "--risk-config", STOP_ONLY, "--out", join(TMP, "risk-stop")],
  ["backtest", "--data", FIXTURE, ...SMA, "--risk-config", '{"roiPct":null,"trailingStopPct":null,"stopLossPct":null}', "--out", join(TMP, "risk-no-exits")],
  ...REFUSALS.map(([args]) => ["backtest", ...args, "--out", NEVER]),
];
const FIRST_REFUSAL = 8;
const results = arenaBatch(RUNS);

test("sma-cross on a hand-checked file: long on the up-cross, flat on the down-cross, both filled at the next open", async () => {
  // Closes 10 10 10 9 8 9 11 12 11 9 8 8 10 12 13. SMA(2) − SMA(3), from bar 2 (the seed, 0):
  // bar 3 −1/6, 4 −1/2, 5 −1/6, 6 +2/3 (up-cross: the last non-zero difference was < 0), 7 +5/6,
  // 8 +1/6, 9 −2/3 (down-cross), 10 −5/6, 11 −1/3, 12 +1/3 (up-cross), 13 +1, 14 +1.
  // Fills: buy at bar 7's open 11.5, sell at bar 10's open 8.5, buy at bar 13's open 11,
  // still long at the end: sold at bar 14's close 13 (end-of-data).
  const out = join(TMP, "sma");
  const r = (await results)[0];
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /trades 2/);
  const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.deepEqual(Object.keys(s), ["generator", "strategy", "params", "data", "timeframe", "bars", "commission", "slippage", "cash", "risk", "riskConfig", "metrics", "finalEquity", "trades", "riskEvents"]);
  assert.equal(s.strategy, "sma-cross");
  assert.deepEqual(s.params, { fast: 2, slow: 3, timeframe: "1m" });
  assert.equal(s.data[0].file, FIXTURE);
  assert.deepEqual([s.bars, s.commission, s.slippage, s.cash, s.risk], [15, 0.001, 0, 10_000, "off"]);
  assert.deepEqual(
    s.trades.map((t: Record<string, unknown>) => [t.entryTime, t.exitTime, t.side, t.entryPrice, t.exitPrice, t.exitReason]),
    [
      ["2023-03-01T00:07:00.000Z", "2023-03-01T00:10:00.000Z", "long", 11.5, 8.5, "signal"],
      ["2023-03-01T00:13:00.000Z", "2023-03-01T00:14:00.000Z", "long", 11, 13, "end-of-data"],
    ],
  );
  // Size 10000 / (11.5 · 1.001); proceeds 868.697 · 8.5 · 0.999 = 7376.537; then 7376.537 / (11 · 1.001) at 13 · 0.999.
  near(s.trades[0].size, 868.6965208704339, "size 1");
  near(s.trades[0].pnl, -2623.46349302871, "pnl 1");
  near(s.trades[0].fees, 17.37393041740868, "fees 1");
  near(s.trades[1].size, 669.924303602878, "size 2");
  near(s.trades[1].pnl, 1323.770423919287, "pnl 2");
  near(s.trades[1].fees, 16.078183286469073, "fees 2");
  near(s.finalEquity, 8700.306930890576, "final equity");
  assert.equal(s.metrics.tradeCount, 2);
  near(s.metrics.winRate, 0.5, "win rate");
  assert.deepEqual(s.riskEvents, []);

  const trades = tableFromIPC(readFileSync(join(out, "trades.arrow")));
  assert.equal(trades.numRows, 2);
  assert.deepEqual(trades.schema.fields.map((f) => f.name), ["pair", "entry_time", "exit_time", "side", "entry_price", "exit_price", "size", "fees", "pnl", "exit_reason"]);
  assert.equal(Number(trades.get(1)!.exit_time), Date.UTC(2023, 2, 1, 0, 14));
  const eq = tableFromIPC(readFileSync(join(out, "equity.arrow")));
  assert.deepEqual(eq.schema.fields.map((f) => f.name), ["time", "equity", "drawdown"]);
  assert.equal(eq.numRows, 15);
  near(eq.getChild("equity")!.get(14), 8700.306930890576, "last equity");
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.match(html, /<title>btc-arena backtest: sma-cross/);
  assert.ok(!/<script[^>]+src=/.test(html), "no external scripts: the page works offline");
});

test("the ensemble with risk on records a regime column and risk settings", async () => {
  const out = join(TMP, "ens");
  const r = (await results)[1];
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(s.risk, "on");
  assert.equal(s.riskConfig.maxPositionPct, 0.1);
  assert.equal(s.timeframe, "1h");
  assert.equal(s.bars, 504);
  const eq = tableFromIPC(readFileSync(join(out, "equity.arrow")));
  assert.deepEqual(eq.schema.fields.map((f) => f.name), ["time", "equity", "drawdown", "regime"]);
  assert.equal(eq.getChild("regime")!.get(0), "warming-up");
  for (const t of s.trades) assert.ok(t.size * t.entryPrice <= 0.1 * 1.01 * s.cash * 1.5, "positions are sized by the risk manager");
});

test("two --data files trade as two pairs sharing the cash; pair names come from the file names", async () => {
  const out = join(TMP, "two");
  const r = (await results)[2];
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.deepEqual(s.data.map((d: { pair: string }) => d.pair), ["sma-cross-15", "other-pair"]);
  // All-in: the first pair takes the cash at each entry, the second finds none.
  assert.deepEqual([...new Set(s.trades.map((t: { pair: string }) => t.pair))], ["sma-cross-15"]);
});

test("--walk-forward reports each window, the robust estimate, DSR, PBO and the seed's targets in summary.json", async () => {
  const r = (await results)[3];
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /walk-forward 7d,2d,2d: 7 windows of train 168 \/ test 48 bars, step 48; search random 6 \(seed 3\)/);
  assert.match(r.stdout, /sharpe\s+> 1.5\s+\S+\s+(PASS|FAIL)/);
  const s = JSON.parse(readFileSync(join(TMP, "wf", "summary.json"), "utf8"));
  const wf = s.walkForward;
  assert.deepEqual(Object.keys(wf), ["spec", "search", "windows", "robust", "targets", "stitched"]);
  assert.equal(wf.windows.length, 7);
  for (const w of wf.windows) {
    assert.equal(w.trials + w.refused, 6);
    assert.ok(w.test.from > w.train.to, "the test part follows the train part");
    assert.ok(w.pbo === null || (w.pbo.pbo >= 0 && w.pbo.pbo <= 1 && w.pbo.blocks === 8));
    assert.ok(w.deflatedSharpe !== null || w.dsrNote !== null);
  }
  assert.deepEqual(wf.targets.map((t: { metric: string; target: string }) => [t.metric, t.target]), [["sharpe", "> 1.5"], ["winRate", "> 55%"], ["maxDrawdown", "< 15%"], ["recoveryDays", "< 7 days"]]);
  // The stitched out-of-sample curve: 7 × 48 bars starting after the first train part.
  assert.equal(s.bars, 7 * 48);
  assert.equal(s.metrics.startTime, Date.UTC(2023, 2, 8));
});

test("gaps in the data are printed as a warning, and the backtest still runs", async () => {
  const r = (await results)[4];
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split("\n");
  assert.match(lines[0], /^arena: warning: data gaps in .*gappy.csv: 1 gap, 2 bars missing: 2 before row 5 \(2023-03-01T00:03Z → 2023-03-01T00:06Z\)$/);
  // 13 bars are also too few to mean anything: that is a warning of its own.
  assert.match(lines[1], /^arena: warning: .*gappy.csv gives 13 1m bars, fewer than/);
  assert.deepEqual(lines.slice(2), [""]);
});

test("bad input exits 2 with one message naming the flag and value, and writes nothing", async () => {
  const all = await results;
  assertRefused(all.slice(FIRST_REFUSAL), REFUSALS);
  assert.equal(existsSync(NEVER), false, "nothing was written");
  assert.deepEqual(readdirSync(TMP).filter((n) => n.startsWith(".never.")), [], "no staging folder or lock is left beside it");
});

test("the risk manager is on unless --risk off is given", async () => {
  const r = (await results)[4];
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(readFileSync(join(TMP, "gappy", "summary.json"), "utf8"));
  assert.equal(s.risk, "on");
});

test("--risk-config re-parameterises the rules over the defaults: each exit switched off lets the next one act", async () => {
  const all = await results;
  const run = (k: number, name: string) => {
    assert.equal(all[k].code, 0, all[k].stderr);
    return JSON.parse(readFileSync(join(TMP, name, "summary.json"), "utf8"));
  };
  const exits = (s: { trades: { exitTime: string; exitReason: string }[] }) => s.trades.map((t) => [t.exitTime.slice(11, 16), t.exitReason]);
  // Defaults: both entries reach +5% inside their entry bar, so the take-profit closes them there.
  const def = run(5, "risk-default");
  assert.deepEqual(exits(def), [["00:07", "roi"], ["00:13", "roi"]]);
  assert.equal(def.riskOverrides, undefined, "no overrides recorded without --risk-config");
  // ROI and trailing stop off (from a file): the first trade falls through the -3% stop on the next bar.
  const stop = run(6, "risk-stop");
  assert.deepEqual(exits(stop), [["00:08", "stop-loss"], ["00:14", "end-of-data"]]);
  assert.deepEqual(stop.riskEvents.filter((e: { action: string }) => e.action === "forced-exit").map((e: { rule: string }) => e.rule), ["stop-loss"]);
  // The resolved rules are written whole, the overrides beside them as given.
  assert.deepEqual(stop.riskConfig, { ...def.riskConfig, roiPct: null, trailingStopPct: null });
  assert.deepEqual(stop.riskOverrides, { roiPct: null, trailingStopPct: null });
  assert.equal(stop.risk, "on");
  assert.match(all[6].stdout, /risk on with --risk-config \{"roiPct":null,"trailingStopPct":null\}/);
  // The stop-loss off too: the first trade is held until the strategy's own exit signal.
  const none = run(7, "risk-no-exits");
  assert.deepEqual(exits(none), [["00:10", "signal"], ["00:14", "end-of-data"]]);
  assert.equal(none.riskConfig.stopLossPct, null);
  assert.equal(none.riskConfig.maxPositionPct, 0.1, "rules not named keep their defaults");
});
