// Kill tests of the output rule: a process SIGKILLed at any moment leaves, after the next command's recovery, the whole old output or the whole new one.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import seedrandom from "seedrandom";
import { OUTPUT_MARKER, openOutput } from "../../cli/output.ts";
import { runFolderProblem } from "../../experiments/run-integrity.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Resolves once the child printed `line` (or at once when `line` is undefined). */
function started(child: ChildProcess, line?: string): Promise<void> {
  if (line === undefined) return Promise.resolve();
  return new Promise((done, fail) => {
    let seen = "";
    child.stdout!.on("data", (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(line)) done();
    });
    child.on("exit", () => fail(new Error(`child exited before printing ${line}`)));
  });
}

/** Kills `child` with SIGKILL `afterMs` after it started, and waits for it to be gone. */
async function killAfter(child: ChildProcess, afterMs: number): Promise<void> {
  const gone = new Promise((done) => child.on("exit", done));
  await sleep(afterMs);
  child.kill("SIGKILL");
  await gone;
}

/** What the next command finds: recovery done (as openOutput does it), nothing written. */
async function recover(out: string): Promise<void> {
  const o = await openOutput({ command: "run", value: out });
  await o.abandon();
}

test("a swap killed at seeded random moments always leaves one whole generation, and nothing beside it", async () => {
  const dir = tempDir("arena-kill-");
  const out = join(dir, "out");
  const rng = seedrandom("output-kill-swap");
  let gen = 0;
  const o = await openOutput({ command: "run", value: out });
  await o.write(async (d) => writeFileSync(join(d, "manifest.json"), JSON.stringify({ gen: 0, files: 0 })));
  const seen = new Set<number>();
  let leftovers = 0;
  for (let k = 0; k < 12; k++) {
    const child = spawn(process.execPath, ["--import", "tsx", "test/cli/helpers/swap-loop.ts", out, String(gen + 1)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    await started(child, "ready");
    await killAfter(child, Math.floor(rng() * 150));
    if (readdirSync(dir).some((n) => n !== "out")) leftovers++;
    await recover(out);
    assert.deepEqual(readdirSync(dir), ["out"], "no staging, aside copy or lock left after recovery");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { gen: number; files: number };
    const names = readdirSync(out).sort();
    assert.deepEqual(names, [OUTPUT_MARKER, ...Array.from({ length: manifest.files }, (_, i) => `f${i}.txt`), "manifest.json"].sort());
    for (let i = 0; i < manifest.files; i++) {
      assert.equal(readFileSync(join(out, `f${i}.txt`), "utf8"), `gen ${manifest.gen}\n`.repeat(200), `f${i}.txt belongs to generation ${manifest.gen}`);
    }
    assert.ok(manifest.gen >= gen, "never an older generation than the one found before");
    gen = manifest.gen;
    seen.add(gen);
  }
  assert.ok(seen.size > 1, `the kills landed after some swaps (generations seen: ${[...seen].join(", ")})`);
  assert.ok(leftovers > 0, "some kills landed while a staging folder or lock was there to recover");
});

test("arena run killed at seeded random moments leaves the old run or the new one, whole, and facts --run accepts it", async () => {
  const dir = tempDir("arena-kill-");
  const out = join(dir, "run");
  const arena = (seed: number) => spawn(process.execPath, ["bin/arena.mjs", "run", "smoke", "--seed", String(seed), "--duration", "2m", "--out", out], { cwd: ROOT, stdio: "ignore" });
  // A whole run first: the old output, and how long a run takes here.
  const t0 = performance.now();
  const first = arena(1);
  await new Promise((done) => first.on("exit", done));
  const full = performance.now() - t0;
  const rng = seedrandom("output-kill-run");
  const seeds = new Set<number>();
  for (let k = 0; k < 5; k++) {
    const before = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).seed as number;
    // Killed somewhere in the second half of a run: its writes and its swap.
    await killAfter(arena(before === 1 ? 2 : 1), full * (0.5 + 0.6 * rng()));
    await recover(out);
    assert.ok(existsSync(join(out, OUTPUT_MARKER)));
    assert.equal(await runFolderProblem(out), null);
    const seed = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).seed as number;
    assert.ok(seed === 1 || seed === 2);
    seeds.add(seed);
    assert.deepEqual(readdirSync(dir), ["run"]);
  }
});
