// Built-in episodes: real stretches of the shipped data (data/README.md) replayed as scenarios, their paths read from the files when first asked for.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { typeRegistry } from "./build.ts";
import { episodeSpec, type EpisodeBars } from "./episode.ts";
import { parseScenario, type ScenarioSpec } from "./spec.ts";

/** A shipped bars file, with the sha256 data/README.md records, so a changed file cannot silently make another episode. */
interface ShippedFile {
  readonly name: string;
  readonly sha256: string;
}

const ONE_MINUTE: ShippedFile = { name: "btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz", sha256: "0b245ec73f669563767ff3c14ccda7aeb1f573ce9bb878bd645056eacfe637dc" };
const HOURLY: ShippedFile = { name: "btcusd-1h-cryptocompare-2022-01-01_2023-12-31.csv.gz", sha256: "e9d7b77d9762af8a1c29f41683a7552619ddaf2a4ca1ab3d62cec455220cffd8" };

interface EpisodeEntry {
  readonly description: string;
  readonly file: ShippedFile;
  /** Open times of the first and last bar, ISO 8601 UTC. */
  readonly from: string;
  readonly to: string;
}

/**
 * The built-in episodes, runnable by name (`arena run NAME`) but not in the suite's default list:
 * a replay judges a bot on one real path, not on a family of worlds.
 */
export const BUILTIN_EPISODES: Readonly<Record<string, EpisodeEntry>> = Object.freeze({
  // From half a day before the fall (Silvergate's wind-down, then SVB's failure on 9-10 March)
  // through the low near 19.6k on the 10th, to the rally on the deposit backstop of the 12th
  // evening that had carried BTC past 24k by the 14th: -10% then +23%, at 1-minute resolution.
  "banking-crisis-2023": {
    description: "real episode: BTC/USDT 9-14 March 2023, -10% on the US bank failures then +23% on the deposit backstop (1-minute path, Binance.US)",
    file: ONE_MINUTE,
    from: "2023-03-09T12:00:00Z",
    to: "2023-03-14T00:00:00Z",
  },
  // From 6 November, when Binance said it would sell its FTT, through FTX's halt of withdrawals and
  // Binance's offer to buy it (8th), the offer's withdrawal (9th) and the bankruptcy filing (11th),
  // to the day after: 21.3k to 15.7k and back near 16.9k (hourly path, CryptoCompare).
  "ftx-collapse-2022": {
    description: "real episode: BTC/USD 6-12 November 2022, the FTX collapse, 21k to under 16k (hourly path with a seeded 1-minute bridge, CryptoCompare)",
    file: HOURLY,
    from: "2022-11-06T00:00:00Z",
    to: "2022-11-12T00:00:00Z",
  },
});

const cache = new Map<string, ScenarioSpec>();
const rawCache = new Map<string, unknown>();

/** Whether `name` is a built-in episode. */
export function isBuiltinEpisode(name: string): boolean {
  return Object.hasOwn(BUILTIN_EPISODES, name);
}

/** A built-in episode as a scenario file would hold it, built from its data file on first use. @throws for an unknown name or a changed data file. */
export function episodeRawSpec(name: string): unknown {
  if (!isBuiltinEpisode(name)) throw new Error(`scenario: ${JSON.stringify(name)} is not a built-in episode (known: ${Object.keys(BUILTIN_EPISODES).join(", ")})`);
  const hit = rawCache.get(name);
  if (hit !== undefined) return hit;
  const e = BUILTIN_EPISODES[name];
  const raw = episodeSpec(shippedBars(e.file), { name, description: e.description, fromMs: Date.parse(e.from), toMs: Date.parse(e.to), data: `data/${e.file.name}` });
  rawCache.set(name, raw);
  return raw;
}

/** A built-in episode's scenario, validated. @throws for an unknown name or a changed data file. */
export function episodeBuiltinSpec(name: string): ScenarioSpec {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const spec = parseScenario(episodeRawSpec(name), typeRegistry());
  cache.set(name, spec);
  return spec;
}

/** Open times and closes of a shipped file (header `timestamp,open,high,low,close,volume`, checked by data/README.md's sha256). */
function shippedBars(file: ShippedFile): EpisodeBars {
  const path = fileURLToPath(new URL(`../data/${file.name}`, import.meta.url));
  const gz = readFileSync(path);
  const sha = createHash("sha256").update(gz).digest("hex");
  if (sha !== file.sha256) throw new Error(`data/${file.name}: sha256 ${sha} is not the ${file.sha256} data/README.md records; the built-in episodes read only the shipped file`);
  const lines = gunzipSync(gz).toString("utf8").split(/\r?\n/);
  if (lines[0] !== "timestamp,open,high,low,close,volume") throw new Error(`data/${file.name}: unexpected header ${JSON.stringify(lines[0])}`);
  const timestamps: number[] = [];
  const close: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const cols = lines[i].split(",");
    timestamps.push(Date.parse(cols[0]));
    close.push(Number(cols[4]));
  }
  return { timestamps, close };
}
