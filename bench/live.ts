// `npm run bench -- live [--json] [--ops N]`: order round trip through CcxtExchange (raw ccxt beside it) to `arena serve`, and tick-to-decision of the ensemble bot.
//
// Round trip: `arena serve` runs the built-in `normal` scenario (seed 1, real time) in this
// process on a free 127.0.0.1 port. One account places a post-only limit buy 10% under the best
// bid (it rests, never fills) and cancels it, N times (`--ops`, default 300) after 30 untimed
// warm-up pairs; CcxtExchange (streams "poll", rate limiter at 1 ms, as a bot on a local venue
// sets it) and an unmodified ccxt binance client (the peer, the same limiter) alternate pair by
// pair, so drift in the served simulation hits both alike. A round trip is createOrder's call
// to its resolved acknowledgement (one signed POST /api/v3/order, newOrderRespType FULL); the
// cancel's (DELETE) is reported beside it. Every socket the process opens is recorded
// (test/live/loopback-guard.ts); the bench fails if one went anywhere but the served port.
//
// Tick-to-decision: bench/live-decision.ts (what is timed is printed with the figures).
import ccxt from "ccxt";
import { createCcxtExchange, type CcxtExchange } from "../live/ccxt-exchange.ts";
import { startServer, type RunningServer } from "../live/serve/server.ts";
import type { AccountSpec } from "../live/serve/accounts.ts";
import { WORLDS } from "../scenarios/registry.ts";
import { guardLoopback } from "../test/live/loopback-guard.ts";
import { timeDecisions } from "./live-decision.ts";
import type { BenchArgs } from "./main.ts";

const SYMBOL = "BTC/USDT";
const ACCOUNT: AccountSpec = { name: "bench", key: "benchKey0123456789", secret: "benchSecret0123456789abcdef", base: 10, quote: 1_000_000 };
const OPTIONS = { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ["spot"] } };
const AMOUNT = 0.001;
const WARM_PAIRS = 30;
const DEFAULT_PAIRS = 300;
const WARM_TICKS = 5_000;
const TICKS = 50_000;
const BOOK_WAIT_MS = 20_000;

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The q-quantile of ascending `xs` (nearest rank). */
function quantile(xs: readonly number[], q: number): number {
  return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))];
}

/** p50, p99 and max of samples, ms. */
function stats(xs: ArrayLike<number>): { p50: number; p99: number; max: number } {
  const s = Array.from(xs).sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] };
}

/** Place-and-cancel with either client: the times of the acknowledgement and of the cancel, ms. */
interface Client {
  pair(price: number): Promise<[number, number]>;
}

function portClient(x: CcxtExchange): Client {
  return {
    async pair(price) {
      const t0 = now();
      const o = await x.createOrder(SYMBOL, "limit", "buy", AMOUNT, price, { postOnly: true });
      const t1 = now();
      if (o.status !== "open") throw new Error(`bench live: the post-only order ${o.id} is ${o.status}, not resting`);
      await x.cancelOrder(o.id, SYMBOL);
      return [t1 - t0, now() - t1];
    },
  };
}

function ccxtClient(s: RunningServer): { ex: InstanceType<typeof ccxt.binance>; c: Client } {
  const ex = new ccxt.binance({ apiKey: ACCOUNT.key, secret: ACCOUNT.secret, enableRateLimit: true, rateLimit: 1, timeout: 10_000, options: OPTIONS });
  ex.urls.test = { public: `${s.url}/api/v3`, private: `${s.url}/api/v3` };
  ex.setSandboxMode(true);
  return {
    ex,
    c: {
      async pair(price) {
        const t0 = now();
        const o = await ex.createOrder(SYMBOL, "limit", "buy", AMOUNT, price, { postOnly: true });
        const t1 = now();
        if (o.status !== "open") throw new Error(`bench live: ccxt's post-only order ${o.id} is ${o.status}, not resting`);
        await ex.cancelOrder(o.id!, SYMBOL);
        return [t1 - t0, now() - t1];
      },
    },
  };
}

export interface LiveResult {
  readonly port: { readonly ack: number[]; readonly cancel: number[] };
  readonly peer: { readonly ack: number[]; readonly cancel: number[] };
  readonly decision: Awaited<ReturnType<typeof timeDecisions>>;
  /** Connections and look-ups that were not to the served port (empty, or the bench fails). */
  readonly offLoopback: string[];
  readonly connections: number;
  readonly servedPort: number;
  readonly price: number;
}

