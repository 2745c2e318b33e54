// PBO agrees with a second, independent implementation (test/experiments/pbo_reference.py) on fixed performance matrices.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import seedrandom from "seedrandom";
import { probabilityOfBacktestOverfitting, type PboResult } from "../../experiments/metrics/pbo.ts";

const SCRIPT = fileURLToPath(new URL("./pbo_reference.py", import.meta.url));
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

interface Reference {
  readonly pbo: number;
  readonly logits: number[];
  readonly best: number[];
  readonly oosRank: number[];
  readonly inSample: number[][];
}

/** Why the reference cannot run here, or undefined when python3 answers. */
function pythonMissing(): string | undefined {
  const r = spawnSync("python3", ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (r.error !== undefined) return `python3 could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) return `python3 --version exited with ${r.status}: ${r.stderr.trim()}`;
  return undefined;
}

function reference(matrix: readonly (readonly number[])[], blocks: number, metric: "sharpe" | "mean"): Reference {
  const r = spawnSync("python3", [SCRIPT], { input: JSON.stringify({ matrix, blocks, metric }), encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.error !== undefined) throw r.error;
  assert.equal(r.status, 0, `pbo_reference.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Reference;
}

function assertAgree(ours: PboResult, ref: Reference, what: string): void {
  assert.equal(ours.combinations.length, ref.logits.length, `${what}: combinations`);
  assert.deepEqual(ours.combinations.map((c) => c.inSample), ref.inSample, `${what}: in-sample halves, in order`);
  assert.deepEqual(ours.combinations.map((c) => c.best), ref.best, `${what}: in-sample winners`);
  assert.deepEqual(ours.combinations.map((c) => c.oosRank), ref.oosRank, `${what}: out-of-sample ranks`);
  const worst = Math.max(...ours.logits.map((l, i) => Math.abs(l - ref.logits[i])));
  assert.ok(worst <= 1e-12, `${what}: logits differ by up to ${worst}`);
  assert.ok(Math.abs(ours.pbo - ref.pbo) <= 1e-12, `${what}: PBO ${ours.pbo} vs the reference's ${ref.pbo}`);
}

const missing = pythonMissing();
const skip = missing === undefined ? false : `skipped: the independent reference needs python3, and ${missing}`;

test("PBO, every combination's winner, out-of-sample rank and logit agree with the Python reference to 1e-12: 200 x 9 returns, S = 16 and 8, Sharpe ranking", { skip }, () => {
  const rng = seedrandom.alea("pbo-reference");
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  // Nine configurations: five pure noise, four with a small edge of different sizes, so PBO is
  // neither 0 nor about 1/2; 200 rows leave 8 (S = 16) to drop from the tail.
  const drift = [0, 0, 0, 0, 0, 0.05, 0.1, 0.15, 0.2];
  const m = Array.from({ length: 200 }, () => drift.map((d) => d + gauss()));
  for (const blocks of [16, 8]) {
    const ours = probabilityOfBacktestOverfitting(m, { blocks });
    assertAgree(ours, reference(m, blocks, "sharpe"), `S = ${blocks}`);
    assert.ok(ours.pbo > 0 && ours.pbo < 0.5, `S = ${blocks}: PBO ${ours.pbo} reflects the edge`);
  }
});

test("with the mean as metric and many ties (integer returns), tied out-of-sample ranks are shared the same way in both", { skip }, () => {
  const rng = seedrandom.alea("pbo-reference-ties");
  const m = Array.from({ length: 48 }, () => Array.from({ length: 6 }, () => Math.floor(rng() * 5) - 2));
  const ours = probabilityOfBacktestOverfitting(m, { blocks: 8, metric: mean });
  assertAgree(ours, reference(m, 8, "mean"), "ties");
  assert.ok(ours.combinations.some((c) => !Number.isInteger(c.oosRank)), "some winner shares its out-of-sample rank");
});

test("the hand-worked example of pbo.test.ts (T = 8, N = 3, S = 4, mean): PBO 1/3 in both", { skip }, () => {
  const m = [[2, 0, 0], [2, 1, 0], [1, 1, 1], [1, 1, 2], [-1, 2, 1], [-1, 2, 0], [0, 1, 0], [-1, 2, 0]];
  const ref = reference(m, 4, "mean");
  assertAgree(probabilityOfBacktestOverfitting(m, { blocks: 4, metric: mean }), ref, "worked example");
  assert.ok(Math.abs(ref.pbo - 1 / 3) <= 1e-12);
});

test("the pbo R package's vignette example (100 trials of 2,400 returns, each rescaled to the same mean 0 and sd 1/sqrt(252), Sharpe over a 0.03/252 risk-free rate, S = 8) gives its published PBO of 1, in both", { skip }, () => {
  // The vignette draws with R's set.seed(765); the result hardly hinges on the draws: every trial
  // has the same full-sample mean and sd, so a half above it in sample is below it out of sample
  // (exactly for the mean, nearly for the Sharpe ratio), and the winner lands in the bottom half.
  const rng = seedrandom.alea("pbo-vignette");
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const n = 100;
  const t = 2400;
  const cols = Array.from({ length: n }, () => {
    const c = Array.from({ length: t }, gauss);
    const mu = mean(c);
    const sd = Math.sqrt(c.reduce((a, x) => a + (x - mu) ** 2, 0) / (t - 1));
    return c.map((x) => ((x - mu) * (1 / Math.sqrt(252))) / sd - 0.03 / 252);
  });
  const m = Array.from({ length: t }, (_, r) => cols.map((c) => c[r]));
  const ours = probabilityOfBacktestOverfitting(m, { blocks: 8 });
  assert.equal(ours.pbo, 1);
  assertAgree(ours, reference(m, 8, "sharpe"), "vignette");
});
