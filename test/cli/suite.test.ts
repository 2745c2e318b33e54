// `arena suite`: the same suite.json on 1 worker or 2; bad flags change nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";

const arena = (...args: string[]) => spawnSync(process.execPath, ["bin/arena.mjs", ...args], { encoding: "utf8" });
const dir = tempDir("arena-suite-");

test("suite.json is byte-identical on 1 and 2 workers, and the table and report are written", () => {
  const common = ["suite", "--scenarios", "normal,crash", "--seeds", "2", "--duration", "35m", "--no-png"];
  const one = arena(...common, "--workers", "1", "--out", join(dir, "w1"));
  assert.equal(one.status, 0, one.stderr);
  const two = arena(...common, "--workers", "2", "--out", join(dir, "w2"));
  assert.equal(two.status, 0, two.stderr);
  assert.equal(readFileSync(join(dir, "w1", "suite.json"), "utf8"), readFileSync(join(dir, "w2", "suite.json"), "utf8"));
  const suite = JSON.parse(readFileSync(join(dir, "w1", "suite.json"), "utf8"));
  assert.equal(suite.runs.length, 4);
  const bots = ["hodl", "ema", "sma-cross", "trend-following", "mean-reversion", "breakout", "ensemble"];
  assert.deepEqual(suite.table.rows.map((r: { scenario: string; bot: string }) => `${r.scenario}/${r.bot}`), ["normal", "crash"].flatMap((s) => bots.map((b) => `${s}/${b}`)));
  // Every scenario ranks all of its bots.
  for (const r of suite.table.rankings) assert.deepEqual([...r.ranking.map((x: { bot: string }) => x.bot)].sort(), [...bots].sort());
  assert.match(one.stdout, /normal\s+hodl\s+(PASS|FAIL)/);
  assert.match(one.stdout, /report: .*report\.html/);
  assert.ok(existsSync(join(dir, "w1", "report.html")));
  // The ensemble records its regime changes; the report draws them as a band per scenario.
  const ensemble = suite.runs.find((r: { scenario: string }) => r.scenario === "crash").bots.find((b: { name: string }) => b.name === "ensemble");
  assert.ok(ensemble.regimes.length > 0, "the ensemble recorded regimes");
  assert.match(readFileSync(join(dir, "w1", "report.html"), "utf8"), /data-chart="crash-regime"/);
  assert.ok(existsSync(join(dir, "w1", "runs", "crash", "seed-2", "summary.json")));
});

for (const [name, args, message] of [
  ["--workers 0", ["--workers", "0"], /--workers: "0" is not a positive integer/],
  ["an unknown scenario", ["--scenarios", "normal,meltdown"], /--scenarios: "meltdown" is not a built-in/],
  ["--seeds abc", ["--seeds", "abc"], /--seeds: "abc" is not a positive integer/],
  ["a duration that ends before a shock", ["--scenarios", "crash", "--duration", "10m"], /--duration: 600 s ends before crash's shock at 1800 s/],
] as const) {
  test(`${name}: exit 2 with the flag and value, and the previous report is left as it was`, () => {
    const out = join(dir, `bad-${name.replace(/\W+/g, "-")}`);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "report.html"), "previous");
    const r = arena("suite", ...args, "--out", out);
    assert.equal(r.status, 2);
    assert.match(r.stderr, message);
    assert.equal(readFileSync(join(out, "report.html"), "utf8"), "previous");
  });
}
