// Everything that can be checked before a run is checked before it: bad scenario files, short durations, duplicate scenarios, too many workers and runs too large all exit 2 at once, writing nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";

interface Result { code: number; stdout: string; stderr: string }
const dir = tempDir("arena-limits-");

/** Runs several command lines in one child process (tsx starts once). */
function arenaBatch(runs: readonly (readonly string[])[]): Result[] {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/cli/helpers/arena-batch.ts", JSON.stringify(runs)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Result[];
}

/** The user's scenario files of issue 19: each passed the schema and failed late or ran uselessly. */
function scenarioFile(name: string, edit: (s: { initialPrice: number; populations: { type: string; count: number; params?: Record<string, unknown> }[] }) => void): string {
  const s = { name: "repro", duration: "2m", initialPrice: 30_000, populations: [{ type: "noise", count: 40, params: { ratePerMin: 3 } }, { type: "market-maker", count: 2 } as { type: string; count: number; params?: Record<string, unknown> }] };
  edit(s);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(s));
  return path;
}

const files: [string, string, RegExp][] = [
  ["count", scenarioFile("count", (s) => { s.populations[0].count = 31_000; }), /scenario\.populations\[0\]\.count: 31000 agents × 300000 quote coins each .* past 2\^53 − 1 = 9007199254740991; at most 30023 such agents fit/],
  ["two of a type", scenarioFile("dup", (s) => { s.populations.push({ type: "noise", count: 5 }); }), /scenario\.populations\[2\]\.type: "noise": .* give one of the two populations of this type its own "name"/],
  ["refreshMs 1e-9", scenarioFile("refresh-small", (s) => { s.populations[1].params = { refreshMs: 1e-9 }; }), /scenario\.populations\[1\]\.params\.refreshMs: 1e-9 is invalid: must be a time of at least 1 ns/],
  ["refreshMs 1e308", scenarioFile("refresh-big", (s) => { s.populations[1].params = { refreshMs: 1e308 }; }), /scenario\.populations\[1\]\.params\.refreshMs: 1e\+308 is invalid: must be a time of at least 1 ns .* at most 1 day/],
  ["initialPrice 1e308", scenarioFile("price-big", (s) => { s.initialPrice = 1e308; }), /scenario\.initialPrice: 1e\+308 is past the highest starting price/],
  ["initialPrice 1e-300", scenarioFile("price-small", (s) => { s.initialPrice = 1e-300; }), /scenario\.initialPrice: 1e-300 is 1e-298 ticks of 0\.01; it must be at least 10000 ticks/],
  ["quoteSize 1e308", scenarioFile("quote-size", (s) => { s.populations[1].params = { quoteSize: 1e308 }; }), /scenario\.populations\[1\]\.params\.quoteSize: 1e\+308 coins as one order .* it must be at most 29994 coins/],
];

test("the user's scenario files now exit 2 with the file, field, value and rule, before anything is written", () => {
  const results = arenaBatch(files.map(([name, file]) => ["run", file, "--seed", "1", "--out", join(dir, `out-${name}`)]));
  files.forEach(([name, file, message], i) => {
    assert.equal(results[i].code, 2, `${name}: ${results[i].stderr}`);
    assert.match(results[i].stderr, new RegExp(`^arena: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${message.source}`), name);
    assert.equal(existsSync(join(dir, `out-${name}`)), false, name);
  });
});

test("checks that used to come after the work come before it", () => {
  const long = join(dir, "quiet-long.json");
  // Three days of one slow trader and one slow maker: long, but small.
  writeFileSync(long, JSON.stringify({
    name: "quiet-long", duration: "3d", initialPrice: 30_000,
    populations: [{ type: "noise", count: 1, params: { ratePerMin: 0.01 } }, { type: "market-maker", count: 1, params: { refreshMs: 3_600_000 } }],
  }));
  const cases: [string[], number, RegExp][] = [
    [["run", "crash", "--seed", "1", "--duration", "10m", "--out", join(dir, "crash")], 2, /^arena: --duration: 600 s ends before crash's shock at 1800 s \("-30% repricing"\); give a duration longer than 1800 s\n$/],
    [["suite", "--scenarios", "normal,normal", "--out", join(dir, "suite-dup")], 2, /^arena: --scenarios: "normal" is listed twice; each scenario runs once per seed/],
    [["suite", "--workers", "1000", "--out", join(dir, "suite-w")], 2, /^arena: --workers: 1000 is more than \d+, twice the \d+ cores here: runs are CPU-bound/],
    [["backtest", "--data", "data/none.csv", "--strategy", "sma-cross", "--workers", "1000", "--out", join(dir, "bt")], 2, /^arena: --workers: 1000 is more than \d+, twice the \d+ cores here/],
    [["run", "normal", "--seed", "1", "--duration", "104d", "--out", join(dir, "long")], 2, /^arena: --max-memory: normal over 104 d needs about 11\.9 GB of memory \(.*52,200 orders an hour.*\), past the limit of 4 GB; give a shorter --duration or raise --max-memory\n$/],
    [["run", "normal", "--seed", "1", "--duration", "104d", "--max-memory", "20GB", "--max-disk", "1GB", "--out", join(dir, "long")], 2, /^arena: --max-disk: normal over 104 d writes about 7\.82 GB .* past the limit of 1 GB/],
    [["suite", "--scenarios", "normal", "--duration", "30d", "--max-memory", "20GB", "--out", join(dir, "suite-long")], 2, /^arena: --max-disk: the suite \(8 runs of up to 30 d on 2 workers\) writes about 18 GB .* past the limit of 10 GB/],
    [["run", "normal", "--seed", "1", "--max-memory", "lots", "--out", join(dir, "m")], 2, /^arena: --max-memory: "lots" is not a size such as 500MB, 8GB or 1TB/],
    [["run", long, "--seed", "1", "--out", join(dir, "quiet-long")], 0, /^arena: estimate for quiet-long over 3 d: about 200 MB of memory and 28\.5 KB of disk \(.* per order, at most 7 orders an hour × 72 h\)\n$/],
  ];
  const results = arenaBatch(cases.map(([args]) => args));
  cases.forEach(([args, code, message], i) => {
    assert.equal(results[i].code, code, `${args.join(" ")}: ${results[i].stderr}`);
    assert.match(results[i].stderr, message, args.join(" "));
  });
  for (const out of ["crash", "suite-dup", "suite-w", "bt", "long", "suite-long", "m"]) assert.equal(existsSync(join(dir, out)), false, out);
  assert.equal(JSON.parse(readFileSync(join(dir, "quiet-long", "summary.json"), "utf8")).simulatedSeconds, 3 * 86_400);
});

test("the help of --workers says why it is capped", () => {
  const [suite, backtest] = arenaBatch([["suite", "--help"], ["backtest", "--help"]]);
  for (const r of [suite, backtest]) assert.match(r.stdout.replace(/\s+/g, " "), /1 to \d+ \(2 × the \d+ cores here\): runs are CPU-bound, one per worker/);
  assert.match(suite.stdout.replace(/\s+/g, " "), /--max-memory <size>.*normal: at most 52,200 an hour, measured about 4\.5 MB an hour/);
});
