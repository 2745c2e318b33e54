// `arena backtest`: flags checked at the boundary, the run, and a short report of what was written.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { createStrategy } from "../agents/strategies/registry.ts";
import { BacktestInputError, executeBacktest, prepareBacktest, writeBacktest } from "../experiments/backtest/job.ts";
import { parseSearch, type ParamSpace } from "../experiments/backtest/param-space.ts";
import { TIMEFRAMES } from "../experiments/backtest/resample.ts";
import { formatWalkForward } from "../experiments/backtest/walk-forward.ts";
import { basename, join } from "node:path";
import { BOT_TYPES } from "../agents/registry.ts";
import { executeBotBacktest, prepareBotBacktest, writeBotBacktest } from "../experiments/backtest/bot-job.ts";
import type { Metrics } from "../experiments/metrics/performance.ts";
import { decimal, fraction, parsePath, parseSeed, UsageError } from "./args.ts";
import { parseWorkers, workersHelp } from "./limits.ts";
import { FORCE_HELP, OUT_HELP, openOutput } from "./output.ts";


/** A JSON object from a flag; `what` names the text in messages (the value, or the file it came from). */
export function jsonObject(flag: string, raw: string, example = '{"fast":10,"slow":30}', what = JSON.stringify(raw)): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`${flag}: ${what} is not JSON (${(err as Error).message})`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new UsageError(`${flag}: ${what} is not a JSON object such as ${example}`);
  return v as Record<string, unknown>;
}

