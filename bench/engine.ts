// `npm run bench -- engine`: our MatchingEngine against nodejs-order-book, in one process.
//
// Streams (bench/op-stream.ts, drawn once from a fixed seed, outside any timing):
// - mix: 60% GTC limit orders within ±50 ticks of a drifting mid (about one in six
//   marketable), 25% cancels of earlier passive limit orders, 15% market orders.
// - inserts: limit orders only, the same price/size distribution with cancels and market
//   orders turned off. Orders that cross are matched as they come (no filtering), so
//   "inserts" measures the add path with the occasional trade, as a real book sees it.
//
// Ours runs the full venue: 100 funded accounts, reservations on every resting order,
// fees on every fill, self-trade prevention, and every event written to an EventLog that
// is cleared whenever it passes 65,536 rows (what a consumer draining it does). The peer
// is given the same requests through its own API (string ids, no accounts, no balances).
//
// Each engine first runs the whole stream twice on fresh instances (warm-up, so both are
// JIT-compiled at their top tier), then the whole stream three more times, each on a fresh
// instance timed with process.hrtime.bigint(); the median run is reported. A cancel whose target already left the book (filled, or never
// accepted) is still fed and still counts as an operation, for both engines.
import { OrderBook, Side as PeerSide } from "nodejs-order-book";
import { MatchingEngine } from "../market/engine.ts";
import { EventLog } from "../market/event-log.ts";
import { makeInstrument } from "../market/instrument.ts";
import { Asset, Ledger } from "../market/ledger.ts";
import { OrderType, TimeInForce, type Side } from "../market/types.ts";
import type { BenchArgs } from "./main.ts";
import { generateOpStream, OpKind, type OpStream } from "./op-stream.ts";

const DEFAULT_OPS = 1_000_000;
const SEED = "btc-arena/bench/engine/v1";
const ACCOUNTS = 100;
/** Per account: 80,000,000 USDT (1e-6 units) and 800,000 BTC (sats); 100 accounts stay below 2^53. */
const QUOTE_PER_ACCOUNT = 80_000_000 * 1_000_000;
const BASE_PER_ACCOUNT = 800_000 * 100_000_000;
/** The event log is drained (cleared) when it holds more rows than this. */
const LOG_DRAIN_AT = 65_536;

interface OursResult {
  readonly ns: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly cancelMisses: number;
  readonly events: number;
  readonly resting: number;
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly conserved: boolean;
}

interface PeerResult {
  readonly ns: number;
  readonly errors: number;
  readonly cancelMisses: number;
  readonly bestBid: number;
  readonly bestAsk: number;
}

/** Runs the first `n` operations of `s` through a fresh MatchingEngine with funded accounts. */
function runOurs(s: OpStream, n: number): OursResult {
  const inst = makeInstrument();
  const ledger = new Ledger(ACCOUNTS);
  for (let a = 0; a < ACCOUNTS; a++) {
    const acct = ledger.open();
    ledger.deposit(acct, Asset.BASE, BASE_PER_ACCOUNT);
    ledger.deposit(acct, Asset.QUOTE, QUOTE_PER_ACCOUNT);
  }
  const log = new EventLog(LOG_DRAIN_AT * 2);
  const eng = new MatchingEngine(inst, ledger, log);
  const ids = new Float64Array(n);
  const { kind, side, account, price, size, target } = s;
  let rejected = 0;
  let cancelMisses = 0;
  let events = 0;

  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    if (k === OpKind.LIMIT) {
      const id = eng.submit(i, account[i], side[i] as Side, OrderType.LIMIT, TimeInForce.GTC, false, price[i], size[i], 0);
      ids[i] = id;
      if (id === 0) rejected++;
    } else if (k === OpKind.CANCEL) {
      if (!eng.cancel(i, account[i], ids[target[i]])) cancelMisses++;
    } else if (eng.submit(i, account[i], side[i] as Side, OrderType.MARKET, TimeInForce.IOC, false, 0, size[i], 0) === 0) {
      rejected++;
    }
    if (log.size > LOG_DRAIN_AT) {
      events += log.size;
      log.clear();
    }
  }
  const t1 = process.hrtime.bigint();

  events += log.size;
  const conserved = ledger.total(Asset.BASE) === ledger.deposited[Asset.BASE]
    && ledger.total(Asset.QUOTE) === ledger.deposited[Asset.QUOTE];
  let limits = 0;
  let markets = 0;
  for (let i = 0; i < n; i++) {
    if (kind[i] === OpKind.LIMIT) limits++;
    else if (kind[i] === OpKind.MARKET) markets++;
  }
  return {
    ns: Number(t1 - t0),
    accepted: limits + markets - rejected,
    rejected,
    cancelMisses,
    events,
    resting: eng.openOrderCount,
    bestBid: eng.bestBid(),
    bestAsk: eng.bestAsk(),
    conserved,
  };
}

/** Runs the first `n` operations of `s` through a fresh nodejs-order-book. */
function runPeer(s: OpStream, n: number, peerIds: readonly string[]): PeerResult {
  const ob = new OrderBook();
  const sides = [PeerSide.BUY, PeerSide.SELL] as const;
  const { kind, side, price, size, target } = s;
  let errors = 0;
  let cancelMisses = 0;

  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    if (k === OpKind.LIMIT) {
      if (ob.limit({ side: sides[side[i]], id: peerIds[i], size: size[i], price: price[i] }).err !== null) errors++;
    } else if (k === OpKind.CANCEL) {
      if (ob.cancel(peerIds[target[i]]) === undefined) cancelMisses++;
    } else if (ob.market({ side: sides[side[i]], size: size[i] }).err !== null) {
      errors++;
    }
  }
  const t1 = process.hrtime.bigint();

  const [asks, bids] = ob.depth();
  let bestBid = 0;
  for (const [p] of bids) if (p > bestBid) bestBid = p;
  let bestAsk = 0;
  for (const [p] of asks) if (bestAsk === 0 || p < bestAsk) bestAsk = p;
  return { ns: Number(t1 - t0), errors, cancelMisses, bestBid, bestAsk };
}

