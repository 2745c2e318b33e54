// `arena memory ablation`: each rule strategy with and without the memory filter, walk-forward and out of sample, the memory built from train windows alone.
import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { barSpacing } from "../experiments/ohlcv.ts";
import { ABLATION_STRATEGIES, ablationJson, formatAblation, runMemoryAblation } from "../experiments/backtest/memory-ablation.ts";
import { BacktestInputError, load, pairName } from "../experiments/backtest/job.ts";
import { resample, TIMEFRAMES, timeframeMs } from "../experiments/backtest/resample.ts";
import { parseWalkForward, type WalkForwardSpec } from "../experiments/backtest/windows.ts";
import { fraction, parsePath, UsageError } from "./args.ts";
import { FORCE_HELP, OUT_HELP, openOutput } from "./output.ts";

interface Flags {
  data: string;
  walkForward: WalkForwardSpec;
  walkForwardText: string;
  timeframe?: string;
  horizon: number;
  strategies: string[];
  commission: number;
  slippage: number;
  cash: number;
  json?: boolean;
  out?: string;
  force?: boolean;
}

/** Adds `ablation` under the `memory` command. */
export function addMemoryAblation(memory: Command): void {
  memory
    .command("ablation")
    .description("does the memory help? walk-forward, out of sample only: every rule strategy (and RSI < 40 against memory-rsi) with and without the memory filter, the memory built from each train window's bars alone; mean OOS return per window with its 95% interval, stitched return, Sharpe, deflated Sharpe, PBO, and the difference")
    .requiredOption("--data <file>", "OHLCV bars: CSV (optionally gzipped) or Arrow IPC", (v) => parsePath("--data", v))
    .option("--walk-forward <train,test,step>", "windows, in bars or durations (7d,1d,1d; 180d,30d,30d)", (v) => {
      try {
        return parseWalkForward(v);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    })
    .option("--timeframe <tf>", `bars the strategies trade (${TIMEFRAMES.join(", ")}); default the data's`)
    .option("--horizon <bars>", "bars over which a remembered state's outcome is measured (as arena memory build)", (v) => {
      if (!/^\d{1,6}$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`--horizon: ${JSON.stringify(v)} is not an integer from 1 to 999999`);
      return Number(v);
    }, 60)
    .option("--strategies <names>", `comma-separated, of ${ABLATION_STRATEGIES.join(", ")}`, (v) => {
      const names = v.split(",").map((s) => s.trim());
      const bad = names.find((s) => !(ABLATION_STRATEGIES as readonly string[]).includes(s));
      if (bad !== undefined || new Set(names).size !== names.length) throw new UsageError(`--strategies: ${JSON.stringify(v)} is invalid: give distinct names of ${ABLATION_STRATEGIES.join(", ")}`);
      return names;
    }, [...ABLATION_STRATEGIES])
    .option("--commission <r>", "commission per side, a fraction of traded value", fraction("--commission"), 0.001)
    .option("--slippage <r>", "slippage: buys pay open·(1+r), sells get open·(1−r)", fraction("--slippage"), 0.0005)
    .option("--json", "print the report as one JSON object")
    .option("--out <dir>", `${OUT_HELP}; holds ablation.json and ablation.txt`, (v) => parsePath("--out", v))
    .option("--force", FORCE_HELP)
    .action(async (o: Omit<Flags, "walkForwardText" | "cash"> & { walkForward?: WalkForwardSpec }) => {
      const spec = o.walkForward ?? parseWalkForward("7d,1d,1d");
      if (o.timeframe !== undefined && !(TIMEFRAMES as readonly string[]).includes(o.timeframe)) {
        throw new UsageError(`--timeframe: ${JSON.stringify(o.timeframe)} is not one of ${TIMEFRAMES.join(", ")}`);
      }
      const raw = await load(o.data).catch((e: unknown) => {
        if (e instanceof BacktestInputError) throw new UsageError(e.message);
        throw e;
      });
      const spacing = barSpacing(raw.timestamps);
      const timeframe = o.timeframe ?? TIMEFRAMES.find((tf) => timeframeMs(tf) === spacing);
      if (timeframe === undefined) throw new UsageError(`--data: ${JSON.stringify(o.data)} has bars ${spacing / 60_000} min apart, not a timeframe (${TIMEFRAMES.join(", ")}); give --timeframe`);
      const barMs = timeframeMs(timeframe);
      if (spacing > barMs) throw new UsageError(`--timeframe: ${timeframe} is finer than the bars of --data (${spacing / 60_000} min)`);
      const bars = spacing === barMs ? raw : resample(raw, timeframe);
      const output = o.out === undefined ? null : await openOutput({ command: "memory ablation", value: o.out, force: o.force, inputs: [{ flag: "--data", path: o.data }] });
      let report;
      try {
        report = runMemoryAblation({
          bars, pair: pairName(o.data), timeframe, barMs, spec, horizonBars: o.horizon, fill: { commission: o.commission, slippage: o.slippage }, cash: 10_000, strategies: o.strategies,
          onWindow: (d, n) => { if (o.json !== true) process.stderr.write(`\rwindow ${d}/${n}`); if (d === n && o.json !== true) process.stderr.write("\n"); },
        });
      } catch (err) {
        await output?.abandon();
        if (err instanceof RangeError && err.message.startsWith("--")) throw new UsageError(err.message);
        throw err;
      }
      const text = formatAblation(report, o.data);
      const json = JSON.stringify(ablationJson(report));
      if (output !== null) {
        await output.write(async (dir) => {
          await writeFile(join(dir, "ablation.json"), json + "\n");
          await writeFile(join(dir, "ablation.txt"), text);
        });
      }
      process.stdout.write(o.json === true ? json + "\n" : text + (o.out === undefined ? "" : `  wrote ${o.out}\n`));
    });
}
