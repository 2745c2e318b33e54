// The promotion ladder end to end on evidence made here (a short suite over the built-ins, walk-forward backtests on data/, paper sessions against arena serve), and every refusal.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkLivePromotion } from "../../cli/promotion-check.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { ALICE, client, serve, untilBook } from "../live/serve-fixture.ts";
import { arenaBatch, type Result } from "./helpers/arena-batch-client.ts";

const DATA = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";
const TF = ["strategy", "--params", '{"strategy":"trend-following"}'];
const MR = ["strategy", "--params", '{"strategy":"mean-reversion"}'];
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Every file of a folder and its bytes, to prove a refusal wrote nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names.sort()) out[n] = readFileSync(join(dir, n), "utf8");
  return out;
}

function refused(r: Result, code: number, message: RegExp, what: string): void {
  assert.equal(r.code, code, `${what}: ${r.stdout} ${r.stderr}`);
  assert.match(r.stderr, message, what);
}

describe("arena promote and arena agents", () => {
  let dir: string;
  let s: RunningServer;
  let suite: string;
  let wfTrend: string;
  let wfMean: string;
  let paperLog: string;
  let easyGates: string;
  before(async () => {
    dir = tempDir("arena-promote-");
    suite = join(dir, "suite");
    wfTrend = join(dir, "wf-trend");
    wfMean = join(dir, "wf-mean");
    const wf = (strategy: string, out: string) => ["backtest", "--data", DATA, "--strategy", strategy, "--timeframe", "15m", "--walk-forward", "7d,3d,3d", "--search", "random:6", "--workers", "1", "--pbo-blocks", "4", "--out", out];
    const made = await arenaBatch([
      ["suite", "--seeds", "1", "--duration", "160m", "--workers", "2", "--no-png", "--out", suite],
      wf("trend-following", wfTrend),
      wf("mean-reversion", wfMean),
    ]);
    for (const r of made) assert.equal(r.code, 0, r.stderr);
    s = await serve({ speed: 30 });
    await untilBook(client(s.url));
    const config = join(dir, "paper.json");
    writeFileSync(config, JSON.stringify({
      exchange: { urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3` }, rateLimitMs: 2 },
      paper: { balances: { USDT: 10_000 }, latencyMs: 10, journal: join(dir, "journal") },
    }));
    paperLog = join(dir, "paper.jsonl");
    const session = ["trade", "--bot", ...TF, "--exchange", "binance", "--symbol", "BTC/USDT", "--paper", "--config", config, "--duration", "3s", "--log", paperLog];
    for (const r of await arenaBatch([session, session], { EXCHANGE_API_KEY: "", EXCHANGE_API_SECRET: "" })) assert.equal(r.code, 0, r.stderr);
    easyGates = join(dir, "gates-short-paper.json");
    writeFileSync(easyGates, JSON.stringify({ paper: { minDays: 0.00005 } }));
  });
  after(async () => {
    await s?.close();
  });

  it("climbs sim → history → paper → live on real evidence, records each file's sha256, lists it, and then lets it trade live", async () => {
    const reg = join(dir, "reg-ladder");
    const promote = (to: string, ...evidence: string[]) => ["promote", ...TF, "--to", to, "--evidence", ...evidence, "--registry", reg];
    const [history, paper, live, listed, json] = await arenaBatch([
      promote("history", suite),
      promote("paper", join(wfTrend, "summary.json")),
      [...promote("live", paperLog), "--gates", easyGates],
      ["agents", "--registry", reg],
      ["agents", "--registry", reg, "--json"],
    ]);
    for (const r of [history, paper, live, listed, json]) assert.equal(r.code, 0, r.stderr);
    assert.match(history.stdout, /PASS {2}sim\.scenarios: crash: trend-following passes on every seed/);
    assert.match(history.stdout, /promoted strategy@[0-9a-f]{16} to history/);
    assert.match(paper.stdout, /PASS {2}history\.maxPbo: PBO < 0\.5 \(measured 0\.\d+\)/);
    assert.match(live.stdout, /PASS {2}paper\.minDays: at least 0\.00005 days/);
    assert.match(listed.stdout, /strategy@[0-9a-f]{16} +live +\{"strategy":"trend-following"/);
    const [rec] = JSON.parse(json.stdout) as { stage: string; hash: string; promotions: { to: string; evidence: { sha256: string; file: string }[]; figures?: { days: number } }[] }[];
    assert.equal(rec.stage, "live");
    assert.deepEqual(rec.promotions.map((p) => p.to), ["history", "paper", "live"]);
    assert.equal(rec.promotions[0].evidence[0].sha256, sha(join(suite, "suite.json")));
    assert.equal(rec.promotions[1].evidence[0].sha256, sha(join(wfTrend, "summary.json")));
    assert.equal(rec.promotions[2].evidence[0].sha256, sha(paperLog));
    assert.ok(rec.promotions[2].figures!.days > 0.00005 && rec.promotions[2].figures!.days < 0.001, String(rec.promotions[2].figures!.days));
    // The same bot object, its defaults spelled out, passes the live gate; another params set does not.
    await checkLivePromotion("strategy", { strategy: "trend-following", params: {}, risk: {}, feed: "1m" }, undefined, reg);
    await assert.rejects(checkLivePromotion("strategy", { strategy: "trend-following", feed: "5m" }, undefined, reg), /is at stage sim/);
  });

  it("refuses, writing nothing: missing or wrong evidence, a failed gate, stages out of order, a tampered suite, a bad gates config, a foreign registry", async () => {
    const reg = join(dir, "reg-refusals");
    const tampered = join(dir, "suite-tampered");
    cpSync(suite, tampered, { recursive: true });
    const bars = join(tampered, "runs", "crash", "seed-1", "bars.arrow");
    const bytes = readFileSync(bars);
    bytes[200] ^= 0xff;
    writeFileSync(bars, bytes);
    const lying = join(dir, "suite-lying");
    cpSync(suite, lying, { recursive: true });
    const lie = JSON.parse(readFileSync(join(lying, "suite.json"), "utf8")) as { runs: { scenario: string; bots: { name: string; pass: boolean }[] }[]; table: { rows: { scenario: string; bot: string; pass: boolean }[] } };
    for (const r of lie.runs) for (const b of r.bots) if (b.name === "hodl") b.pass = true;
    for (const row of lie.table.rows) if (row.bot === "hodl") row.pass = true;
    writeFileSync(join(lying, "suite.json"), JSON.stringify(lie));
    const badGates = join(dir, "gates-bad.json");
    writeFileSync(badGates, JSON.stringify({ history: { maxPbo: 2 } }));
    const unknownGate = join(dir, "gates-unknown.json");
    writeFileSync(unknownGate, JSON.stringify({ paper: { minDayz: 1 } }));
    const foreign = join(dir, "foreign");
    cpSync(join(dir, "paper.json"), join(foreign, "notes.json"));

    // mean-reversion climbs to history first, so its walk-forward meets the history gate.
    const [setup] = await arenaBatch([["promote", ...MR, "--to", "history", "--evidence", suite, "--registry", reg]]);
    assert.equal(setup.code, 0, setup.stderr);
    const before = snapshot(reg);
    const cases: [string[], number, RegExp][] = [
      [["promote", ...TF, "--to", "history", "--registry", reg], 2, /required option '--evidence <path\.\.\.>' not specified/],
      [["promote", ...TF, "--to", "history", "--evidence", wfTrend, "--registry", reg], 2, /is walk-forward evidence; promoting to history needs a suite/],
      [["promote", ...TF, "--to", "history", "--evidence", join(dir, "nowhere"), "--registry", reg], 2, /--evidence: ".*nowhere" does not exist/],
      [["promote", "buy-and-hold", "--to", "history", "--evidence", suite, "--registry", reg], 3, /buy-and-hold@[0-9a-f]{16} is not promoted to history: sim\.scenarios: crash: hodl passes on every seed .*measured 0\/1 seeds passed.*nothing was written/],
      [["promote", ...MR, "--to", "paper", "--evidence", wfMean, "--registry", reg], 3, /is not promoted to paper: history\.minOosReturn: out-of-sample return > 0\.00%, measured -[\d.]+%; history\.maxPbo: PBO < 0\.5, measured 0\.6/],
      [["promote", ...MR, "--to", "paper", "--evidence", wfTrend, "--registry", reg], 2, /is a walk-forward of trend-following, not of strategy@[0-9a-f]{16}'s strategy mean-reversion/],
      [["promote", ...TF, "--to", "live", "--evidence", paperLog, "--registry", reg], 2, /--to: live: strategy@[0-9a-f]{16} is at sim; promote it to history first/],
      [["promote", ...MR, "--to", "history", "--evidence", suite, "--registry", reg], 2, /--to: history: strategy@[0-9a-f]{16} is already at history; stages only go up/],
      [["promote", ...TF, "--to", "history", "--evidence", tampered, "--registry", reg], 3, /suite ".*suite-tampered": run crash seed 1: bars\.arrow is not the file summary\.json describes.*the suite is refused/],
      [["promote", "buy-and-hold", "--to", "history", "--evidence", lying, "--registry", reg], 3, /run normal seed 1: hodl passed in its summary\.json but .*|run crash seed 1: hodl failed in its summary\.json but passed in suite\.json/],
      [["promote", ...TF, "--to", "history", "--evidence", suite, "--registry", reg, "--gates", badGates], 2, /--gates: file ".*gates-bad\.json": gates\.history\.maxPbo: 2 is invalid/],
      [["promote", ...TF, "--to", "history", "--evidence", suite, "--registry", reg, "--gates", unknownGate], 2, /gates\.paper: \{"minDayz":1\} is invalid: Unrecognized key: "minDayz"/],
      [["promote", ...TF, "--to", "history", "--evidence", suite, "--registry", foreign], 2, /--registry: ".*foreign" holds files arena did not write/],
      [["promote", "strategy", "--params", '{"strategy":"nope"}', "--to", "history", "--evidence", suite, "--registry", reg], 2, /--params: params\.strategy: "nope" is invalid/],
      [["promote", ...TF, "--to", "moon", "--evidence", suite, "--registry", reg], 2, /--to: "moon" is not one of history, paper, live/],
    ];
    const results = await arenaBatch(cases.map(([a]) => a));
    cases.forEach(([args, code, message], i) => refused(results[i], code, message, args.join(" ")));
    assert.deepEqual(snapshot(reg), before, "a refused promotion changed the registry");
    assert.deepEqual(readdirSync(foreign), ["notes.json"]);

    // The paper step on the default gates: seconds of paper are not 7 days.
    const reg2 = join(dir, "reg-paper-gate");
    const steps = await arenaBatch([
      ["promote", ...TF, "--to", "history", "--evidence", suite, "--registry", reg2],
      ["promote", ...TF, "--to", "paper", "--evidence", wfTrend, "--registry", reg2],
      ["promote", ...TF, "--to", "live", "--evidence", paperLog, "--registry", reg2],
      ["promote", ...TF, "--to", "live", "--evidence", paperLog, paperLog, "--registry", reg2, "--gates", easyGates],
    ]);
    assert.equal(steps[0].code, 0, steps[0].stderr);
    assert.equal(steps[1].code, 0, steps[1].stderr);
    refused(steps[2], 3, /is not promoted to live: paper\.minDays: at least 7 days of paper trading, measured 0\.0\d+ days/, "7 days");
    refused(steps[3], 2, /--evidence: ".*paper\.jsonl" is given twice/, "twice");
    assert.match(JSON.stringify(JSON.parse(readFileSync(join(reg2, readdirSync(reg2).find((n) => n.endsWith(".json"))!), "utf8"))), /"stage":"paper"/);
  });

  it("arena trade --live refuses a bot not promoted to live, naming its hash and stage, before any request; the served simulator on 127.0.0.1 is exempt", async () => {
    let requests = 0;
    const venue = createServer((_q, res) => ((requests++), res.end("{}")));
    // 127.0.0.2 is loopback, but not where arena serve listens: the gate applies there as to any exchange.
    await new Promise<void>((ok) => venue.listen(0, "127.0.0.2", ok));
    const url = `http://127.0.0.2:${(venue.address() as AddressInfo).port}/api/v3`;
    const config = join(dir, "live.json");
    writeFileSync(config, JSON.stringify({ exchange: { urls: { public: url, private: url } } }));
    const reg = join(dir, "reg-trade");
    const trade = (...extra: string[]) => ["trade", "--bot", ...TF, "--exchange", "binance", "--symbol", "BTC/USDT", "--live", "--confirm-live", "--duration", "1s", "--log", join(dir, "live.jsonl"), ...extra];
    const results = await arenaBatch([
      trade("--config", config, "--registry", reg),
      ["promote", ...TF, "--to", "history", "--evidence", suite, "--registry", reg],
      trade("--config", config, "--registry", reg),
      trade("--registry", reg),
    ], { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret });
    venue.close();
    refused(results[0], 2, /--live: strategy@[0-9a-f]{16} \{"strategy":"trend-following",.*\} \(params hash [0-9a-f]{64}\) is at stage sim in the registry .*, not live/, "unpromoted");
    assert.equal(results[1].code, 0, results[1].stderr);
    refused(results[2], 2, /\(params hash [0-9a-f]{64}\) is at stage history in the registry/, "at history");
    refused(results[3], 2, /is at stage history/, "the real binance");
    assert.equal(requests, 0, "a request reached the venue");
    for (const r of results) assert.doesNotMatch(r.stderr + r.stdout, new RegExp(ALICE.secret));
  });
});
