// The `arena` command end to end: help, a short smoke run and its files, and refusal of bad flags.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromIPC } from "apache-arrow";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TMP = mkdtempSync(join(tmpdir(), "arena-cli-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/arena.mjs ARGS` from the repo root, without blocking other tests. */
function arena(args: readonly string[]): Promise<Result> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ["bin/arena.mjs", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => done({ status, stdout, stderr }));
  });
}

test("--help lists the run command and exits 0", () => {
  const r = spawnSync(process.execPath, ["bin/arena.mjs", "--help"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s+run \[options\] <scenario>/m);
  assert.match(r.stdout, /smoke/);
});

describe("run smoke --seed 1 --duration 2m", () => {
  const outA = join(TMP, "run-a");
  const outB = join(TMP, "run-b");
  const runs = Promise.all([outA, outB].map((out) => arena(["run", "smoke", "--seed", "1", "--duration", "2m", "--out", out])));

  test("exits 0 and writes summary.json with seed, event counts, a 64-hex digest and wall time", async () => {
    const [a] = await runs;
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stderr, "");
    const s = JSON.parse(readFileSync(join(outA, "summary.json"), "utf8"));
    assert.equal(s.scenario, "smoke");
    assert.equal(s.seed, 1);
    assert.equal(s.durationNs, 120e9);
    assert.equal(s.simulatedSeconds, 120);
    assert.match(s.digest, /^[0-9a-f]{64}$/);
    assert.equal(typeof s.wallTimeMs, "number");
    assert.ok(s.wallTimeMs >= 0);
    const ev = s.events;
    for (const k of ["accepted", "rejected", "trade", "canceled", "amended", "expired"]) assert.equal(typeof ev[k], "number", `events.${k}`);
    assert.equal(ev.total, ev.accepted + ev.rejected + ev.trade + ev.canceled + ev.amended + ev.expired);
    assert.ok(ev.trade > 0, "the smoke world traded");
    assert.ok(a.stdout.includes(s.digest), "stdout reports the digest");
    assert.deepEqual(readdirSync(outA).sort(), [".arena-output", "bars.arrow", "l1.arrow", "l2.arrow", "orders.arrow", "summary.json", "trades.arrow"]);
    assert.deepEqual(s.files, ["trades.arrow", "orders.arrow", "l1.arrow", "l2.arrow", "bars.arrow", "summary.json"]);
  });

  test("the Arrow files are readable with apache-arrow and hold the rows the summary counts", async () => {
    await runs;
    const s = JSON.parse(readFileSync(join(outA, "summary.json"), "utf8"));
    for (const name of ["trades", "orders", "l1", "l2"] as const) {
      const t = tableFromIPC(readFileSync(join(outA, `${name}.arrow`)));
      assert.equal(t.numRows, s.rows[name], `${name}.arrow rows`);
      assert.ok(t.numRows > 0, `${name}.arrow is not empty`);
      assert.ok(t.schema.fields.length > 0);
    }
    const trades = tableFromIPC(readFileSync(join(outA, "trades.arrow")));
    assert.equal(trades.numRows, s.events.trade, "one row per trade");
  });

  test("bars.arrow holds the 2 one-minute bars of a 2m run, covering every trade before the end", async () => {
    await runs;
    const s = JSON.parse(readFileSync(join(outA, "summary.json"), "utf8"));
    const bars = tableFromIPC(readFileSync(join(outA, "bars.arrow")));
    assert.equal(bars.numRows, s.rows.bars, "bars.arrow rows");
    assert.equal(s.rows.bars, 2, "the smoke world trades in its first minute, so 2m gives 2 bars");
    assert.deepEqual(bars.schema.fields.map((f) => f.name), ["timestamp", "open", "high", "low", "close", "volume", "trades", "vwap", "ts_ns"]);
    assert.deepEqual(Array.from(bars.getChild("ts_ns")!.toArray() as BigInt64Array, Number), [0, 60e9]);
    const ts = bars.getChild("timestamp")!;
    assert.equal(Number(ts.get(1)) - Number(ts.get(0)), 60_000, "one minute apart, in ms");
    // Bars are [open, open + 1 min) and stop at the end of the run: a trade at exactly 120 s is in none.
    const tradeTs = Array.from(tableFromIPC(readFileSync(join(outA, "trades.arrow"))).getChild("ts_ns")!.toArray() as BigInt64Array, Number);
    const counted = Array.from(bars.getChild("trades")!.toArray() as Int32Array).reduce((a, b) => a + b, 0);
    assert.equal(counted, tradeTs.filter((t) => t < 120e9).length);
  });

  test("the same command again gives the same digest and the same files", async () => {
    const [, b] = await runs;
    assert.equal(b.status, 0, b.stderr);
    const sa = JSON.parse(readFileSync(join(outA, "summary.json"), "utf8"));
    const sb = JSON.parse(readFileSync(join(outB, "summary.json"), "utf8"));
    assert.equal(sb.digest, sa.digest);
    assert.deepEqual({ ...sb, wallTimeMs: 0 }, { ...sa, wallTimeMs: 0 });
    for (const f of ["trades.arrow", "orders.arrow", "l1.arrow", "l2.arrow", "bars.arrow"]) {
      assert.ok(readFileSync(join(outA, f)).equals(readFileSync(join(outB, f))), `${f} is byte-identical`);
    }
  });
});

