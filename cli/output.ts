// The one output rule of every command that writes: --out is a folder the command owns, built beside it and swapped in whole.
import { mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, stat, lstat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "./args.ts";

/** The file every output folder holds: it marks the folder as arena's, so a rerun may replace it. */
export const OUTPUT_MARKER = ".arena-output";

/** What a command asks of its output folder. */
export interface OutputRequest {
  /** The command, written into the marker ("run", "suite", "backtest"). */
  readonly command: string;
  /** The flag naming the folder, for messages. Default "--out". */
  readonly flag?: string;
  /** The folder as the user gave it. */
  readonly value: string;
  /** Replace a folder that holds files arena did not write. */
  readonly force?: boolean;
  /** Files the command reads: the output may not hold them, nor their folders. */
  readonly inputs?: readonly { readonly flag: string; readonly path: string }[];
  /** The working directory; default process.cwd(). */
  readonly cwd?: string;
}

/**
 * An output folder being written: `dir` is the staging folder to write into; `commit` swaps it
 * in for the old output (which a kill at any moment leaves whole, old or new, for the next
 * command's recovery); `abandon` removes it and leaves the old output as it was.
 */
export interface Output {
  /** The staging folder, a sibling of `path`: write everything here. */
  readonly dir: string;
  /** The output folder, absolute, symlinks of its existing part resolved. */
  readonly path: string;
  commit(): Promise<void>;
  abandon(): Promise<void>;
  /** Runs `work` on the staging folder, then commits; abandons when `work` throws. */
  write<T>(work: (dir: string) => Promise<T>): Promise<T>;
}

/** The siblings of an output folder that the swap uses, all in the same parent so renames are atomic. */
export function outputSiblings(path: string): { staging: string; aside: string; lock: string } {
  const parent = dirname(path);
  const name = basename(path);
  return { staging: join(parent, `.${name}.arena-staging`), aside: join(parent, `.${name}.arena-old`), lock: join(parent, `.${name}.arena-lock`) };
}

/** True when `a` is `b` or one of its ancestors (both absolute, normalised). */
function holds(a: string, b: string): boolean {
  const rel = relative(a, b);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

const codeOf = (err: unknown): unknown => (err as { code?: unknown }).code;

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (codeOf(err) === "ENOENT" || codeOf(err) === "ENOTDIR") return false;
    throw err;
  }
}

/** `path` absolute with the symlinks of its existing part resolved; `through` is set when that part ends in a file. */
async function realish(path: string): Promise<{ real: string; through?: string }> {
  let p = resolve(path);
  const rest: string[] = [];
  while (!(await exists(p))) {
    const up = dirname(p);
    if (up === p) break;
    rest.unshift(basename(p));
    p = up;
  }
  const real = await realpath(p);
  const through = rest.length > 0 && !(await stat(real)).isDirectory() ? real : undefined;
  return { real: join(real, ...rest), ...(through === undefined ? {} : { through }) };
}

/**
 * `mkdir -p` one level at a time (Node's recursive mkdir spins forever where the kernel answers
 * ENOENT for an existing parent, as /proc does). @returns the first folder it made, if any.
 */
async function mkdirs(path: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let p = path; !(await exists(p)); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) await mkdir(p);
  return missing[0];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return codeOf(err) === "EPERM";
  }
}

/**
 * Puts back what a killed swap left: the old output when the new one never arrived, else
 * deletes the old copy; deletes a stale staging folder. Each step is safe to repeat.
 */
export async function recoverOutput(path: string): Promise<void> {
  const { staging, aside } = outputSiblings(path);
  if (await exists(aside)) {
    if (await exists(path)) await rm(aside, { recursive: true, force: true });
    else await rename(aside, path);
  }
  await rm(staging, { recursive: true, force: true });
}

/** Holds `lock` for this process; a lock whose process is gone (killed) is taken over. */
async function takeLock(lock: string, refuse: (rule: string) => UsageError): Promise<void> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fh = await open(lock, "wx");
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      return;
    } catch (err) {
      if (codeOf(err) !== "EEXIST") throw err;
    }
    const pid = Number((await readFile(lock, "utf8").catch(() => "")).trim());
    if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) {
      throw refuse(`is being written by another arena command (pid ${pid}); wait for it to finish, or delete ${lock} if no such command runs`);
    }
    await rm(lock, { force: true });
  }
  throw refuse(`cannot take its lock ${lock}`);
}

