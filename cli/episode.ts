// `arena episode`: a window of real bars written as a scenario file whose latent value follows their closes.
import type { Command } from "commander";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { writeAtomic } from "../sim/atomic-write.ts";
import { typeRegistry } from "../scenarios/build.ts";
import { EpisodeWindowError, episodeSpec, isoOf } from "../scenarios/episode.ts";
import { parseScenario } from "../scenarios/spec.ts";
import { parsePath, UsageError } from "./args.ts";
import { readBars } from "./facts-bars.ts";

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** `--from`/`--to`: ISO 8601 with a zone (Z or ±hh:mm) or Unix ms; @returns Unix ms. */
export function parseTime(flag: string, raw: string): number {
  const s = raw.trim();
  const ms = /^\d{1,16}$/.test(s) ? Number(s) : ISO_WITH_ZONE.test(s) ? Date.parse(s) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`${flag}: ${JSON.stringify(raw)} is not a time such as 2023-03-09T12:00:00Z, 2023-03-09T13:00+01:00 or Unix ms`);
  return ms;
}

/**
 * Refuses an --out that arena episode may not write: a folder, the --data file, or a file it did
 * not write (a scenario whose `source.generatedBy` is "arena episode") unless `force`.
 */
async function checkOut(out: string, data: string, force: boolean): Promise<void> {
  if (resolve(out) === resolve(data)) throw new UsageError(`--out: ${JSON.stringify(out)} is the --data file`);
  let isDir: boolean;
  try {
    isDir = (await stat(out)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new UsageError(`--out: ${JSON.stringify(out)} cannot be checked (${(e as NodeJS.ErrnoException).code})`);
  }
  if (isDir) throw new UsageError(`--out: ${JSON.stringify(out)} is a folder; give the scenario file to write, such as ${out.replace(/[\\/]+$/, "")}/episode.json`);
  if (force) return;
  let ours = false;
  try {
    const json = JSON.parse(await readFile(out, "utf8")) as { source?: { generatedBy?: unknown } };
    ours = json?.source?.generatedBy === "arena episode";
  } catch {
    ours = false;
  }
  if (!ours) throw new UsageError(`--out: ${JSON.stringify(out)} exists and arena episode did not write it (no "source": {"generatedBy": "arena episode"}); it is left untouched: give another --out, or add --force to replace it`);
}

interface EpisodeOptions {
  readonly data: string;
  readonly from: number;
  readonly to: number;
  readonly out?: string;
  readonly name?: string;
  readonly force?: boolean;
}

/** Adds the `episode` command to `program`. */
export function addEpisodeCommand(program: Command): void {
  program
    .command("episode")
    .description("write a scenario file whose latent value follows the closes of real bars from --from to --to (1-minute or hourly; hourly points are joined by a seeded 1-minute bridge), traded by normal's populations and bots; `arena run FILE` reports how closely a run tracks the path")
    .requiredOption("--data <file>", "OHLCV bars: CSV (optionally gzipped) or Arrow IPC, evenly spaced", (v) => parsePath("--data", v))
    .requiredOption("--from <t>", "open time of the first bar: ISO 8601 with a zone (2023-03-09T12:00:00Z) or Unix ms", (v) => parseTime("--from", v))
    .requiredOption("--to <t>", "open time of the last bar, same forms; the run lasts --to - --from", (v) => parseTime("--to", v))
    .option("--name <name>", "scenario name: lower-case letters, digits and dashes (default: episode-FROM-TO)")
    .option("--out <file>", "scenario file to write (default: NAME.json); written whole through a temporary file; refused when it exists and arena episode did not write it", (v) => parsePath("--out", v))
    .option("--force", "replace an --out file that arena episode did not write")
    .action(async (o: EpisodeOptions) => {
      const stamp = (ms: number) => isoOf(ms).slice(0, 16).replace(/[-:]/g, "").replace("T", "t");
      const name = o.name ?? `episode-${stamp(o.from)}-${stamp(o.to)}`;
      if (!NAME.test(name)) throw new UsageError(`--name: ${JSON.stringify(name)} must be lower-case letters, digits and dashes, starting with a letter or digit`);
      const out = o.out ?? `${name}.json`;
      await checkOut(out, o.data, o.force === true);
      const bars = await readBars("--data", o.data);
      let raw: Record<string, unknown>;
      try {
        raw = episodeSpec(bars, { name, fromMs: o.from, toMs: o.to, data: o.data });
        parseScenario(raw, typeRegistry());
      } catch (err) {
        if (err instanceof EpisodeWindowError) throw new UsageError(err.message);
        throw new UsageError(`--from/--to: the window gives no valid scenario: ${(err as Error).message}`);
      }
      // One line for the prices: a file of thousands of points stays readable around them.
      const prices = (raw.fundamental as { path: { prices: number[] } }).path.prices;
      await writeAtomic(out, JSON.stringify(raw, (k, v: unknown) => (k === "prices" ? "@prices" : v), 2).replace('"@prices"', JSON.stringify(prices)) + "\n");
      const path = (raw.fundamental as { path: { prices: number[]; step: string; bridgeSigmaPerSqrtHour: number } }).path;
      const p = path.prices;
      process.stdout.write(
        `${name}: ${p.length} points ${path.step} apart, ${isoOf(o.from)} to ${isoOf(o.to)} (${raw.duration as string}); ` +
          `first ${p[0]}, low ${Math.min(...p)}, high ${Math.max(...p)}, last ${p[p.length - 1]}` +
          (path.bridgeSigmaPerSqrtHour > 0 ? `; bridge ${(path.bridgeSigmaPerSqrtHour * 100).toFixed(2)}% per sqrt hour between points` : "") +
          `\n  wrote ${out}\n  run it: arena run ${out} --seed 1 --out runs/${name}\n`,
      );
    });
}
