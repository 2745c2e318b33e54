// `arena eval avellaneda-stoikov` end to end: the JSON contract, the human table beside the paper, refusals with exit code 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function arena(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
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

test("--json prints one object whose first keys are meanPnl, stdPnl, meanTerminalInventory, and it reproduces the paper at γ = 0.1", async () => {
  const r = await arena(["eval", "avellaneda-stoikov", "--gamma", "0.1", "--trajectories", "1000", "--seed", "1", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split("\n").length, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j).slice(0, 3), ["meanPnl", "stdPnl", "meanTerminalInventory"]);
  for (const k of ["meanPnl", "stdPnl", "meanTerminalInventory"]) assert.equal(typeof j[k], "number");
  // Paper: 65.0 (6.6); 3 standard errors of the difference of two 1,000-trajectory samples is 0.89.
  assert.ok(Math.abs(j.meanPnl - 65.0) < 0.89, `meanPnl ${j.meanPnl}`);
  assert.ok(Math.abs(j.stdPnl / 6.6 - 1) < 0.1, `stdPnl ${j.stdPnl}`);
  assert.equal(j.trajectories, 1000);
});

test("the same flags print the same JSON; another seed other numbers; the defaults are γ 0.1, 1,000 trajectories, seed 1", async () => {
  const [a, b, c, d] = await Promise.all([
    arena(["eval", "avellaneda-stoikov", "--trajectories", "50", "--seed", "4", "--json"]),
    arena(["eval", "avellaneda-stoikov", "--trajectories", "50", "--seed", "4", "--json"]),
    arena(["eval", "avellaneda-stoikov", "--trajectories", "50", "--seed", "5", "--json"]),
    arena(["eval", "avellaneda-stoikov", "--json"]),
  ]);
  assert.equal(a.stdout, b.stdout);
  assert.notEqual(JSON.parse(a.stdout).meanPnl, JSON.parse(c.stdout).meanPnl);
  const j = JSON.parse(d.stdout);
  assert.deepEqual([j.gamma, j.trajectories, j.seed], [0.1, 1000, 1]);
});

test("without --json: a table of the inventory and symmetric agents, each beside the paper's row", async () => {
  const r = await arena(["eval", "avellaneda-stoikov", "--gamma", "0.1", "--trajectories", "200"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ours\s+inventory\s/m);
  assert.match(r.stdout, /^paper\s+inventory\s+1\.49\s+65\.00\s+6\.60\s+0\.08\s+2\.90$/m);
  assert.match(r.stdout, /^ours\s+symmetric\s/m);
  assert.match(r.stdout, /^paper\s+symmetric\s+1\.49\s+68\.40\s+12\.70/m);
});

test("bad flags, an unknown env and a missing --policy folder are refused with exit code 2, naming the flag, the value and the rule", async () => {
  const cases: [string[], RegExp][] = [
    [["--gamma", "0"], /--gamma: "0" is not a positive finite number/],
    [["--gamma", "-0.5"], /--gamma: "-0.5" is not a positive finite number/],
    [["--gamma", "Infinity"], /--gamma: "Infinity" is not a positive finite number/],
    [["--gamma", "1e400"], /--gamma: "1e400" is not a positive finite number/],
    [["--gamma", "0x10"], /--gamma: "0x10" is not a positive finite number/],
    [["--trajectories", "0"], /--trajectories: "0" is not an integer from 1 to 1000000/],
    [["--trajectories", "2.5"], /--trajectories: "2.5" is not an integer/],
    [["--trajectories", "1000001"], /--trajectories: "1000001" is not an integer from 1 to 1000000/],
    [["--seed", "x"], /--seed: "x" is not a non-negative integer/],
    [["--policy", "runs/no-such-ppo"], /--policy: policy runs\/no-such-ppo\/policy.json cannot be read \(ENOENT\)/],
  ];
  const results = await Promise.all(cases.map(([flags]) => arena(["eval", "avellaneda-stoikov", ...flags, "--json"])));
  results.forEach((r, i) => {
    assert.equal(r.status, 2, `${cases[i][0].join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
    assert.equal(r.stdout, "");
  });
  const unknown = await arena(["eval", "cartpole", "--json"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /env: "cartpole" is not an environment arena eval knows \(known: avellaneda-stoikov, market\)/);
});
