// `arena episode`: a window of real bars becomes a scenario file that `arena run` runs and tracks; bad flags exit 2 naming them and write nothing; a user's file is not replaced without --force.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";

interface Result { code: number; stdout: string; stderr: string }
const DATA = "data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz";
const dir = tempDir("arena-episode-");

/** Runs several command lines in one child process (tsx starts once). */
function arenaBatch(runs: readonly (readonly string[])[]): Result[] {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/cli/helpers/arena-batch.ts", JSON.stringify(runs)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Result[];
}

// Three hours of 10 March 2023, when BTC fell from 20,360 to under 19,830: a short window with a real move.
const WINDOW = ["--data", DATA, "--from", "2023-03-10T00:00:00Z", "--to", "2023-03-10T03:00:00Z"];
const file = join(dir, "fall.json");
const never = join(dir, "never.json");
const mine = join(dir, "mine.json");
writeFileSync(mine, "my notes\n");

const RUNS: string[][] = [
  ["episode", ...WINDOW, "--name", "fall", "--out", file],
  ["run", file, "--seed", "1", "--out", join(dir, "run")],
  ["run", file, "--seed", "2", "--duration", "20m", "--out", join(dir, "a")],
  ["run", file, "--seed", "2", "--duration", "20m", "--out", join(dir, "b")],
];
const BAD: [string[], RegExp][] = [
  [["--data", join(dir, "missing.csv"), "--from", "2023-03-10T00:00:00Z", "--to", "2023-03-10T03:00:00Z"], /^arena: --data: ".*missing\.csv" does not exist/],
  [["--data", DATA, "--from", "2023-03-10T03:00:00Z", "--to", "2023-03-10T00:00:00Z"], /^arena: --from: 2023-03-10T03:00:00Z is not before --to 2023-03-10T00:00:00Z/],
  [["--data", DATA, "--from", "2023-02-28T00:00:00Z", "--to", "2023-03-10T00:00:00Z"], /^arena: --from: 2023-02-28T00:00:00Z is outside the file/],
  [["--data", DATA, "--from", "2023-03-20T00:00:00Z", "--to", "2023-03-22T00:00:00Z"], /^arena: --to: 2023-03-22T00:00:00Z is outside the file/],
  [["--data", DATA, "--from", "2023-03-10T00:00:00Z", "--to", "2023-03-10T00:01:00Z"], /^arena: --to: .* leaves 2 bars after --from; an episode needs at least 3/],
  [["--data", DATA, "--from", "10 March", "--to", "2023-03-10T03:00:00Z"], /^arena: --from: "10 March" is not a time/],
  [["--data", DATA, "--from", "2023-03-10T00:00:00", "--to", "2023-03-10T03:00:00Z"], /^arena: --from: "2023-03-10T00:00:00" is not a time/],
  [[...WINDOW, "--name", "Fall!"], /^arena: --name: "Fall!" must be lower-case letters/],
  [[...WINDOW.slice(0, 2), "--from", "1678406400000", "--to", "1678406460000"], /^arena: --to: 2023-03-10T00:01:00Z leaves 2 bars/],
];
const OWN: string[][] = [
  ["episode", ...WINDOW, "--out", mine],
  ["episode", ...WINDOW, "--out", mine, "--force"],
  ["episode", ...WINDOW, "--name", "again", "--out", mine],
  ["episode", ...WINDOW, "--out", dir],
];
// One child process for every command line: tsx's start-up, not the commands, is most of the time.
const all = arenaBatch([...RUNS, ...BAD.map(([args]) => ["episode", ...args, "--out", never]), ...OWN]);
const runResults = all.slice(0, RUNS.length);
const badResults = all.slice(RUNS.length, RUNS.length + BAD.length);
const ownResults = all.slice(RUNS.length + BAD.length);

test("arena episode writes a scenario that arena run runs, tracking the real path, with the same digest for the same seed", () => {
  const [written, run, again1, again2] = runResults;
  assert.equal(written.code, 0, written.stderr);
  const spec = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(spec.fundamental.path.prices.length, 181);
  assert.equal(spec.initialPrice, 20_360.61);
  assert.equal(run.code, 0, run.stderr);
  const s = JSON.parse(readFileSync(join(dir, "run", "summary.json"), "utf8"));
  assert.equal(s.scenario, "fall");
  assert.match(run.stdout, /tracking the real path \(180 points\): return correlation 0\.\d+ at 1 min, 0\.\d+ at 10 min/);
  // Thresholds well under what seeds 1-6 gave (see the commit that set them), so only a run that stops following the path fails.
  assert.ok(s.tracking.correlation.tenMinutes > 0.95, `10-minute return correlation ${s.tracking.correlation.tenMinutes}`);
  assert.ok(s.tracking.correlation.bar > 0.85, `1-minute return correlation ${s.tracking.correlation.bar}`);
  assert.ok(s.tracking.trackingErrorPct < 0.2, `tracking error ${s.tracking.trackingErrorPct}%`);
  assert.equal(again1.code, 0, again1.stderr);
  assert.equal(again2.code, 0, again2.stderr);
  const digest = (d: string) => JSON.parse(readFileSync(join(dir, d, "summary.json"), "utf8")).digest;
  assert.equal(digest("a"), digest("b"));
});

test("bad flags exit 2 naming the flag and the value, and write nothing", () => {
  badResults.forEach((r, i) => {
    assert.equal(r.code, 2, `${BAD[i][0].join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, BAD[i][1]);
  });
  assert.equal(existsSync(never), false);
});

test("an --out file arena episode did not write is left untouched unless --force; its own file is replaced", () => {
  const [refused, forced, rewritten, folder] = ownResults;
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--out: ".*mine\.json" exists and arena episode did not write it .* add --force to replace it/);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(rewritten.code, 0, rewritten.stderr);
  assert.equal(JSON.parse(readFileSync(mine, "utf8")).name, "again");
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /--out: .* is a folder/);
});
