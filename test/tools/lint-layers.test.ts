// `npm run lint:layers` bites: on a small tree with the repo's own rule files, each broken layer rule fails the run, named by file and line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const RUNNER = join(ROOT, "tools/lint-layers.mjs");

/** Files every fixture tree has, all within the rules. */
const GOOD: Record<string, string> = {
  "market/exchange.ts": "export interface Exchange { milliseconds(): number }\n",
  "market/sim-venue.ts": "export const venue = 1;\n",
  "sim/kernel.ts": 'import type { Exchange } from "../market/exchange.ts";\nexport interface AgentContext { readonly ex: Exchange }\n',
  "agents/bots/good-bot.ts": 'import type { Exchange } from "../../market/exchange.ts";\nexport const tick = (ex: Exchange): number => ex.milliseconds();\n',
  "agents/noise.ts": 'import type { AgentContext } from "../sim/kernel.ts";\nexport const ctx = (c: AgentContext) => c;\n',
  // cli/main.ts alone may time a run with performance.now().
  "cli/main.ts": 'import { ctx } from "../agents/noise.ts";\nexport const wall = () => performance.now();\nexport { ctx };\n',
  "live/clock.ts": "export const now = (): number => Date.now() + Math.random();\n",
  "live/serve/venue.ts": 'import type { AgentContext } from "../../sim/kernel.ts";\nexport type Ctx = AgentContext;\n',
};

/** Each breaks one rule, on the line given: [file, contents, line, rule]. */
const BAD: readonly (readonly [string, string, number, string])[] = [
  ["agents/bots/bad-bot.ts", '// a bot written against the kernel\nimport type { AgentContext } from "../../sim/kernel.ts";\nexport type C = AgentContext;\n', 2, "bots-strategies-risk-not-sim"],
  ["agents/strategies/venue-peek.ts", 'import { venue } from "../../market/sim-venue.ts";\nexport const v = venue;\n', 1, "bots-strategies-risk-not-sim"],
  ["market/up.ts", 'import type { AgentContext } from "../sim/kernel.ts";\nexport type C = AgentContext;\n', 1, "market-not-upward"],
  ["live/paper.ts", 'import type { AgentContext } from "../sim/kernel.ts";\nexport type C = AgentContext;\n', 1, "live-not-sim"],
  ["experiments/fetcher.ts", 'import { get } from "node:https";\nexport const g = get;\n', 1, "network-only-in-live"],
  ["market/clock-leak.ts", "export const x = 1;\nexport const now = (): number => Date.now();\n", 2, "no-restricted-properties"],
  ["agents/coin.ts", "export const flip = (): boolean => Math.random() < 0.5;\n", 1, "no-restricted-properties"],
  ["scenarios/today.ts", "export const today = (): string => new Date().toISOString();\n", 1, "no-restricted-syntax"],
  ["cli/other.ts", "export const wall = (): number => performance.now();\n", 1, "no-restricted-globals"],
  ["sim/wait.ts", "export const later = (f: () => void): void => void setTimeout(f, 10);\n", 1, "no-restricted-globals"],
];

/** A tree with the repo's rule files and node_modules, and `files`. */
function tree(files: Record<string, string>): string {
  const dir = tempDir("arena-layers-");
  for (const f of [".dependency-cruiser.cjs", "eslint.config.js", "tsconfig.json", "package.json"]) copyFileSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function lint(cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [RUNNER], { cwd, timeout: 90_000 });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => done({ status, stdout, stderr }));
  });
}

test("lint:layers fails on each broken rule, naming file, line and rule, and passes what the rules allow", { timeout: 120_000 }, async () => {
  const [bad, good] = await Promise.all([
    lint(tree({ ...GOOD, ...Object.fromEntries(BAD.map(([f, text]) => [f, text])) })),
    lint(tree(GOOD)),
  ]);

  assert.equal(good.stderr, "");
  assert.equal(good.status, 0, good.stdout);
  assert.match(good.stdout, /no violations/);

  assert.equal(bad.stderr, "");
  assert.equal(bad.status, 1, bad.stdout);
  const lines = bad.stdout.trimEnd().split("\n");
  for (const [file, , line, rule] of BAD) {
    const hit = lines.find((l) => l.startsWith(`${file}:${line}`));
    assert.ok(hit !== undefined, `${file}:${line} is not named in:\n${bad.stdout}`);
    assert.ok(hit.includes(rule), `${file}:${line} is named without ${rule}: ${hit}`);
  }
  for (const file of Object.keys(GOOD)) assert.ok(!bad.stdout.includes(`${file}:`), `${file} is within the rules, yet named:\n${bad.stdout}`);
  assert.equal(lines.length, BAD.length + 1, bad.stdout); // one line a violation, and the count
});
