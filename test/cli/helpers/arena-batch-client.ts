// Runs several arena command lines in one child process (tsx starts once), for the CLI tests.
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

/** Runs several command lines in one child process (tsx starts once) and returns their results in order. */
export function arenaBatch(runs: readonly (readonly string[])[]): Promise<Result[]> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ["--import", "tsx", "test/cli/helpers/arena-batch.ts", JSON.stringify(runs)], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (status) => (status === 0 ? done(JSON.parse(stdout) as Result[]) : fail(new Error(`arena-batch exited ${status}: ${stderr}`))));
  });
}
