// `arena train ppo` end to end: the files it writes, resume after a kill, refusals (exit 2) that leave a good checkpoint untouched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function start(args: readonly string[]): { child: ChildProcess; done: Promise<{ status: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["bin/arena.mjs", ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((ok, fail) => {
    child.on("error", fail);
    child.on("close", (status) => ok({ status, stdout, stderr }));
  });
  return { child, done };
}
const arena = (args: readonly string[]) => start(args).done;

const tmp = await mkdtemp(join(tmpdir(), "arena-train-"));
test.after(() => rm(tmp, { recursive: true, force: true }));

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

test("cartpole, 8 iterations: policy.json, checkpoint.json, curve.json, curve.csv and report.html; the policy loads in eval only for its own env", async () => {
  const out = join(tmp, "cp");
  const r = await arena(["train", "ppo", "--env", "cartpole", "--steps", "2048", "--seed", "2", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const files = (await readdir(out)).sort();
  assert.deepEqual(files, [".arena-output", "checkpoint.json", "curve.csv", "curve.json", "policy.json", "report.html"]);
  const ck = await readJson(join(out, "checkpoint.json"));
  assert.equal(ck.state.iteration, 8);
  assert.equal(ck.state.globalStep, 2048);
  assert.equal((await readJson(join(out, "curve.json"))).length, 8);
  assert.equal((await readFile(join(out, "curve.csv"), "utf8")).trimEnd().split("\n").length, 9);
  const p = await readJson(join(out, "policy.json"));
  assert.deepEqual([p.format, p.version, p.env, p.observationSpace.shape[0], p.actionSpace.n], ["btc-arena/policy", 1, "cartpole", 4, 2]);
  assert.match(await readFile(join(out, "report.html"), "utf8"), /mean episode return/);
  // A CartPole policy observes 4 values; the Avellaneda-Stoikov env gives 3.
  const e = await arena(["eval", "avellaneda-stoikov", "--policy", out, "--json"]);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /observes 4 values.*observation has 3/);
  assert.equal(e.stdout, "");
});

test("a run killed mid-way resumes from its last checkpoint: the saved curve is kept, the run ends at its steps with the uninterrupted run's policy", async () => {
  const out = join(tmp, "resume");
  const { child, done } = start(["train", "ppo", "--env", "cartpole", "--steps", "5120", "--out", out]);
  // Kill it once a checkpoint of at least 3 iterations is committed.
  for (;;) {
    const it = await readJson(join(out, "checkpoint.json")).then((c) => c.state.iteration as number, () => 0);
    if (it >= 3) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  child.kill("SIGKILL");
  await done;
  const r0 = await arena(["train", "ppo", "--resume", out]);
  assert.equal(r0.status, 0, r0.stderr);
  assert.match(r0.stdout, /resumed at (\d+)/);
  const resumedAt = Number(/resumed at (\d+)/.exec(r0.stdout)![1]);
  assert.ok(resumedAt >= 3 && resumedAt < 20, `resumed at ${resumedAt}`);
  const ck = await readJson(join(out, "checkpoint.json"));
  assert.equal(ck.state.iteration, 20);
  assert.equal(ck.state.globalStep, 5120);
  assert.equal(ck.state.curve.length, 20);
  assert.deepEqual(ck.state.curve.map((s: { iteration: number }) => s.iteration), Array.from({ length: 20 }, (_, i) => i + 1));
  // The resumed run is the uninterrupted one.
  const straight = join(tmp, "straight");
  const u = await arena(["train", "ppo", "--env", "cartpole", "--steps", "5120", "--out", straight]);
  assert.equal(u.status, 0, u.stderr);
  assert.equal(await readFile(join(out, "policy.json"), "utf8"), await readFile(join(straight, "policy.json"), "utf8"));
  // Resuming a finished run changes nothing but rewrites the same files.
  const again = await arena(["train", "ppo", "--resume", out, "--env", "cartpole"]);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual((await readJson(join(out, "checkpoint.json"))).state.curve, ck.state.curve);
  // Flags that contradict the checkpoint are refused.
  const clash = await arena(["train", "ppo", "--resume", out, "--seed", "9"]);
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /--seed: 9 differs from the checkpoint's 1/);
});

test("--workers 2: the checkpoint records the count, a resume keeps it and refuses another", async () => {
  const out = join(tmp, "workers");
  const r = await arena(["train", "ppo", "--env", "cartpole", "--steps", "512", "--workers", "2", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 rollout workers/);
  const ck = await readJson(join(out, "checkpoint.json"));
  assert.equal(ck.args.workers, 2);
  assert.equal(ck.state.iteration, 2);
  const clash = await arena(["train", "ppo", "--resume", out, "--workers", "1"]);
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /--workers: 1 differs from the checkpoint's 2/);
  const again = await arena(["train", "ppo", "--resume", out]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /resumed at 2\).*2 rollout workers/);
});

test("a corrupt checkpoint is refused with exit 2, naming the file, and left as it was", async () => {
  const out = join(tmp, "corrupt");
  const r = await arena(["train", "ppo", "--env", "cartpole", "--steps", "256", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const path = join(out, "checkpoint.json");
  for (const bad of ["{\"format\":\"btc-arena/ppo-checkpoint\",\"version\":1,", "{\"format\":\"btc-arena/ppo-checkpoint\",\"version\":1,\"env\":\"cartpole\"}"]) {
    await writeFile(path, bad);
    const x = await arena(["train", "ppo", "--resume", out]);
    assert.equal(x.status, 2);
    assert.match(x.stderr, /checkpoint .*checkpoint\.json is corrupt/);
    assert.equal(await readFile(path, "utf8"), bad);
  }
});

test("bad flags exit 2 with one message naming the flag: unknown env, non-positive steps, steps below one batch, --scenario, bad --workers", async () => {
  const out = join(tmp, "never");
  const cases: [string[], RegExp][] = [
    [["--env", "pong", "--steps", "1000"], /--env: "pong" is not an environment .*known: cartpole, avellaneda-stoikov/],
    [["--env", "cartpole", "--steps", "0"], /--steps: "0" is not a positive integer/],
    [["--env", "cartpole", "--steps", "-5"], /--steps/],
    [["--env", "cartpole", "--steps", "1.5"], /--steps: "1.5" is not a positive integer/],
    [["--env", "cartpole", "--steps", "100"], /--steps: 100 is less than one iteration of cartpole/],
    [["--scenario", "calm", "--steps", "1000"], /--scenario: scenario: "calm" is not a built-in \(known: normal, crash.*\) nor a .json file/],
    [["--scenario", "normal", "--steps", "1000"], /--steps: 1000 is less than one iteration of scenario:normal \(4 envs × 1000 steps = 4000\)/],
    [["--scenario", "normal", "--env", "cartpole", "--steps", "4000"], /--scenario "normal" and --env "cartpole": give one of them/],
    [["--env", "cartpole", "--workers", "0", "--steps", "1000"], /--workers: "0" is not a positive integer/],
    [["--env", "cartpole", "--workers", "two", "--steps", "1000"], /--workers: "two" is not a positive integer/],
    [["--env", "cartpole", "--workers", "1000000", "--steps", "1000"], /--workers: 1000000 is more than \d+, twice the \d+ cores here/],
    [["--steps", "1000"], /--env: missing/],
  ];
  const rs = await Promise.all(cases.map(([a]) => arena(["train", "ppo", ...a, "--out", out])));
  rs.forEach((r, i) => {
    assert.equal(r.status, 2, `${cases[i][0].join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
  });
  await assert.rejects(readdir(out));
});

test("PPO learns on avellaneda-stoikov in 24,000 steps: greedy profit on held-out seeds above 25 (one iteration: about 2; analytic agent: about 65)", async () => {
  const out = join(tmp, "as");
  const r = await arena(["train", "ppo", "--env", "avellaneda-stoikov", "--steps", "24000", "--seed", "1", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  // Training envs reset with seeds 1000..1007 and continue their streams; evaluation starts far from them.
  const e = await arena(["eval", "avellaneda-stoikov", "--policy", out, "--trajectories", "200", "--seed", "1000000", "--json"]);
  assert.equal(e.status, 0, e.stderr);
  const j = JSON.parse(e.stdout);
  assert.deepEqual(Object.keys(j).slice(0, 3), ["meanPnl", "stdPnl", "meanTerminalInventory"]);
  assert.equal(j.strategy, "policy");
  assert.ok(j.meanPnl > 25, `meanPnl ${j.meanPnl}`);
});