/**
 * Checks `--out` against the rule, before any work, and opens it for writing:
 * refuses (UsageError, exit 2) an --out that is a file, the current folder or one of its
 * ancestors, a folder that holds an input or an input's folder, a folder that cannot be
 * written, and a non-empty folder without arena's marker unless `force`. Recovers the
 * leftovers of a killed swap first, and holds a lock on the output until commit or abandon.
 */
export async function openOutput(req: OutputRequest): Promise<Output> {
  const flag = req.flag ?? "--out";
  const refuse = (rule: string) => new UsageError(`${flag}: ${JSON.stringify(req.value)} ${rule}`);
  const { real: path, through } = await realish(resolve(req.cwd ?? process.cwd(), req.value));
  if (through !== undefined) throw refuse(`cannot be written: ${through} is a file, not a folder`);
  const cwd = (await realish(req.cwd ?? process.cwd())).real;
  if (holds(path, cwd)) {
    throw refuse(`is the current folder or one of its ancestors; --out names a folder the command owns and replaces whole: give one of its own, such as runs/NAME`);
  }
  for (const input of req.inputs ?? []) {
    const folder = dirname((await realish(resolve(req.cwd ?? process.cwd(), input.path))).real);
    if (holds(path, folder)) {
      throw refuse(`holds the input ${input.flag} ${JSON.stringify(input.path)}; --out is replaced whole, so give a folder apart from the inputs`);
    }
  }
  const parent = dirname(path);
  let made: string | undefined;
  try {
    made = await mkdirs(parent);
  } catch (err) {
    throw refuse(`cannot be written: its folder ${parent} cannot be created (${String(codeOf(err) ?? (err as Error).message)})`);
  }
  const { staging, lock } = outputSiblings(path);
  const undoParents = async () => {
    if (made === undefined) return;
    // mkdir made `made` and everything under it down to `parent`: remove them if still empty.
    for (let p = parent; holds(made, p); p = dirname(p)) {
      try {
        await rmdir(p);
      } catch {
        return;
      }
    }
  };
  try {
    await takeLock(lock, refuse);
  } catch (err) {
    await undoParents();
    if (err instanceof UsageError) throw err;
    throw refuse(`cannot be written: ${parent} refuses new files (${String(codeOf(err) ?? (err as Error).message)})`);
  }
  const release = async () => {
    await rm(lock, { force: true });
    await undoParents();
  };
  try {
    await recoverOutput(path);
    if (await exists(path)) {
      if (!(await stat(path)).isDirectory()) throw refuse(`is a file; --out names a folder the command owns and replaces whole`);
      const names = await readdir(path);
      if (names.length > 0 && !names.includes(OUTPUT_MARKER) && req.force !== true) {
        throw refuse(`holds files arena did not write (no ${OUTPUT_MARKER} marker) and would be replaced whole; give a new or empty folder, or add --force to replace it`);
      }
    }
    await mkdir(staging);
  } catch (err) {
    await release();
    throw err;
  }
  let open = true;
  const output: Output = {
    dir: staging,
    path,
    async commit() {
      if (!open) throw new Error(`output ${path}: already committed or abandoned`);
      open = false;
      try {
        await writeFile(join(staging, OUTPUT_MARKER), JSON.stringify({ generator: "btc-arena", command: req.command }) + "\n");
        await swapIn(path);
      } catch (err) {
        // Whatever step failed, leave the old output whole (or the new one, if it got in).
        await recoverOutput(path).catch(() => undefined);
        await rm(lock, { force: true });
        throw err;
      }
      await rm(lock, { force: true });
    },
    async abandon() {
      if (!open) return;
      open = false;
      await rm(staging, { recursive: true, force: true });
      await release();
    },
    async write<T>(work: (dir: string) => Promise<T>): Promise<T> {
      let result: T;
      try {
        result = await work(staging);
      } catch (err) {
        await output.abandon();
        throw err;
      }
      await output.commit();
      return result;
    },
  };
  return output;
}

/**
 * Replaces `path` with its staging sibling: old output aside, new one in, old one deleted.
 * Killed after the first rename, `recoverOutput` puts the old one back; after the second, it
 * deletes the old copy.
 */
export async function swapIn(path: string): Promise<void> {
  const { staging, aside } = outputSiblings(path);
  const had = await exists(path);
  if (had) await rename(path, aside);
  await rename(staging, path);
  if (had) await rm(aside, { recursive: true, force: true });
}

/** Help of every command's --out and --force. */
export const OUT_HELP = "output folder, owned by the command: written beside it and swapped in whole; refused if it is the current folder, holds an input, or holds files arena did not write";
export const FORCE_HELP = "replace an --out folder that holds files arena did not write";
