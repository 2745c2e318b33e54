// `arena run FILE` runs a scenario file; an invalid file is refused naming the field, writing nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";

const arena = (...args: string[]) => spawnSync(process.execPath, ["bin/arena.mjs", ...args], { encoding: "utf8" });

test("a scenario file runs like a built-in, under its own name", () => {
  const out = join(tempDir("arena-file-"), "run");
  const r = arena("run", "scenarios/examples/quiet-crash.json", "--seed", "3", "--duration", "21m", "--out", out);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary.scenario, "quiet-crash");
  assert.equal(summary.durationNs, 21 * 60e9);
  assert.ok(summary.events.trade > 0);
});

test("an invalid scenario file exits 2 with the file, field and value, and writes nothing", () => {
  const dir = tempDir("arena-file-");
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ name: "x", duration: "1h", initialPrice: 1, populations: [{ type: "whale", count: 1 }] }));
  const out = join(dir, "out");
  const r = arena("run", bad, "--seed", "1", "--out", out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json: scenario\.populations\[0\]\.type: "whale" is not a known type/);
  assert.equal(existsSync(out), false);
});
