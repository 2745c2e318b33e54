// Bars files for the CLI: bad files refused as usage errors naming the flag; for `arena facts` and `arena calibrate`, a warning when too few.
import { factsTooFew } from "../experiments/facts.ts";
import { loadOhlcv, OhlcvError, type Ohlcv } from "../experiments/ohlcv.ts";
import { UsageError } from "./args.ts";

/** Loads bars, turning unreadable files and bad data into usage errors naming the flag. */
export async function readBars(flag: string, path: string): Promise<Ohlcv> {
  try {
    return await loadOhlcv(path);
  } catch (err) {
    if (err instanceof OhlcvError) throw new UsageError(`${flag}: ${err.message}`);
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT") throw new UsageError(`${flag}: ${JSON.stringify(path)} does not exist`);
    if (code === "EISDIR") throw new UsageError(`${flag}: ${JSON.stringify(path)} is a directory, not a bars file`);
    if (typeof code === "string") throw new UsageError(`${flag}: ${JSON.stringify(path)} cannot be read (${code})`);
    throw err;
  }
}

/** As {@link readBars}, with a warning on stderr when the bars are too few for the stylized facts. */
export async function loadBars(flag: string, path: string): Promise<Ohlcv> {
  const bars = await readBars(flag, path);
  const few = factsTooFew(path, bars.close.length);
  if (few !== null) process.stderr.write(`arena: warning: ${few}\n`);
  return bars;
}
