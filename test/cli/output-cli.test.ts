// The output rule through the commands: run, suite and backtest refuse a bad --out before any work, and bad input leaves an old output as it was.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { OUTPUT_MARKER } from "../../cli/output.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { arenaBatch } from "./helpers/arena-batch-client.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TMP = tempDir("arena-output-cli-");
const FIXTURE = join(ROOT, "test/fixtures/sma-cross-15.csv");
const SMA = ["--strategy", "sma-cross", "--params", '{"fast":2,"slow":3,"timeframe":"1m"}'];



/** Every file under `dir` (relative path → sha256 of its bytes), to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out[`${rel}${name}`] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir, "");
  return out;
}

const folder = (name: string, files: Record<string, string>) => {
  const d = join(TMP, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
};

const RUN = join(TMP, "run");
const BT = join(TMP, "bt");
const T1 = join(TMP, "runs", "t1");
const IN = folder("in", {});
copyFileSync(FIXTURE, join(IN, "bars.csv"));
const RC = folder("rc", { "rules.json": '{"stopLossPct":0.05}' });
const SCEN = folder("scen", {});
copyFileSync(join(ROOT, "scenarios/examples/quiet-crash.json"), join(SCEN, "q.json"));
const FOREIGN = folder("foreign", { "thesis.tex": "years of work" });
const FORCED = folder("forced", { "old-notes.txt": "replace me" });
const AFILE = join(TMP, "a-file.txt");
writeFileSync(AFILE, "not a folder");
const BAD_CSV = join(TMP, "bad.csv");
writeFileSync(BAD_CSV, "timestamp,open,high,low,close,volume\n2023-03-01T00:00:00Z,10,11,9,10,1\n2023-03-01T00:01:00Z,10,11,9,abc,1\n");
const BAD_SCEN = join(TMP, "bad-scenario.json");
writeFileSync(BAD_SCEN, JSON.stringify({ name: "x", duration: "1h", initialPrice: 1, populations: [{ type: "whale", count: 1 }] }));
const SUITE = ["suite", "--scenarios", "crash", "--seeds", "1", "--duration", "31m", "--workers", "1", "--no-png"];

/** First the outputs the refusals must leave alone, then the refusals and reruns, each batch in one process. */
const outputs = arenaBatch([
  ["run", "smoke", "--seed", "1", "--duration", "2m", "--out", RUN],
  ["backtest", "--data", FIXTURE, ...SMA, "--out", BT],
]);
const before = outputs.then(() => ({ run: snapshot(RUN), bt: snapshot(BT) }));

const REFUSALS: [string, string[], RegExp, string?][] = [
  ["bad scenario file into an existing run", ["run", BAD_SCEN, "--seed", "1", "--out", RUN], /populations\[0\]\.type: "whale" is not a known type/],
  ["bad --data into an existing backtest", ["backtest", "--data", BAD_CSV, ...SMA, "--out", BT], /--data: .*bad\.csv: 1 problem/],
  ["backtest --out holding its --data", ["backtest", "--data", join(IN, "bars.csv"), ...SMA, "--out", IN], /--out: ".*in" holds the input --data ".*bars\.csv"/, IN],
  ["backtest --out holding its --risk-config file", ["backtest", "--data", FIXTURE, ...SMA, "--risk-config", join(RC, "rules.json"), "--out", `${RC}/`], /--out: ".*rc\/" holds the input --risk-config/, RC],
  ["run FILE --out holding the scenario file", ["run", join(SCEN, "q.json"), "--seed", "1", "--out", SCEN], /--out: ".*scen" holds the input scenario/, SCEN],
  ["run --out a folder of the user's files", ["run", "smoke", "--seed", "1", "--duration", "2m", "--out", FOREIGN], /--out: ".*foreign" holds files arena did not write \(no \.arena-output marker\).*--force/, FOREIGN],
  ["suite --out a file", [...SUITE, "--out", AFILE], /--out: ".*a-file\.txt" is a file/],
  ["backtest --out a file", ["backtest", "--data", FIXTURE, ...SMA, "--out", AFILE], /--out: ".*a-file\.txt" is a file/],
];
const results = before.then(() =>
  arenaBatch([
    ...REFUSALS.map(([, args]) => args),
    ["run", "smoke", "--seed", "1", "--duration", "2m", "--out", FORCED, "--force"],
    ["run", "smoke", "--seed", "2", "--duration", "2m", "--out", `${RUN}/`],
    [...SUITE, "--out", `${T1}/`],
    [...SUITE, "--out", `${T1}/`],
  ]),
);