interface Comparison {
  readonly ours: OursResult;
  readonly peer: PeerResult;
  readonly oursOpsPerSec: number;
  readonly peerOpsPerSec: number;
}

/** Timed runs per engine; the median is reported, so one unlucky GC or JIT pause does not decide. */
const TIMED_RUNS = 3;
/** Untimed full passes per engine before the timed ones. */
const WARMUP_RUNS = 2;

function median<T extends { readonly ns: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ns - b.ns)[Math.floor(runs.length / 2)];
}

function compare(s: OpStream): Comparison {
  const n = s.length;
  // The peer identifies orders by string; its ids are made here, outside its timing.
  const peerIds: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) peerIds[i] = s.kind[i] === OpKind.LIMIT ? `o${i}` : "";

  // Warm-up: the whole stream twice, each on a fresh instance, so every path (deep books,
  // growth of the order arrays) is compiled at its top tier before anything is timed (one
  // pass is not enough for ours). No forced gc() between runs: a full collection makes V8
  // drop warmed code and type feedback, slowing whichever engine runs next.
  for (let w = 0; w < WARMUP_RUNS; w++) runOurs(s, n);
  const oursRuns: OursResult[] = [];
  for (let r = 0; r < TIMED_RUNS; r++) {
    oursRuns.push(runOurs(s, n));
  }
  for (let w = 0; w < WARMUP_RUNS; w++) runPeer(s, n, peerIds);
  const peerRuns: PeerResult[] = [];
  for (let r = 0; r < TIMED_RUNS; r++) {
    peerRuns.push(runPeer(s, n, peerIds));
  }
  const ours = median(oursRuns);
  const peer = median(peerRuns);
  return { ours, peer, oursOpsPerSec: (n * 1e9) / ours.ns, peerOpsPerSec: (n * 1e9) / peer.ns };
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

const fmtInt = (x: number): string => Math.round(x).toLocaleString("en-US");

export function run(args: BenchArgs): void {
  const ops = args.ops ?? DEFAULT_OPS;
  const say = args.json ? (_: string) => {} : (line: string) => void process.stdout.write(`${line}\n`);

  say(`engine benchmark: ${fmtInt(ops)} ops per stream, seed ${JSON.stringify(SEED)}, Node ${process.version}`);
  const mixStream = generateOpStream({ seed: SEED, ops, accounts: ACCOUNTS });
  const insertStream = generateOpStream({ seed: SEED, ops, accounts: ACCOUNTS, limitShare: 1, cancelShare: 0 });
  const [l, c, m] = mixStream.counts;
  say(`mix stream: ${fmtInt(l)} limits, ${fmtInt(c)} cancels, ${fmtInt(m)} market orders; inserts stream: ${fmtInt(insertStream.counts[0])} limits`);

  const mix = compare(mixStream);
  const inserts = compare(insertStream);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;

  if (args.json) {
    const part = (r: Comparison) => ({
      ours: Math.round(r.oursOpsPerSec),
      peer: Math.round(r.peerOpsPerSec),
      ratio: round(r.oursOpsPerSec / r.peerOpsPerSec, 2),
    });
    process.stdout.write(`${JSON.stringify({ mix: part(mix), inserts: part(inserts), peakRssMiB: round(peakRssMiB, 1) })}\n`);
    return;
  }

  const rows: [string, string, string, string, string][] = [["stream", "ours ops/s", "peer ops/s", "ratio", "target"]];
  rows.push(["mix", fmtInt(mix.oursOpsPerSec), fmtInt(mix.peerOpsPerSec), `${(mix.oursOpsPerSec / mix.peerOpsPerSec).toFixed(2)}x`, ">= 5,000,000 ops/s and >= 20x"]);
  rows.push(["inserts", fmtInt(inserts.oursOpsPerSec), fmtInt(inserts.peerOpsPerSec), `${(inserts.oursOpsPerSec / inserts.peerOpsPerSec).toFixed(2)}x`, ">= 10x"]);
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  say("");
  for (const r of rows) say(r.map((cell, col) => (col === 0 || col === 4 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join("  ").trimEnd());
  say("");
  say(`peak RSS: ${peakRssMiB.toFixed(1)} MiB (whole process, both engines)`);
  say("");
  say("sanity (untimed):");
  for (const [name, r, stream] of [["mix", mix, mixStream], ["inserts", inserts, insertStream]] as const) {
    const cancels = stream.counts[1];
    const missShare = (misses: number) => (cancels > 0 ? ` (${((100 * misses) / cancels).toFixed(0)}% of cancels)` : "");
    const o = r.ours;
    const p = r.peer;
    say(
      `  ${name}: ours accepted ${fmtInt(o.accepted)}, rejected ${fmtInt(o.rejected)}, cancel misses ${fmtInt(o.cancelMisses)}${missShare(o.cancelMisses)}, ` +
        `events ${fmtInt(o.events)} (${(o.events / ops).toFixed(2)}/op), resting ${fmtInt(o.resting)}, ` +
        `top ${o.bestBid}/${o.bestAsk}, money conserved ${o.conserved ? "yes" : "NO"}`,
    );
    say(`  ${name}: peer errors ${fmtInt(p.errors)}, cancel misses ${fmtInt(p.cancelMisses)}${missShare(p.cancelMisses)}, top ${p.bestBid}/${p.bestAsk}`);
  }
}