describe("bad input exits non-zero with one line naming the flag and value, and writes nothing", { concurrency: true }, () => {
  // `fresh`: also run once into a directory that does not exist yet, which must stay absent.
  const cases: { name: string; args: (out: string) => string[]; names: string[]; fresh?: boolean }[] = [
    { name: "--seed -1", args: (o) => ["run", "smoke", "--seed", "-1", "--duration", "2m", "--out", o], names: ["--seed", "-1"], fresh: true },
    { name: "--seed abc", args: (o) => ["run", "smoke", "--seed", "abc", "--duration", "2m", "--out", o], names: ["--seed", "abc"] },
    { name: "--duration 0s", args: (o) => ["run", "smoke", "--seed", "1", "--duration", "0s", "--out", o], names: ["--duration", "0s"] },
    { name: "--duration 5x", args: (o) => ["run", "smoke", "--seed", "1", "--duration", "5x", "--out", o], names: ["--duration", "5x"] },
    { name: "unknown scenario", args: (o) => ["run", "no-such-world", "--seed", "1", "--duration", "2m", "--out", o], names: ["scenario", "no-such-world"], fresh: true },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const tag = c.name.replace(/\W+/g, "_");
      const fresh = join(TMP, `bad-fresh-${tag}`);
      const existing = join(TMP, `bad-existing-${tag}`);
      mkdirSync(existing);
      const old = '{"digest":"an earlier run"}\n';
      writeFileSync(join(existing, "summary.json"), old);
      const results = await Promise.all([arena(c.args(existing)), ...(c.fresh === true ? [arena(c.args(fresh))] : [])]);
      for (const r of results) {
        assert.notEqual(r.status, 0);
        assert.equal(r.stdout, "");
        const lines = r.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
        for (const n of c.names) assert.ok(lines[0].includes(n), `stderr "${lines[0]}" names ${n}`);
      }
      assert.deepEqual(readdirSync(existing), ["summary.json"], "nothing is written into the out dir");
      assert.equal(readFileSync(join(existing, "summary.json"), "utf8"), old, "an existing summary.json is untouched");
      if (c.fresh === true) assert.equal(existsSync(fresh), false, "a fresh out dir is not created");
    });
  }

  test("missing --out", async () => {
    const r = await arena(["run", "smoke", "--seed", "1", "--duration", "2m"]);
    assert.notEqual(r.status, 0);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
    assert.match(lines[0], /--out/);
  });
});
