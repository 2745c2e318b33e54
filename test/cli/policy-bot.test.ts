// A trained market policy as bot "policy" in arena run (a scenario file), arena suite --policy, arena backtest --bot policy and arena eval market; bad policies exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMarketPolicy } from "../helpers/market-policy.ts";
import { arenaBatch, assertRefused } from "./helpers/arena-batch-client.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BARS = join(ROOT, "test/fixtures/sma-cross-15.csv");
const TMP = mkdtempSync(join(tmpdir(), "arena-policy-cli-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));
const NEVER = join(TMP, "never");

const POLICY_DIR = join(TMP, "trained");
const POLICY = join(POLICY_DIR, "policy.json");
// Leans to "buy 10%" and "sell 10%", so the bot trades within minutes.
mkdirSync(POLICY_DIR, { recursive: true });
writeMarketPolicy(POLICY, { bias: [0, 3, 0, 0, 3, 0, 0] });
const SMALL = join(TMP, "small.json");
writeMarketPolicy(SMALL, { obsSize: 40 });
const CORRUPT = join(TMP, "corrupt.json");
writeFileSync(CORRUPT, "{ not json");

/** A scenario file: the example's thin market, 10 minutes, with one policy bot. */
function scenarioFile(name: string, policy: string): string {
  const path = join(TMP, `${name}.json`);
  const example = JSON.parse(readFileSync(join(ROOT, "scenarios/examples/quiet-crash.json"), "utf8"));
  writeFileSync(path, JSON.stringify({ ...example, name, duration: "10m", shocks: [], expectedMovePct: undefined, bots: [{ name: "rl", type: "policy", params: { policy } }] }));
  return path;
}

const REFUSALS: [string[], RegExp][] = [
  [["run", scenarioFile("missing", join(TMP, "nope.json")), "--seed", "1", "--out", NEVER], /bots\[0\]\.params\.policy: .*nope.json cannot be read \(ENOENT\)/],
  [["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy: CORRUPT }), "--out", NEVER], /--params: params.policy: .*corrupt.json is corrupt: not valid JSON/],
  [["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy: SMALL }), "--out", NEVER], /--params: params.policy: .*small.json observes 40 values, but the market state \(version 1\) has 51/],
  [["suite", "--scenarios", "normal", "--seeds", "1", "--policy", SMALL, "--out", NEVER], /--policy: .*policy: .*small.json observes 40 values/],
  [["eval", "market", "--scenario", "normal"], /--policy: missing; arena eval market evaluates a policy/],
  [["eval", "market", "--policy", POLICY_DIR, "--scenario", "calm"], /--scenario: scenario: "calm" is not a built-in/],
  [["eval", "market", "--policy", SMALL], /--policy: .*small.json observes 40 values/],
];

const RUNS: string[][] = [
  ["run", scenarioFile("with-policy", POLICY), "--seed", "1", "--out", join(TMP, "run")],
  ["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy: POLICY }), "--out", join(TMP, "backtest")],
  ["suite", "--scenarios", "normal", "--seeds", "1", "--workers", "1", "--duration", "10m", "--no-png", "--policy", POLICY_DIR, "--out", join(TMP, "suite")],
  ["eval", "market", "--policy", POLICY_DIR, "--scenario", "normal", "--seeds", "2", "--first-seed", "101", "--duration", "5m", "--json"],
  ["train", "ppo", "--scenario", "normal", "--steps", "4000", "--seed", "2", "--out", join(TMP, "trained-4000")],
  ["backtest", "--data", BARS, "--bot", "policy", "--params", JSON.stringify({ policy: join(TMP, "trained-4000", "policy.json") }), "--out", join(TMP, "backtest-trained")],
  ...REFUSALS.map(([args]) => args),
];
const results = arenaBatch(RUNS);

test("arena run: a scenario file with a bot of type policy runs it, and the run's summary judges it like any bot", async () => {
  const [r] = await results;
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(TMP, "run", "summary.json"), "utf8"));
  const rl = summary.bots.find((b: { name: string }) => b.name === "rl");
  assert.ok(rl !== undefined, JSON.stringify(summary.bots));
  assert.equal(rl.survived, true);
  assert.notEqual(rl.returnPct, 0, "it traded");
});

test("arena backtest --bot policy runs the policy on recorded bars and writes the backtest's files", async () => {
  const [, r] = await results;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^backtest bot policy /);
  for (const f of ["summary.json", "trades.arrow", "equity.arrow", "report.html"]) assert.ok(existsSync(join(TMP, "backtest", f)), f);
});

test("arena suite --policy DIR runs the policy as bot \"policy\" beside the scenario's own bots", async () => {
  const [, , r] = await results;
  assert.equal(r.code, 0, r.stderr);
  const suite = JSON.parse(readFileSync(join(TMP, "suite", "suite.json"), "utf8"));
  const names = suite.runs[0].bots.map((b: { name: string }) => b.name);
  assert.ok(names.includes("policy") && names.includes("hodl"), names.join(", "));
  assert.match(r.stdout, /normal\s+policy\s+(PASS|FAIL)/);
});

test("arena eval market --json: the policy, buy-and-hold and the best rule strategy on held-out seeds, each with mean and 95% interval of return, Sharpe and max drawdown", async () => {
  const [, , , r] = await results;
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.seeds, [101, 102]);
  assert.equal(j.policy.bot, "policy");
  assert.equal(j.buyAndHold.type, "buy-and-hold");
  assert.ok(["strategy", "ema-cross"].includes(j.bestRule.type));
  for (const row of [j.policy, j.buyAndHold, j.bestRule]) {
    for (const k of ["returnPct", "sharpe", "maxDrawdownPct"]) assert.ok(Number.isFinite(row[k].mean) && row[k].lo <= row[k].mean && row[k].mean <= row[k].hi, `${row.bot} ${k}`);
  }
  assert.ok(j.bots.every((b: { type: string; returnPct: { mean: number } }) => b.returnPct.mean <= j.bestRule.returnPct.mean || b.type === "policy" || b.type === "buy-and-hold"), "the best rule has the highest mean return of the rules");
});

test("a policy trained by arena train ppo --scenario records what the bot needs and runs as bot policy", async () => {
  const [, , , , train, backtest] = await results;
  assert.equal(train.code, 0, train.stderr);
  const p = JSON.parse(readFileSync(join(TMP, "trained-4000", "policy.json"), "utf8"));
  assert.equal(p.env, "scenario:normal");
  assert.deepEqual(p.market, { observation: "market-state", observationVersion: 1, decisionSec: 1, actionSizes: [0.1, 0.5, 1], depthLevels: 5, scenario: "normal" });
  assert.deepEqual(p.observationSpace.shape, [51]);
  assert.equal(p.actionSpace.n, 7);
  assert.equal(backtest.code, 0, backtest.stderr);
});

test("a missing, corrupt or mismatched policy is refused with exit 2 and one message naming it", async () => {
  assertRefused((await results).slice(6), REFUSALS);
});
