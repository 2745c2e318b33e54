// Paper evidence from arena trade's own log writer: days summed over the bot's paper sessions, PnL and drawdown chained across them, other sessions skipped.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_GATES } from "../../../experiments/promotion/gates.ts";
import { botIdentity } from "../../../experiments/promotion/identity.ts";
import { paperChecks, paperSessions } from "../../../experiments/promotion/paper-evidence.ts";
import { JsonlLog } from "../../../live/trade/log.ts";
import { tempDir } from "../../helpers/temp-dir.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);
const ID = botIdentity("strategy", { strategy: "trend-following" });

/** Writes sessions through JsonlLog (the format arena trade writes), its clock set to each line's time. */
function writeLog(path: string, lines: readonly [number, string, Record<string, unknown>][]): void {
  let now = 0;
  const log = new JsonlLog(path, [], () => now);
  for (const [t, kind, fields] of lines) {
    now = t;
    log.record(kind, fields);
  }
  log.close();
}

const start = (t: number, mode = "paper", params: Record<string, unknown> = ID.params): [number, string, Record<string, unknown>] =>
  [t, "start", { bot: "strategy", symbol: "BTC/USDT", onStop: "cancel", mode, exchange: "binance", params, seed: 1 }];
const fill = (t: number, side: string, amount: number, price: number): [number, string, Record<string, unknown>] =>
  [t, "fill", { id: `f${t}`, order: `o${t}`, timestamp: t, symbol: "BTC/USDT", side, price, amount, cost: amount * price, fee: { cost: amount * price * 0.001, currency: "USDT" }, takerOrMaker: "taker" }];

describe("paper evidence", () => {
  it("sums the days of the bot's paper sessions, skips live and other bots' sessions, and chains the drawdown across sessions", async () => {
    const dir = tempDir("arena-paper-evidence-");
    const path = join(dir, "trade.jsonl");
    writeLog(path, [
      start(T0),
      [T0 + 1, "reconcile", { openOrders: [], balances: { USDT: 10_000 }, recentFills: 0 }],
      fill(T0 + DAY, "buy", 0.1, 30_000),
      fill(T0 + 2 * DAY, "sell", 0.1, 27_000),
      [T0 + 4 * DAY, "stop", { by: "SIGINT", balances: { USDT: 9694.3 } }],
      // A live session and another params set of the same bot: not this bot's paper trading.
      start(T0 + 4 * DAY + 10, "live"),
      [T0 + 5 * DAY, "stop", { by: "duration", balances: { USDT: 1 } }],
      start(T0 + 5 * DAY, "paper", { ...ID.params, feed: "5m" }),
      [T0 + 5 * DAY + 100, "stop", { by: "duration", balances: { USDT: 1 } }],
      start(T0 + 5 * DAY + 200),
      [T0 + 5 * DAY + 300, "reconcile", { openOrders: [], balances: { USDT: 9694.3 }, recentFills: 2 }],
      fill(T0 + 6 * DAY, "buy", 0.3, 20_000),
      fill(T0 + 7 * DAY, "sell", 0.3, 16_000),
      [T0 + 8 * DAY + 200, "stop", { by: "duration", balances: { USDT: 8483.5 } }],
    ]);
    const { sessions, skipped } = await paperSessions(path, ID);
    assert.equal(sessions.length, 2);
    assert.equal(skipped, 2);
    const { figures, checks } = paperChecks(sessions, DEFAULT_GATES.paper, ID);
    assert.equal(figures.days, 7);
    assert.ok(Math.abs(figures.pnl - -1516.5) < 1e-6, String(figures.pnl));
    // Peak 10,000 at the start of the first session, trough 8,483.5 at the end of the second: 15.165%.
    assert.ok(Math.abs(figures.maxDrawdownPct - 15.165) < 1e-6, String(figures.maxDrawdownPct));
    assert.deepEqual(checks.map((c) => [c.gate, c.pass]), [["paper.minDays", true], ["paper.maxDrawdownPct", false]]);
    assert.equal(paperChecks(sessions, { minDays: 7.01, maxDrawdownPct: 16 }, ID).checks[0].pass, false);
  });

  it("refuses sessions that overlap in time (two logs of one session would count its days twice) and a file that is not a trade log", async () => {
    const dir = tempDir("arena-paper-evidence-");
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    writeLog(a, [start(T0), [T0 + DAY, "stop", { by: "duration", balances: { USDT: 10 } }]]);
    writeLog(b, [start(T0 + DAY / 2), [T0 + 2 * DAY, "stop", { by: "duration", balances: { USDT: 10 } }]]);
    const sessions = [...(await paperSessions(a, ID)).sessions, ...(await paperSessions(b, ID)).sessions];
    assert.throws(() => paperChecks(sessions, DEFAULT_GATES.paper, ID), /b\.jsonl" line 1 overlaps the one at .*a\.jsonl" line 1: its days would count twice/);
    assert.throws(() => paperChecks([], DEFAULT_GATES.paper, ID), /hold no paper session of strategy@/);
    const bad = join(dir, "bad.jsonl");
    writeLog(bad, []);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, '{"t":1,"kind":"start"}\nnot json\n');
    await assert.rejects(paperSessions(bad, ID), /bad\.jsonl" line 2 is not JSON: not an arena trade log/);
  });
});