/** A JSON object given inline (it starts with "{") or as the path of a file that holds one. */
function jsonObjectOrFile(flag: string, raw: string, example: string): Record<string, unknown> {
  if (raw.trim().startsWith("{")) return jsonObject(flag, raw, example);
  let text: string;
  try {
    text = readFileSync(raw, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT") throw new UsageError(`${flag}: ${JSON.stringify(raw)} is neither a JSON object such as ${example} nor a file that exists`);
    throw new UsageError(`${flag}: file ${JSON.stringify(raw)} cannot be read (${typeof code === "string" ? code : (err as Error).message})`);
  }
  return jsonObject(flag, text, example, `file ${JSON.stringify(raw)}`);
}

interface Flags {
  data: string[];
  strategy?: string;
  bot?: string;
  params?: Record<string, unknown>;
  commission: number;
  slippage: number;
  cash: number;
  risk: "on" | "off";
  riskConfig?: Record<string, unknown>;
  walkForward?: string;
  timeframe?: string;
  search: string;
  seed: number;
  space?: Record<string, unknown>;
  workers: number;
  pboBlocks: number;
  out: string;
  force?: boolean;
}

/** Adds the `backtest` command to `program`. */
export function addBacktestCommand(program: Command): void {
  // The --risk-config file, when one is given: an input the output folder may not hold.
  let riskConfigFile: string | undefined;
  program
    .command("backtest")
    .description("replay a strategy, or any registered bot, on recorded bars (fills at the next open, slippage, commission); write summary.json, trades.arrow, equity.arrow, report.html")
    .option("--data <file>", "OHLCV file (CSV, .csv.gz or Arrow); repeat or comma-separate for several pairs (pair name = file name)", (v: string, prev: string[]) => [...prev, ...v.split(",").map((s) => s.trim()).filter((s) => s !== "")], [] as string[])
    .option("--strategy <name>", "registry name: sma-cross, trend-following, mean-reversion, breakout, ensemble (or give --bot)")
    .option("--bot <name>", `a registered bot (${Object.keys(BOT_TYPES).join(", ")}) run unchanged through the replay exchange; its wake-ups are served at bar closes (or give --strategy)`)
    .option("--params <json>", "strategy params (with --bot: the bot's params) as a JSON object, e.g. '{\"fast\":10,\"slow\":30}'", (v) => jsonObject("--params", v))
    .option("--commission <r>", "commission per side, a fraction of traded value", fraction("--commission"), 0.001)
    .option("--slippage <r>", "slippage: buys pay open·(1+r), sells get open·(1−r)", fraction("--slippage"), 0.0005)
    .option("--cash <n>", "starting cash, quote", (v) => decimal("--cash", v, (x) => x > 0, "a positive amount"), 10_000)
    // On by default: every bot trades through the risk manager; off compares with engines that have none.
    .option("--risk <on|off>", "risk manager with the default rules (on, the default) or all-in sizing with the strategy's exits only (off, as Backtrader trades)", (v) => {
      if (v !== "on" && v !== "off") throw new UsageError(`--risk: ${JSON.stringify(v)} is not "on" or "off"`);
      return v;
    }, "on")
    .option("--risk-config <json|file>", "risk rules over the defaults, as a JSON object or a JSON file, e.g. '{\"stopLossPct\":0.05,\"trailingStopPct\":null}' (null switches a rule off; keys as in agents/risk/config.ts)", (v) => {
      riskConfigFile = v.trim().startsWith("{") ? undefined : v;
      return jsonObjectOrFile("--risk-config", v, '{"stopLossPct":null}');
    })
    .option("--walk-forward <train,test,step>", "rolling walk-forward optimisation; bars (20000,5000,5000) or durations (6mo,1mo,1mo; 180d,30d,30d)")
    .option("--timeframe <tf>", "bar length the strategy runs on (sets params.timeframe; the data are resampled): 1m, 5m, 15m, 1h, 4h, 1d")
    .option("--search <kind>", "walk-forward search: grid, or random:N", "grid")
    .option("--seed <n>", "seed of the random search (with --bot: root of the bot's random stream)", (v) => parseSeed("--seed", v), 1)
    .option("--space <json>", "walk-forward parameter space, e.g. '{\"fast\":[5,10],\"slow\":[20,40]}' (default: the strategy's)", (v) => jsonObject("--space", v))
    .option("--workers <n>", workersHelp("the walk-forward searches"), (v) => parseWorkers("--workers", v), 2)
    .option("--pbo-blocks <n>", "blocks S of PBO's combinatorially symmetric cross-validation (even; C(S, S/2) splits per window)", (v) => decimal("--pbo-blocks", v, (x) => Number.isInteger(x) && x >= 2 && x <= 20 && x % 2 === 0, "an even integer from 2 to 20"), 16)
    .option("--out <dir>", OUT_HELP, (v) => parsePath("--out", v), "runs/backtest")
    .option("--force", FORCE_HELP)
    .action(async (o: Flags, cmd: Command) => {
      if ((o.strategy === undefined) === (o.bot === undefined)) {
        throw new UsageError(o.bot === undefined
          ? "backtest: give --strategy NAME or --bot NAME (neither was given)"
          : `backtest: give --strategy or --bot, not both (--strategy ${JSON.stringify(o.strategy)}, --bot ${JSON.stringify(o.bot)})`);
      }
      if (o.bot !== undefined) return backtestBot(o, o.bot, cmd, riskConfigFile);
      if (o.data.length === 0) throw new UsageError("--data: no data file given (e.g. --data data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz)");
      if (o.timeframe !== undefined && !(TIMEFRAMES as readonly string[]).includes(o.timeframe)) {
        throw new UsageError(`--timeframe: ${JSON.stringify(o.timeframe)} is not one of ${TIMEFRAMES.join(", ")}`);
      }
      let search;
      try {
        search = parseSearch(o.search, o.seed);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (o.space !== undefined) {
        for (const [k, v] of Object.entries(o.space)) {
          if (!Array.isArray(v) || v.length === 0) throw new UsageError(`--space: ${k} must be a non-empty array of values, got ${JSON.stringify(v)}`);
        }
      }
      const request = {
        strategy: o.strategy!, params: o.params ?? {}, data: o.data, commission: o.commission, slippage: o.slippage, cash: o.cash,
        risk: o.risk === "on", riskConfig: o.riskConfig, walkForward: o.walkForward, timeframe: o.timeframe, search, space: o.space as ParamSpace | undefined, workers: o.workers, pboBlocks: o.pboBlocks,
      };
      const output = await openOutput({ command: "backtest", value: o.out, force: o.force, inputs: backtestInputs(o, riskConfigFile) });
      const { plan, outcome, written } = await output.write(async (dir) => {
        let plan;
        try {
          plan = await prepareBacktest(request, createStrategy);
        } catch (err) {
          if (err instanceof BacktestInputError) throw new UsageError(err.message);
          throw err;
        }
        for (const w of plan.warnings) process.stderr.write(`arena: warning: ${w}\n`);
        const outcome = await executeBacktest(plan, createStrategy);
        const written = (await writeBacktest(dir, plan, outcome)).map((p) => join(o.out, basename(p)));
        return { plan, outcome, written };
      });
      const m = outcome.metrics;
      const bars = plan.files.map((f) => `${f.pair} ${f.fileBars} bars → ${f.bars} ${plan.timeframe} bars`).join(", ");
      process.stdout.write(
        `backtest ${o.strategy} (${plan.timeframe}, risk ${o.risk}${o.riskConfig === undefined ? "" : ` with --risk-config ${JSON.stringify(o.riskConfig)}`}, commission ${o.commission}, slippage ${o.slippage}): ${bars}\n` +
          (outcome.walkForward === undefined ? "" : formatWalkForward(outcome.walkForward) + "out of sample, stitched:\n") +
          `  ${resultLine(m, outcome.finalEquity)}${outcome.riskEvents.length > 0 ? `, risk events ${outcome.riskEvents.length}` : ""}\n` +
          `  wrote ${written.join(", ")}\n`,
      );
    });
}

/** The files a backtest reads, which its --out may not hold. */
function backtestInputs(o: Flags, riskConfigFile: string | undefined): { flag: string; path: string }[] {
  return [...o.data.map((path) => ({ flag: "--data", path })), ...(riskConfigFile === undefined ? [] : [{ flag: "--risk-config", path: riskConfigFile }])];
}

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));

