// `arena collect` against arena serve: paginated, validated, resumed, atomic, under 429/5xx/timeouts; bad flags refused with exit 2 and nothing written; a file it did not write is never touched.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { loadOhlcv } from "../../experiments/ohlcv.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { checkCandles } from "../../cli/collect-rules.ts";
import { serve } from "../live/serve-fixture.ts";
import { injected, setFaults } from "../live/fault-invariants.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MIN = 60_000;

/** Runs `arena collect ARGS`; resolves with its exit code and output. */
function collect(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const p = spawn(process.execPath, ["bin/arena.mjs", "collect", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("close", (code) => ok({ code, stdout, stderr }));
  });
}

/** Consecutive bars exactly one minute apart, each timestamp once. */
function assertGapFree(t: Float64Array): void {
  for (let i = 1; i < t.length; i++) assert.equal(t[i] - t[i - 1], MIN, `bar ${i}: ${t[i - 1]} → ${t[i]}`);
}

describe("arena collect", () => {
  let s: RunningServer;
  let dir: string;
  let config: string;
  let since: string;
  before(async () => {
    // 20 simulated minutes a wall second: pages of klines pile up quickly.
    s = await serve({ speed: 1200 });
    dir = await mkdtemp(join(tmpdir(), "collect-"));
    config = join(dir, "config.json");
    await writeFile(config, JSON.stringify({
      exchange: {
        urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3` },
        options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } },
        timeoutMs: 800, rateLimitMs: 5, pageLimit: 7, retry: { retries: 8, baseDelayMs: 50, maxDelayMs: 500 },
      },
    }));
    since = String(s.venue.kernel.epochMs);
    await new Promise((r) => setTimeout(r, 2500));
  });
  after(async () => {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  const base = (out: string, extra: string[] = []) => ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1m", "--since", since, "--out", out, "--config", config, ...extra];

  it("fetches every closed minute page by page, valid and gap-free, as Arrow; a second run resumes from the last bar", async () => {
    const out = join(dir, "btc.arrow");
    const first = await collect(base(out));
    assert.equal(first.code, 0, first.stderr);
    const a = await loadOhlcv(out);
    assert.ok(a.timestamps.length >= 20, `${a.timestamps.length} bars`);
    assertGapFree(a.timestamps);
    assert.match(first.stdout, /kept, 0 rejected, 0 gaps/);
    assert.ok(Number(/in (\d+) pages/.exec(first.stdout)![1]) >= 3, `several pages of 7: ${first.stdout}`);
    await new Promise((r) => setTimeout(r, 1500));
    const second = await collect(base(out));
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /after the \d+ stored/);
    const b = await loadOhlcv(out);
    assert.ok(b.timestamps.length > a.timestamps.length, "new bars appended");
    assert.deepEqual(b.timestamps.slice(0, a.timestamps.length), a.timestamps, "stored bars unchanged");
    assert.deepEqual(b.close.slice(0, a.close.length), a.close);
    assertGapFree(b.timestamps);
  });

  it("under 429s, 5xx and timeouts on klines it retries and still ends with a valid, gap-free CSV file", async () => {
    const out = join(dir, "faulty.csv");
    await setFaults(s, { seed: 2, rateLimit: { at: [2], retryAfterS: 1, endpoints: ["GET klines"] }, serverError: { rate: 0.3, endpoints: ["GET klines"] }, timeout: { at: [4], ms: 2_000, endpoints: ["GET klines"] } });
    try {
      const r = await collect(base(out, ["--trades"]));
      assert.equal(r.code, 0, r.stderr);
      // The served tape keeps the latest trades only: collection says where they start.
      assert.match(r.stderr, /the venue keeps no trades from .*; trades collected from/);
      const n = await injected(s);
      assert.ok(n.rateLimit === 1 && n.timeout === 1 && n.serverError > 0, JSON.stringify(n));
    } finally {
      await setFaults(s, null);
    }
    const bars = await loadOhlcv(out);
    assert.ok(bars.timestamps.length >= 30);
    assertGapFree(bars.timestamps);
    const trades = (await readFile(`${out}.trades.csv`, "utf8")).trim().split("\n");
    assert.equal(trades[0], "id,timestamp,side,price,amount");
    assert.ok(trades.length > 1, "trades were collected");
  });

  it("never touches a file it did not write; bad flags exit 2 and write nothing", async () => {
    const foreign = join(dir, "mine.csv");
    await writeFile(foreign, "timestamp,open,high,low,close,volume\n");
    const r = await collect(base(foreign));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exists and was not written by arena collect/);
    assert.equal(await readFile(foreign, "utf8"), "timestamp,open,high,low,close,volume\n");
    // A new FILE whose rejects, trades or sidecar name is a user's file: refused, that file kept.
    for (const suffix of [".rejects.jsonl", ".trades.csv", ".arena-collect.json"]) {
      const fresh = join(dir, `fresh${suffix.length}.csv`);
      await writeFile(`${fresh}${suffix}`, "my notes\n");
      const s = await collect(base(fresh));
      assert.equal(s.code, 2, suffix);
      assert.match(s.stderr, /was not written by arena collect|arena collect did not write it/, suffix);
      assert.equal(await readFile(`${fresh}${suffix}`, "utf8"), "my notes\n", suffix);
    }
    const cases: [string[], RegExp][] = [
      [["--since", "yesterday"], /--since: "yesterday" is not a UTC time/],
      [["--exchange", "nosuchexchange"], /--exchange: "nosuchexchange" is not a ccxt exchange id/],
      [["--symbol", "DOGE/EUR"], /--symbol: "DOGE\/EUR" is not listed on binance/],
      [["--timeframe", "7q"], /--timeframe: "7q" is not a timeframe/],
      [["--timeframe", "2m"], /--timeframe: "2m" is not offered by binance/],
      [["--out", join(dir, "x.parquet")], /--out: .* must end in \.arrow .* or \.csv/],
    ];
    for (const [extra, want] of cases) {
      const out = join(dir, "never.csv");
      const args = base(out);
      for (let i = 0; i < extra.length; i += 2) {
        const k = args.indexOf(extra[i]);
        args[k + 1] = extra[i + 1];
      }
      const x = await collect(args);
      assert.equal(x.code, 2, `${extra.join(" ")}: ${x.stderr}`);
      assert.match(x.stderr, want);
      await assert.rejects(stat(out), "nothing written");
    }
  });
});

describe("arena collect's rules", () => {
  it("a bad row is kept out and reported by row and rule; a gap is reported; a jump needs --allow-jumps", () => {
    const t0 = Date.UTC(2024, 0, 1);
    const rows: [number, number, number, number, number, number][] = [
      [t0, 100, 101, 99, 100, 1],
      [t0 + MIN, 100, 99, 98, 100.5, 1], // high below close
      [t0, 100, 101, 99, 100, 1], // row 1's minute again
      [t0 + 2 * MIN, 100, 101, 99, 100, -1], // negative volume
      [t0 + 3 * MIN, 100, 200, 99, 180, 1], // +80% jump
      [t0 + 5 * MIN, 100, 101, 99, 100, 1], // one bar missing before it
    ];
    const r = checkCandles(rows, MIN, undefined, false);
    assert.deepEqual(r.kept.map((c) => c[0]), [t0, t0 + 5 * MIN]);
    assert.deepEqual(r.rejects.map((x) => [x.row, x.kind, x.column]), [
      [2, "rejected", "high"], [3, "rejected", "timestamp"], [4, "rejected", "volume"], [5, "rejected", "close"], [6, "gap", "timestamp"],
    ]);
    assert.match(r.rejects[0].rule, /high >= max\(open, close\)/);
    assert.match(r.rejects[3].rule, /jumps 80\.00% .*--allow-jumps/);
    assert.match(r.rejects[4].rule, /4 bar\(s\) missing/);
    const allowed = checkCandles(rows, MIN, undefined, true);
    assert.ok(allowed.kept.some((c) => c[4] === 180), "--allow-jumps keeps the jump");
  });
});
