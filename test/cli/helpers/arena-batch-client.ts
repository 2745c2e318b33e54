// Runs several arena command lines in one child process (tsx starts once), for the CLI tests.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** One command line's exit code and output. */
export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs several command lines in one child process (tsx starts once), with `env` added to its environment, and returns their results in order. */
export function arenaBatch(runs: readonly (readonly string[])[], env: Readonly<Record<string, string>> = {}): Promise<Result[]> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ["--import", "tsx", "test/cli/helpers/arena-batch.ts", JSON.stringify(runs)], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => (status === 0 ? done(JSON.parse(stdout) as Result[]) : fail(new Error(`arena-batch exited ${status}: ${stderr}`))));
  });
}

/** Each refused command line exited 2 with one `arena: ` message matching its pattern, and printed nothing on stdout. */
export function assertRefused(results: readonly Result[], cases: readonly (readonly [readonly string[], RegExp])[]): void {
  cases.forEach(([args, message], k) => {
    const r = results[k];
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
    assert.ok(r.stderr.startsWith("arena: "));
    assert.equal(r.stdout, "");
  });
}