/** "FROM → TO: trades N (win rate), total return, Sharpe, max drawdown, final equity". */
function resultLine(m: Metrics, finalEquity: number): string {
  return `${new Date(m.startTime).toISOString()} → ${new Date(m.endTime).toISOString()}: trades ${m.tradeCount ?? 0} (win rate ${pct(m.winRate)}), ` +
    `total return ${pct(m.totalReturn)}, Sharpe ${num(m.sharpe)}, max drawdown ${pct(m.maxDrawdown.depth)}, final equity ${finalEquity.toFixed(2)}`;
}

/** Flags that only a strategy backtest takes: refused with --bot rather than silently ignored. */
const STRATEGY_ONLY = ["risk", "riskConfig", "walkForward", "search", "space", "workers", "pboBlocks"] as const;

/** `arena backtest --bot NAME`: the bot, unchanged, through the replay exchange (experiments/backtest/bot-driver.ts). */
async function backtestBot(o: Flags, bot: string, cmd: Command, riskConfigFile: string | undefined): Promise<void> {
  for (const k of STRATEGY_ONLY) {
    if (cmd.getOptionValueSource(k) === "cli") {
      const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`${flag}: applies to --strategy only (a bot's own rules are its --params, e.g. the strategy bot's "risk")`);
    }
  }
  if (o.data.length === 0) throw new UsageError("--data: no data file given (e.g. --data data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz)");
  if (o.timeframe !== undefined && !(TIMEFRAMES as readonly string[]).includes(o.timeframe)) {
    throw new UsageError(`--timeframe: ${JSON.stringify(o.timeframe)} is not one of ${TIMEFRAMES.join(", ")}`);
  }
  const output = await openOutput({ command: "backtest", value: o.out, force: o.force, inputs: backtestInputs(o, riskConfigFile) });
  const { plan, outcome, written } = await output.write(async (dir) => {
    let plan;
    try {
      plan = await prepareBotBacktest({
        bot, params: o.params ?? {}, data: o.data, commission: o.commission, slippage: o.slippage, cash: o.cash, timeframe: o.timeframe, seed: o.seed,
      });
    } catch (err) {
      if (err instanceof BacktestInputError) throw new UsageError(err.message);
      throw err;
    }
    for (const w of plan.warnings) process.stderr.write(`arena: warning: ${w}\n`);
    const outcome = await executeBotBacktest(plan);
    const written = (await writeBotBacktest(dir, plan, outcome)).map((p) => join(o.out, basename(p)));
    return { plan, outcome, written };
  });
  const f = plan.file;
  process.stdout.write(
    `backtest bot ${bot} ${JSON.stringify(plan.params)} (${plan.timeframe}, commission ${o.commission}, slippage ${o.slippage}): ${f.pair} ${f.fileBars} bars → ${f.bars} ${plan.timeframe} bars, ${outcome.wakes} wake-ups\n` +
      `  ${resultLine(outcome.metrics, outcome.finalEquity)}` +
      `${outcome.riskEvents.length > 0 ? `, risk events ${outcome.riskEvents.length}` : ""}${outcome.refused ? `, refused orders ${outcome.refused}` : ""}\n` +
      `  wrote ${written.join(", ")}\n`,
  );
}
