// `arena kill`: stop a running `arena trade` through its control port, or, with no session, cancel every open order on the venue directly; flatten when asked.
import type { Command } from "commander";
import { DEFAULT_EXCHANGE_CONFIG, loadTradeConfig, TradeInputError, type TradeConfig } from "../live/trade/config.ts";
import { requestKill } from "../live/trade/control.ts";
import { describeKill, killOrders } from "../live/trade/kill.ts";
import { isCcxtExchangeId, openVenue, VenueError } from "../live/trade/venue.ts";
import { scrub } from "../live/ccxt-exchange-errors.ts";
import { parsePath, UsageError } from "./args.ts";
import { KEY_ENV, SECRET_ENV } from "./trade.ts";

/** `--control-port` (of `trade` and `kill`): 0 (a free port, trade only) to 65535. */
export function parseControlPort(raw: string): number {
  const n = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new UsageError(`--control-port: ${JSON.stringify(raw)} is not a port number from 0 (any free port) to 65535`);
  return n;
}

/** `--to`: a base amount >= 0. */
function parseTo(raw: string): number {
  const x = /^(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(x >= 0 && x < Infinity)) throw new UsageError(`--to: ${JSON.stringify(raw)} is not a base amount >= 0, e.g. 0 or 0.5`);
  return x;
}

interface Flags {
  controlPort?: number;
  exchange?: string;
  symbol?: string;
  config?: string;
  flatten?: boolean;
  to?: number;
  timeout: number;
}

/** Adds the `kill` command to `program`. */
export function addKillCommand(program: Command): void {
  program
    .command("kill")
    .description("the kill switch: cancel every open order, optionally flatten, and stop trading; either tells a running `arena trade` (--control-port P) or, with no session, goes to the venue directly (--exchange ID --symbol SYM, keys from EXCHANGE_API_KEY / EXCHANGE_API_SECRET); exits 0 only when the venue shows no open order at the end")
    .option("--control-port <p>", "the control port of a running `arena trade --control-port P` on 127.0.0.1", parseControlPort)
    .option("--exchange <id>", "standalone: a ccxt exchange id; or the config's exchange.id")
    .option("--symbol <sym>", "standalone: the market, BASE/QUOTE")
    .option("--config <file>", "standalone: the `arena trade` config (its exchange block says where the venue is)", (v) => parsePath("--config", v))
    .option("--flatten", "also flatten: a market order back to the session's starting base (a session) or to --to (standalone, default 0)")
    .option("--to <base>", "standalone: the base holding --flatten goes back to (default 0)", parseTo)
    .option("--timeout <s>", "seconds to wait for a running session to stop", (v) => {
      const n = Number(v);
      if (!(Number.isInteger(n) && n >= 1 && n <= 600)) throw new UsageError(`--timeout: ${JSON.stringify(v)} is not a whole number of seconds from 1 to 600`);
      return n;
    }, 60)
    .action(async (o: Flags) => kill(o, process.env));
}

async function kill(o: Flags, env: NodeJS.ProcessEnv): Promise<void> {
  const out = (s: string) => void process.stdout.write(s);
  if (o.controlPort !== undefined) {
    for (const [flag, v] of [["--exchange", o.exchange], ["--symbol", o.symbol], ["--config", o.config], ["--to", o.to]] as const) {
      if (v !== undefined) throw new UsageError(`${flag}: given with --control-port (the session knows its venue); give one of --control-port P or --exchange ID --symbol SYM`);
    }
    if (o.controlPort === 0) throw new UsageError("--control-port: 0 is not a session's port (give the port `arena trade` printed)");
    const body = await requestKill(o.controlPort, o.flatten === true, o.timeout * 1000);
    if (body.line !== undefined) out(body.line);
    if (body.status !== 200 || !body.stopped) throw new Error(`kill: the session answered ${body.status}: ${body.error ?? "not stopped"}`);
    if (!/, 0 left;/.test(body.line ?? "")) throw new Error("kill: the session stopped but open orders are still on the venue (see its line above); run the standalone kill");
    return;
  }
  let cfg: TradeConfig | undefined;
  if (o.config !== undefined) {
    try {
      cfg = await loadTradeConfig(o.config);
    } catch (e) {
      if (e instanceof TradeInputError) throw new UsageError(e.message);
      throw e;
    }
  }
  const id = o.exchange ?? cfg?.exchange?.id;
  if (id === undefined) throw new UsageError("kill: give --control-port P (a running arena trade) or --exchange ID --symbol SYM (the venue directly)");
  if (!isCcxtExchangeId(id)) throw new UsageError(`--exchange: ${JSON.stringify(id)} is not a ccxt exchange id (e.g. binance, kraken, coinbase, okx, bybit)`);
  if (o.symbol === undefined) throw new UsageError("--symbol: needed to go to the venue directly (e.g. BTC/USDT)");
  const symbol = o.symbol.trim();
  if (!/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(symbol)) throw new UsageError(`--symbol: ${JSON.stringify(o.symbol)} is not BASE/QUOTE in capitals, e.g. BTC/USDT`);
  if (o.to !== undefined && o.flatten !== true) throw new UsageError("--to: given without --flatten");
  const missing = [KEY_ENV, SECRET_ENV].filter((k) => (env[k] ?? "").trim() === "");
  if (missing.length > 0) throw new UsageError(`kill: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set in the environment (the account's keys come from the environment only)`);
  const keys = { apiKey: env[KEY_ENV]!.trim(), secret: env[SECRET_ENV]!.trim() };
  const secrets = [keys.apiKey, keys.secret];
  let venue;
  try {
    venue = await openVenue({ mode: "live", id, symbol, keys, exchange: cfg?.exchange ?? DEFAULT_EXCHANGE_CONFIG, paper: undefined, defaultJournal: "" });
  } catch (e) {
    if (e instanceof TradeInputError) throw new UsageError(scrub(e.message, secrets));
    if (e instanceof VenueError) throw new Error(`kill: ${scrub(e.message, secrets)}`);
    throw e;
  }
  try {
    const k = await killOrders(venue.exchange, symbol, { flattenTo: o.flatten === true ? o.to ?? 0 : undefined });
    out(scrub(`arena kill: ${venue.describe}: ${describeKill(k, symbol)}\n`, secrets));
    if (k.open !== 0) throw new Error(scrub(`kill: ${k.open < 0 ? "the open orders could not be read" : `${k.open} open orders are still on the venue`}; run it again`, secrets));
  } finally {
    await venue.close();
  }
}
