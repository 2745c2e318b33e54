// `npm run bench -- facts-sources [--ops SEEDS]`: the stylized facts of `normal` with the fundamental's
// stochastic volatility (and jumps) switched off, with and without switching traders, over 3-day runs
// of seeds 1..SEEDS (default 8) on 2 worker threads, as a Markdown table beside the real BTC/USDT
// reference. Results are printed, not kept here; the last ones are in docs/stylized-facts.md.
import { factsSources, sourcesTable, VARIANTS } from "../experiments/facts-sources.ts";
import { REFERENCE_BARS, stylizedFacts } from "../experiments/facts.ts";
import { loadOhlcv } from "../experiments/ohlcv.ts";
import type { BenchArgs } from "./main.ts";

const DAYS = 3;

export async function run(args: BenchArgs): Promise<void> {
  const seeds = args.ops ?? 8;
  const t0 = performance.now();
  const results = await factsSources({
    seeds, days: DAYS, workers: 2,
    onDone: (d, t) => process.stderr.write(`\rfacts-sources: ${d}/${t} runs`),
  });
  process.stderr.write("\n");
  const reference = stylizedFacts(await loadOhlcv(REFERENCE_BARS.path));
  const seconds = (performance.now() - t0) / 1000;
  if (args.json) {
    process.stdout.write(JSON.stringify({ days: DAYS, seeds, variants: VARIANTS.map((v, i) => ({ ...v, runs: results[i] })), seconds }) + "\n");
    return;
  }
  process.stdout.write(`${DAYS}-day runs, seeds 1-${seeds}, median (min to max) across seeds; ${seconds.toFixed(0)} s\n\n`);
  process.stdout.write(sourcesTable(VARIANTS, results, reference));
}