test("each bad --out or bad input exits 2 with one message naming the flag, the value and the rule, before any work, changing nothing", async () => {
  const [all, old] = await Promise.all([results, before]);
  for (const [k, [name, , message, untouched]] of REFUSALS.entries()) {
    const r = all[k];
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, message, name);
    // One message, and no progress line nor data-gap warning: the refusal came before any run.
    assert.ok(r.stderr.startsWith("arena: ") && !/\[\d+\/\d+\]|warning/.test(r.stderr), `${name}: ${r.stderr}`);
    assert.equal(r.stdout, "", name);
    if (untouched !== undefined) assert.ok(!existsSync(join(untouched, OUTPUT_MARKER)), `${name}: nothing written`);
  }
  assert.equal(readFileSync(AFILE, "utf8"), "not a folder");
  assert.deepEqual(snapshot(FOREIGN), { "thesis.tex": createHash("sha256").update("years of work").digest("hex") });
  assert.deepEqual(readdirSync(IN), ["bars.csv"]);
  assert.deepEqual(readdirSync(SCEN), ["q.json"]);
  assert.deepEqual(readdirSync(RC), ["rules.json"]);
  // Issue 20: a refused input leaves the earlier output byte for byte.
  assert.deepEqual(snapshot(BT), old.bt);
  assert.ok(Object.keys(old.bt).includes(OUTPUT_MARKER));
  assert.ok(Object.keys(old.run).includes("summary.json"));
});

test("--force replaces a folder of the user's files; a rerun with a trailing slash replaces arena's own output whole", async () => {
  const [all, old] = await Promise.all([results, before]);
  const [forced, rerun] = all.slice(REFUSALS.length, REFUSALS.length + 2);
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(!existsSync(join(FORCED, "old-notes.txt")));
  assert.ok(existsSync(join(FORCED, OUTPUT_MARKER)));
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.equal(JSON.parse(readFileSync(join(RUN, "summary.json"), "utf8")).seed, 2);
  assert.notDeepEqual(snapshot(RUN)["trades.arrow"], old.run["trades.arrow"]);
  assert.deepEqual(Object.keys(snapshot(RUN)).sort(), Object.keys(old.run).sort());
});

test("suite --out runs/t1/ (trailing slash) writes runs/t1 and reruns into it; nothing is left beside it", async () => {
  const all = await results;
  const [first, second] = all.slice(REFUSALS.length + 2);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /report: .*runs\/t1\/report\.html\nsuite: {2}.*runs\/t1\/suite\.json/);
  assert.deepEqual(readdirSync(join(TMP, "runs")), ["t1"]);
  assert.deepEqual(readdirSync(T1).sort(), [OUTPUT_MARKER, "report.html", "runs", "suite.json"]);
  assert.ok(existsSync(join(T1, "runs", "crash", "seed-1", "summary.json")));
});

test("--out . and --out .. are refused from any folder, which keeps its files", () => {
  const cwd = folder("cwd/here", { "keep.txt": "keep" });
  for (const value of [".", "..", "./"]) {
    const r = spawnSync(process.execPath, [join(ROOT, "bin/arena.mjs"), "run", "smoke", "--seed", "1", "--duration", "2m", "--out", value], { cwd, encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--out: "${value.replace(/\./g, "\\.")}" is the current folder or one of its ancestors`));
  }
  assert.deepEqual(readdirSync(cwd), ["keep.txt"]);
  assert.deepEqual(readdirSync(join(TMP, "cwd")), ["here"]);
});
