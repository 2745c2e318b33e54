// Starts `arena trade` (or any arena command) as a child process the test can wait on, signal and read, for the kill and restart tests.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface Running {
  readonly p: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout matches `re` (with the match), or rejects after `ms` naming what was printed. */
  until(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

/** `node bin/arena.mjs ...args` in the repository, with `env` added. */
export function arena(args: readonly string[], env: Readonly<Record<string, string>> = {}): Running {
  const p = spawn(process.execPath, ["bin/arena.mjs", ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  p.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  p.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => p.on("close", (code, signal) => ok({ code, signal })));
  return {
    p,
    stdout: () => out,
    stderr: () => err,
    exited,
    until: (re, ms = 30_000) => new Promise((ok, fail) => {
      const check = () => {
        const m = out.match(re);
        if (m !== null) {
          clearTimeout(timer);
          ok(m);
        }
      };
      const timer = setTimeout(() => fail(new Error(`stdout never matched ${re} within ${ms} ms:\n${out}\nstderr:\n${err}`)), ms);
      waiters.push(check);
      void exited.then(() => setTimeout(check, 0));
      check();
    }),
  };
}

/** A config file pointing `arena trade` at the venue `url` (the served one or a proxy before it). */
export function tradeConfig(dir: string, url: string, extra: Record<string, unknown> = {}): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ exchange: { urls: { public: `${url}/api/v3`, private: `${url}/api/v3` }, rateLimitMs: 2, timeoutMs: 5000 }, ...extra }));
  return path;
}
