// One JavaScript bundle of a worker's TypeScript task module, built once per process.
//
// Why: a worker that registers tsx sends every module it imports through tsx's loader
// thread and esbuild, and does so in every thread of every pool. A worker that imports one
// prebuilt bundle skips all of that start-up, which every worker pays, and its code also runs
// faster than the same modules loaded through tsx (`npm run bench -- sim` prints which one ran).
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

/** Where bundles are kept: the conventional cache folder of the project's node_modules. */
const CACHE_DIR = new URL("../node_modules/.cache/btc-arena/", import.meta.url);

const built = new Map<string, Promise<URL | undefined>>();

/**
 * The URL of a bundle of `entry` (a TypeScript module) and the project files it imports;
 * packages stay imports, resolved from node_modules as before. Built at most once per
 * process and stored under a name derived from its contents, so processes running the same
 * code share one file and a changed source gets a new one.
 * @returns undefined when the bundle cannot be built or written (a read-only install, say):
 *   the caller then uses its tsx entry, which runs the same code more slowly.
 */
export function workerBundle(entry: URL): Promise<URL | undefined> {
  let p = built.get(entry.href);
  if (p === undefined) {
    p = buildBundle(entry).catch(() => undefined);
    built.set(entry.href, p);
  }
  return p;
}

async function buildBundle(entry: URL): Promise<URL> {
  const out = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    logLevel: "silent",
    plugins: [keepModuleUrls],
  });
  const code = out.outputFiles[0].contents;
  const stem = fileURLToPath(entry).replace(/^.*[\\/]/, "").replace(/\.[cm]?ts$/, "");
  const name = `${stem}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`;
  const file = new URL(name, CACHE_DIR);
  if (!(await sameBytes(file, code))) {
    await mkdir(CACHE_DIR, { recursive: true });
    // Written under a temporary name and renamed, so a concurrent process never loads half a file.
    const tmp = new URL(`${name}.${process.pid}.tmp`, CACHE_DIR);
    await writeFile(tmp, code);
    await rename(tmp, file);
    await removeStale(stem, name).catch(() => {}); // tidying only; another process may be at it too
  }
  return file;
}

/**
 * Bundles of older sources pile up as code changes; one a day older than the bundle just
 * written is no longer in use. File times are compared with file times: sim/ reads no clock.
 */
async function removeStale(stem: string, keep: string): Promise<void> {
  const dayAgo = (await stat(new URL(keep, CACHE_DIR))).mtimeMs - 86_400_000;
  for (const f of await readdir(CACHE_DIR)) {
    if (f === keep || !f.startsWith(`${stem}-`)) continue;
    const path = new URL(f, CACHE_DIR);
    if ((await stat(path)).mtimeMs < dayAgo) await rm(path, { force: true });
  }
}

async function sameBytes(file: URL, code: Uint8Array): Promise<boolean> {
  try {
    return Buffer.from(code).equals(await readFile(file));
  } catch {
    return false;
  }
}

/**
 * Each project module keeps its own `import.meta.url` (a bundle would otherwise give every
 * module the bundle's URL, and paths resolved from it, like the facts reference data, would
 * point into the cache folder).
 */
const keepModuleUrls: Plugin = {
  name: "keep-module-urls",
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href)),
      loader: "ts",
    }));
  },
};
