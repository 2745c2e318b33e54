// `arena collect`: OHLCV (and trades) fetched through ccxt with pagination and its rate limiter, validated, resumed from the last stored bar, written as Arrow or CSV.
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ExchangeConfig, openSource, type Candle, type MarketSource } from "../live/collect/source.ts";
import { fetchCandles, fetchTrades } from "../live/collect/paginate.ts";
import { parsePath, UsageError } from "./args.ts";
import { checkCandles } from "./collect-rules.ts";
import { clearTemps, existingBars, fileSha, formatOf, merge, rejectsOf, tradesOf, writeBars } from "./collect-file.ts";
import { writeAtomic } from "../sim/atomic-write.ts";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]00:?00))?$/;

/** `--since`: ISO 8601 in UTC (a date, or a time ending in Z) or Unix ms; @returns Unix ms. */
export function parseSince(raw: string): number {
  const s = raw.trim();
  const ms = /^\d{1,16}$/.test(s) ? Number(s) : ISO_UTC.test(s) ? Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s) : NaN;
  if (!Number.isFinite(ms) || ms < Date.UTC(2009, 0, 3)) throw new UsageError(`--since: ${JSON.stringify(raw)} is not a UTC time such as 2024-01-01, 2024-01-01T00:00:00Z or Unix ms (from 2009-01-03 on)`);
  return ms;
}

const SYMBOL = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/;
const TIMEFRAME = /^[1-9]\d{0,2}[smhdwM]$/;

const ConfigFile = z.object({ exchange: ExchangeConfig.partial({ id: true }) }).passthrough();

/** The `exchange` block from `--config` (when given) with `--exchange` as its id. @throws UsageError naming the field. */
async function exchangeConfig(id: string, file: string | undefined): Promise<ExchangeConfig> {
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (e) {
      throw new UsageError(`--config: ${JSON.stringify(file)} cannot be read as JSON (${(e as Error).message})`);
    }
    const r = ConfigFile.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new UsageError(`--config: ${i.path.join(".")}: ${i.message}`);
    }
    raw = r.data.exchange;
    if (raw.id !== undefined && raw.id !== id) throw new UsageError(`--config: exchange.id ${JSON.stringify(raw.id)} differs from --exchange ${JSON.stringify(id)}`);
  }
  const r = ExchangeConfig.safeParse({ ...raw, id });
  if (!r.success) {
    const i = r.error.issues[0];
    throw new UsageError(`${i.path[0] === "id" ? "--exchange" : `--config: exchange.${i.path.join(".")}`}: ${i.message}`);
  }
  return r.data;
}

interface Opts { exchange: string; symbol: string; timeframe: string; since: number; out: string; trades?: boolean; config?: string; allowJumps?: boolean }

/** Adds the `collect` command to `program`. */
export function addCollectCommand(program: Command): void {
  program
    .command("collect")
    .description("fetch OHLCV (and trades with --trades) through ccxt, page by page under its rate limiter, validate every bar, and write Arrow or CSV; resumes a file it wrote, never touches one it did not")
    .requiredOption("--exchange <id>", "a ccxt exchange id (binance, kraken, ...)")
    .requiredOption("--symbol <BASE/QUOTE>", "the market, e.g. BTC/USDT")
    .requiredOption("--timeframe <tf>", "candle length, e.g. 1m, 1h, 1d")
    .requiredOption("--since <time>", "first candle: UTC date/time (2024-01-01, 2024-01-01T00:00:00Z) or Unix ms", parseSince)
    .requiredOption("--out <file>", "output file, .arrow or .csv; rejected rows go to FILE.rejects.jsonl, ownership to FILE.arena-collect.json", (v) => parsePath("--out", v))
    .option("--trades", "also fetch public trades into FILE.trades.csv")
    .option("--allow-jumps", "keep candles whose close moves over 50% from the previous one (reported, not rejected)")
    .option("--config <file>", "JSON with exchange: {id, sandbox, urls: {public, private, ws}, options, timeoutMs, retry, rateLimitMs} (how tests point it at arena serve)", (v) => parsePath("--config", v))
    .action(async (o: Opts) => {
      if (!SYMBOL.test(o.symbol)) throw new UsageError(`--symbol: ${JSON.stringify(o.symbol)} must be BASE/QUOTE in capitals, e.g. BTC/USDT`);
      if (!TIMEFRAME.test(o.timeframe)) throw new UsageError(`--timeframe: ${JSON.stringify(o.timeframe)} is not a timeframe such as 1m, 15m, 1h, 1d`);
      formatOf(o.out);
      const cfg = await exchangeConfig(o.exchange, o.config);
      const meta = { exchange: o.exchange, symbol: o.symbol, timeframe: o.timeframe };
      const old = await existingBars(o.out, meta);
      let src: MarketSource;
      let tfMs: number;
      try {
        src = await openSource(cfg, o.symbol);
        tfMs = src.timeframeMs(o.timeframe);
      } catch (e) {
        const m = (e as Error).message;
        if (/^--(exchange|symbol|timeframe):/.test(m)) throw new UsageError(m);
        throw e;
      }
      await clearTemps(o.out);
      const n0 = old?.timestamps.length ?? 0;
      const prev: Candle | undefined = n0 === 0 ? undefined
        : [old!.timestamps[n0 - 1], old!.open[n0 - 1], old!.high[n0 - 1], old!.low[n0 - 1], old!.close[n0 - 1], old!.volume[n0 - 1]];
      const since = prev === undefined ? o.since : Math.max(o.since, prev[0] + tfMs);
      const err = process.stderr;
      let pages = 0;
      const fetched = await fetchCandles(src, o.timeframe, since, () => pages++);
      const { kept, rejects } = checkCandles(fetched, tfMs, prev, o.allowJumps === true);
      const bars = merge(old, kept);
      if (kept.length > 0 || old === undefined) await writeBars(o.out, bars, meta, await fileSha(o.out));
      if (rejects.length > 0) await writeAtomic(rejectsOf(o.out), rejects.map((r) => JSON.stringify(r)).join("\n") + "\n");
      let trades = 0;
      if (o.trades === true) {
        const { trades: list, availableFrom } = await fetchTrades(src, since);
        trades = list.length;
        if (availableFrom !== undefined) err.write(`arena collect: the venue keeps no trades from ${new Date(since).toISOString()}; trades collected from ${new Date(availableFrom).toISOString()}, the oldest it has\n`);
        const csv = ["id,timestamp,side,price,amount", ...list.map((t) => `${t.id},${t.timestamp},${t.side},${t.price},${t.amount}`)].join("\n") + "\n";
        await writeAtomic(tradesOf(o.out), csv);
      }
      await src.close();
      const bad = rejects.filter((r) => r.kind === "rejected").length;
      const gaps = rejects.length - bad;
      process.stdout.write(`arena collect: ${o.exchange} ${o.symbol} ${o.timeframe}: ${fetched.length} candles fetched in ${pages} pages${old === undefined ? "" : ` after the ${n0} stored`}, ${kept.length} kept, ${bad} rejected, ${gaps} gaps; ${bars.timestamps.length} bars in ${o.out}${o.trades === true ? `; ${trades} trades in ${tradesOf(o.out)}` : ""}\n`);
      for (const r of rejects.slice(0, 10)) err.write(`  row ${r.row} (${r.time}) ${r.kind}: ${r.column} ${JSON.stringify(r.value)} ${r.rule}\n`);
      if (rejects.length > 0) {
        err.write(`arena collect: ${bad} rows kept out and ${gaps} gaps, listed in ${rejectsOf(o.out)}\n`);
        process.exitCode = 1;
      }
    });
}
