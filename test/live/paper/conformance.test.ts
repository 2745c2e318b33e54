// The Exchange conformance suite run against two paper brokers whose market data come from `arena serve` (an isolated venue) through CcxtExchange.
import { createPaperBroker, type PaperBroker } from "../../../live/paper/broker.ts";
import type { CcxtExchange } from "../../../live/ccxt-exchange.ts";
import { DEFAULT_INSTRUMENT } from "../../../market/instrument.ts";
import { exchangeConformance, type Clients, type Harness } from "../../market/exchange-conformance.ts";
import { connect, MAKER, serveIsolated, TAKER } from "../ccxt-exchange-harness.ts";
import { tempDir } from "./scripted-feed.ts";

/** Wall time a conformance script may take. */
const SCRIPT_LIMIT_MS = 30_000;
const APART = "two paper brokers never trade with each other: each fills only against the real (served) book and its public trades, which their orders never enter";

async function paperHarness(): Promise<Harness> {
  const symbol = DEFAULT_INSTRUMENT.symbol;
  return {
    symbol, refPrice: 30_000, isolated: true,
    async run<T>(script: (c: Clients) => Promise<T>): Promise<T> {
      const s = await serveIsolated();
      const data: CcxtExchange[] = [];
      const brokers: PaperBroker[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // One data source per broker: each reads its own stream of the venue's trades.
        for (const acct of [MAKER, TAKER]) {
          const d = await connect(s, acct);
          data.push(d);
          brokers.push(await createPaperBroker({
            data: d, symbol, balances: { BTC: 10, USDT: 1_000_000 }, costs: { makerFee: 0.001, takerFee: 0.001, latencyMs: 1, slippageBps: 0 }, journalDir: tempDir(),
          }));
        }
        const c: Clients = { maker: brokers[0], taker: brokers[1], symbol, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`script did not finish within ${SCRIPT_LIMIT_MS} ms`)), SCRIPT_LIMIT_MS);
        });
        return await Promise.race([script(c), limit]);
      } finally {
        clearTimeout(timer);
        for (const b of brokers) await b.close();
        for (const d of data) await d.close();
        await s.close();
      }
    },
  };
}

exchangeConformance("PaperBroker on arena serve's data", paperHarness, {
  notApplicable: {
    "a crossing order from the other client": APART,
    "a market order takes the best prices first": `${APART} (broker.test.ts walks a scripted book)`,
    "editOrder reducing the amount at the same price keeps time priority": `${APART} (queue.test.ts checks queue priority by public trades)`,
    "fetchOrderBook shows resting orders": APART,
    "watchOrderBook resolves with the book at its next change": `${APART}: the change the check waits for is the other client's order`,
    "watchTrades delivers public trades": `${APART}: the trade the check waits for is between the two clients`,
    "a post-only order that would cross": `${APART}: the ask it would cross is the other client's (broker.test.ts refuses post-only against a scripted book)`,
  },
});