/** Runs both measurements: `pairs` timed place-and-cancel pairs per client, `ticks` timed bot ticks. */
export async function measureLive(pairs: number, ticks: number, warmTicks = WARM_TICKS): Promise<LiveResult> {
  const guard = guardLoopback();
  const s = await startServer({ kernel: WORLDS.normal.build(1), accounts: [ACCOUNT], speed: 1, weightLimit: 1_000_000 });
  let x: CcxtExchange | undefined;
  let served: RunningServer | undefined = s;
  try {
    x = await createCcxtExchange({
      id: "binance", symbol: SYMBOL, apiKey: ACCOUNT.key, secret: ACCOUNT.secret,
      urls: { public: `${s.url}/api/v3`, private: `${s.url}/api/v3` }, options: OPTIONS, rateLimitMs: 1,
    });
    const peer = ccxtClient(s);
    await peer.ex.loadMarkets();
    let book = await x.fetchOrderBook(SYMBOL, 5);
    // The served run starts with an empty book: its market makers quote within the first seconds.
    for (const t0 = now(); book.bids.length === 0; book = await x.fetchOrderBook(SYMBOL, 5)) {
      if (now() - t0 > BOOK_WAIT_MS) throw new Error(`bench live: the served book had no bids after ${BOOK_WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const tick = x.markets[SYMBOL].precision.price;
    const price = Number((Math.floor((book.bids[0][0] * 0.9) / tick) * tick).toFixed(8));
    const clients = [portClient(x), peer.c];
    const out = [{ ack: [] as number[], cancel: [] as number[] }, { ack: [] as number[], cancel: [] as number[] }];
    for (let i = 0; i < WARM_PAIRS + pairs; i++) {
      for (let k = 0; k < 2; k++) {
        const [ack, cancel] = await clients[k].pair(price);
        if (i < WARM_PAIRS) continue;
        out[k].ack.push(ack);
        out[k].cancel.push(cancel);
      }
    }
    await x.close();
    x = undefined;
    served = undefined;
    await s.close();
    const decision = await timeDecisions(warmTicks, ticks);
    guard.stop();
    return { port: out[0], peer: out[1], decision, offLoopback: guard.offLoopback([s.port]), connections: guard.attempts.length, servedPort: s.port, price };
  } finally {
    await x?.close();
    await served?.close();
    guard.stop();
  }
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

export async function run(args: BenchArgs): Promise<void> {
  const pairs = args.ops ?? DEFAULT_PAIRS;
  const r = await measureLive(pairs, TICKS);
  if (r.offLoopback.length > 0) throw new Error(`bench live: connections left loopback: ${r.offLoopback.join(", ")}`);
  const ack = stats(r.port.ack);
  const cancel = stats(r.port.cancel);
  const peerAck = stats(r.peer.ack);
  const peerCancel = stats(r.peer.cancel);
  const dec = stats(r.decision.ms);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({
      roundTripMsP50: r3(ack.p50), roundTripMsP99: r3(ack.p99), tickToDecisionMsP99: r3(dec.p99),
      tickToDecisionMsP50: r3(dec.p50), cancelMsP50: r3(cancel.p50), cancelMsP99: r3(cancel.p99),
      ccxtRoundTripMsP50: r3(peerAck.p50), ccxtRoundTripMsP99: r3(peerAck.p99), ccxtCancelMsP50: r3(peerCancel.p50), ccxtCancelMsP99: r3(peerCancel.p99),
      pairs, ticks: r.decision.ms.length, tickOrders: r.decision.orders, connectionsOffLoopback: r.offLoopback.length,
    })}\n`);
    return;
  }
  const say = (line: string) => void process.stdout.write(`${line}\n`);
  const ms = (v: number) => v.toFixed(3).padStart(8);
  const row = (name: string, q: { p50: number; p99: number; max: number }) => say(`  ${name.padEnd(34)} ${ms(q.p50)} ${ms(q.p99)} ${ms(q.max)}`);
  say(`live benchmark, Node ${process.version}, one process`);
  say(`order round trip: arena serve (normal, seed 1, real time) on 127.0.0.1:${r.servedPort}; post-only limit buy ${AMOUNT} BTC at ${r.price} (10% under the bid), then cancel;`);
  say(`  ${pairs} timed pairs per client after ${WARM_PAIRS} warm-up, the two clients alternating; ms from the call to its resolved answer`);
  say(`  ${"".padEnd(34)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`);
  row("CcxtExchange createOrder (ack)", ack);
  row("ccxt binance createOrder (peer)", peerAck);
  row("CcxtExchange cancelOrder", cancel);
  row("ccxt binance cancelOrder (peer)", peerCancel);
  say(`  CcxtExchange / ccxt, p50 ack: ${(ack.p50 / peerAck.p50).toFixed(2)}x`);
  say(`tick-to-decision: the strategy bot with the ensemble and the default risk rules, ${r.decision.ms.length.toLocaleString("en-US")} timed 1-minute candles after ${r.decision.warmBars.toLocaleString("en-US")} warm ones (seeded random walk)`);
  say(`  timed: from the host resolving the bot's fetchOHLCV with the new closed candle to the bot's createOrder call (${r.decision.orders} ticks)`);
  say(`  or, when it holds (${r.decision.holds} ticks), to its wake() resolving; its balance read is answered from memory (no network in the interval)`);
  row("tick-to-decision", dec);
  say(`  targets: < 1 ms p99 (issue), < 100 ms data -> decision (seed): p99 ${dec.p99.toFixed(4)} ms`);
  say(`loopback: ${r.connections} connections opened, all to the served port`);
}
