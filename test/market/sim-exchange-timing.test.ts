// Every Exchange method of SimExchange resumes the code awaiting it at the simulated time its answer arrives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EXCHANGE_METHODS, type Exchange, type ExchangeMethod } from "../../market/exchange.ts";
import { MS, SECOND } from "../../sim/clock.ts";
import { Kernel, type AgentContext } from "../../sim/kernel.ts";

/** Order latency (agent to venue) and data latency (venue to agent): distinct and without jitter, so a sum names one path. */
const IN = 3 * MS;
const OUT = 5 * MS;
const ROUND_TRIP = IN + OUT;
const EPOCH_MS = 1_700_000_000_000;
const OTHER_SYMBOL = "ETH/USDT";
/** 0.001 BTC at 30,000 USDT: over the 5 USDT minimum. */
const A = 0.001;
const P = 30_000;

/** The client under test, another one to trade with, and the kernel whose clock is read. */
interface Env {
  readonly ex: Exchange;
  readonly other: Exchange;
  readonly symbol: string;
  readonly kernel: Kernel;
}

interface Case {
  /** Brings the client to the state the call needs (not timed); its result is handed to `call`. */
  setup?(e: Env): Promise<string>;
  /** The call whose awaiting is timed, from the instant it is made. */
  call(e: Env, arg: string): unknown;
  /** When the awaiting code resumes, ns after the call: the documented arrival of the answer. */
  resumesAfter: number;
  /** Checks the answer, when there is something to check; `calledAt` is the call's simulated time (ns). */
  check?(value: unknown, calledAt: number): void;
  /** The same method refused before anything is sent (an unknown symbol): resumes at once. Null when it takes no symbol. */
  refused: ((e: Env, arg: string) => unknown) | null;
  /** For a stream: brings the client to hold an unread item, so that the next call answers at once. */
  buffered?(e: Env): Promise<void>;
}

/** A resting buy far from the market: its id. */
const restingBuy = async ({ ex, symbol }: Env): Promise<string> => (await ex.createOrder(symbol, "limit", "buy", A, 29_000)).id;
/** The other client rests a sell at P, which the client under test then takes. */
const askFromOther = async ({ other, symbol }: Env): Promise<string> => (await other.createOrder(symbol, "limit", "sell", 10 * A, P)).id;
const take = ({ ex, symbol }: Env): void => void ex.createOrder(symbol, "limit", "buy", A, P);
/** Two fills of the client under test while it watches: the first answers the watch, the second waits unread. */
const twoFillsWatched = (watch: (e: Env) => Promise<unknown>) => async (e: Env): Promise<void> => {
  await askFromOther(e);
  void watch(e);
  await e.ex.createOrder(e.symbol, "limit", "buy", A, P);
  await e.ex.createOrder(e.symbol, "limit", "buy", A, P);
  await e.ex.fetchBalance(); // one more round trip: both fills have arrived
};

/**
 * One case per method of the port, as the type demands (a method added to `Exchange` fails
 * to compile here, and fails the loop below at run time, until it has its case).
 */
const CASES: { readonly [K in ExchangeMethod]: Case } = {
  createOrder: {
    call: ({ ex, symbol }) => ex.createOrder(symbol, "limit", "buy", A, 29_000),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.createOrder(OTHER_SYMBOL, "limit", "buy", A, 29_000),
  },
  cancelOrder: {
    setup: restingBuy,
    call: ({ ex, symbol }, id) => ex.cancelOrder(id, symbol),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }, id) => ex.cancelOrder(id, OTHER_SYMBOL),
  },
  editOrder: {
    setup: restingBuy,
    call: ({ ex, symbol }, id) => ex.editOrder(id, symbol, "limit", "buy", A, 28_999),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }, id) => ex.editOrder(id, OTHER_SYMBOL, "limit", "buy", A, 28_999),
  },
  fetchOrder: {
    setup: restingBuy,
    call: ({ ex, symbol }, id) => ex.fetchOrder(id, symbol),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }, id) => ex.fetchOrder(id, OTHER_SYMBOL),
  },
  fetchOpenOrders: {
    call: ({ ex, symbol }) => ex.fetchOpenOrders(symbol),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.fetchOpenOrders(OTHER_SYMBOL),
  },
  fetchBalance: {
    call: ({ ex }) => ex.fetchBalance(),
    resumesAfter: ROUND_TRIP,
    refused: null,
  },
  milliseconds: {
    // The one synchronous method: no message, so no time passes.
    call: ({ ex }) => ex.milliseconds(),
    resumesAfter: 0,
    check: (v, at) => assert.equal(v, EPOCH_MS + Math.floor(at / MS)),
    refused: null,
  },
  fetchOrderBook: {
    call: ({ ex, symbol }) => ex.fetchOrderBook(symbol, 5),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.fetchOrderBook(OTHER_SYMBOL, 5),
  },
  fetchMyTrades: {
    call: ({ ex, symbol }) => ex.fetchMyTrades(symbol),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.fetchMyTrades(OTHER_SYMBOL),
  },
  fetchOHLCV: {
    call: ({ ex, symbol }) => ex.fetchOHLCV(symbol, "1m"),
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.fetchOHLCV(OTHER_SYMBOL, "1m"),
  },
  // A watch answers with the next change: here the client's own order, sent at the same
  // instant, reaches the venue after IN and the change comes back after OUT.
  watchOrderBook: {
    call: (e) => {
      const w = e.ex.watchOrderBook(e.symbol, 5);
      void e.ex.createOrder(e.symbol, "limit", "buy", A, 29_000);
      return w;
    },
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.watchOrderBook(OTHER_SYMBOL, 5),
  },
  watchTrades: {
    setup: askFromOther,
    call: (e) => {
      const w = e.ex.watchTrades(e.symbol);
      take(e);
      return w;
    },
    resumesAfter: ROUND_TRIP,
    check: (v) => assert.equal((v as unknown[]).length, 1),
    refused: ({ ex }) => ex.watchTrades(OTHER_SYMBOL),
    buffered: twoFillsWatched((e) => e.ex.watchTrades(e.symbol)),
  },
  watchMyTrades: {
    setup: askFromOther,
    call: (e) => {
      const w = e.ex.watchMyTrades(e.symbol);
      take(e);
      return w;
    },
    resumesAfter: ROUND_TRIP,
    check: (v) => assert.equal((v as unknown[]).length, 1),
    refused: ({ ex }) => ex.watchMyTrades(OTHER_SYMBOL),
    buffered: twoFillsWatched((e) => e.ex.watchMyTrades(e.symbol)),
  },
  watchOrders: {
    call: (e) => {
      const w = e.ex.watchOrders(e.symbol);
      void e.ex.createOrder(e.symbol, "limit", "buy", A, 29_000);
      return w;
    },
    resumesAfter: ROUND_TRIP,
    refused: ({ ex }) => ex.watchOrders(OTHER_SYMBOL),
    buffered: twoFillsWatched((e) => e.ex.watchOrders(e.symbol)),
  },
};

/** How the caller waits: `await` in an async function, or `.then` attached by synchronous code (a plain wake). */
type Mode = "await" | "then";
const MODES: readonly Mode[] = ["await", "then"];

interface Outcome {
  /** Simulated ns between making the call and the waiting code running again. */
  readonly after: number;
  readonly at: number;
  readonly ok: boolean;
  readonly value: unknown;
}

/**
 * In a fresh kernel, `prepare`s the client under test (in its async start, after the other
 * client has started), then makes `call` and times when the code waiting on it runs: within
 * the start (`await`) or from a synchronous wake a millisecond later (`then`). Simulated time
 * keeps going (a clock agent wakes every millisecond), so a continuation not run at its
 * answer's time runs later, or never within the run.
 */
async function timeCall(mode: Mode, prepare: (e: Env) => Promise<string>, call: (e: Env, arg: string) => unknown): Promise<Outcome> {
  const kernel = new Kernel({ seed: "timing", epochMs: EPOCH_MS, defaultLatency: { inNs: IN, outNs: OUT, jitterNs: 0 } });
  let other: Exchange | undefined;
  let outcome: Outcome | undefined;
  let failure: unknown;
  let armed: (() => void) | undefined;
  const done = (at: number, ok: boolean, value: unknown): void => {
    outcome = { after: kernel.now - at, at, ok, value };
  };
  kernel.addAgent("other", { start: (ctx: AgentContext) => void (other = ctx.exchange) }, { base: 10, quote: 1_000_000 });
  kernel.addAgent("clock", { start: (ctx) => ctx.wakeIn(MS), wake: (ctx) => ctx.wakeIn(MS) });
  kernel.addAgent("subject", {
    async start(ctx) {
      const e: Env = { ex: ctx.exchange, other: other!, symbol: ctx.symbol, kernel };
      try {
        const arg = await prepare(e);
        if (mode === "await") {
          const at = kernel.now;
          try {
            done(at, true, await call(e, arg));
          } catch (err) {
            done(at, false, err);
          }
          return;
        }
        armed = () => {
          const at = kernel.now;
          let r: unknown;
          try {
            r = call(e, arg);
          } catch (err) {
            done(at, false, err);
            return;
          }
          if (r instanceof Promise) r.then((v) => done(at, true, v), (err: unknown) => done(at, false, err));
          else done(at, true, r);
        };
        ctx.wakeIn(MS);
      } catch (err) {
        failure = err;
      }
    },
    wake() {
      const f = armed;
      armed = undefined;
      f?.();
    },
  }, { base: 10, quote: 1_000_000 });
  await kernel.run(10 * SECOND);
  if (failure !== undefined) throw failure;
  if (outcome === undefined) throw new Error("the call did not settle within 10 s of simulated time");
  return outcome;
}

const nothing = async (): Promise<string> => "";

test("the timing cases cover exactly the methods of the Exchange port", () => {
  assert.deepEqual(Object.keys(CASES).sort(), [...EXCHANGE_METHODS].sort());
});

for (const method of EXCHANGE_METHODS) {
  const c: Case | undefined = CASES[method];
  test(`SimExchange.${method}: waiting code resumes at the answer's arrival (send + ${IN / MS} ms order latency + ${OUT / MS} ms data latency, or as documented)`, async () => {
    assert.ok(c !== undefined, `no timing case for Exchange.${method}: add one to CASES`);
    for (const mode of MODES) {
      const r = await timeCall(mode, c.setup ?? nothing, c.call);
      assert.ok(r.ok, `${mode}: ${String(r.value)}`);
      assert.equal(r.after, c.resumesAfter, `${method} (${mode}) resumed ${r.after} ns after the call`);
      c.check?.(r.value, r.at);
    }
  });

  if (c?.refused) {
    const refused = c.refused;
    test(`SimExchange.${method}: a call refused before anything is sent resumes its caller at once`, async () => {
      for (const mode of MODES) {
        const r = await timeCall(mode, c.setup ?? nothing, refused);
        assert.ok(!r.ok && r.value instanceof Error && /is not traded here/.test(r.value.message), `${mode}: refused naming the symbol, got ${String(r.value)}`);
        assert.equal(r.after, 0, `${method} (${mode}) resumed ${r.after} ns after the call`);
      }
    });
  }

  if (c?.buffered) {
    const buffered = c.buffered;
    test(`SimExchange.${method}: with an item already received and unread, waiting code resumes at once`, async () => {
      for (const mode of MODES) {
        const r = await timeCall(mode, async (e) => (await buffered(e), ""), c.call);
        // The call's own order has not arrived yet: what answers it is the item already held.
        assert.ok(r.ok && Array.isArray(r.value) && r.value.length >= 1, `${mode}: ${String(r.value)}`);
        assert.equal(r.after, 0, `${method} (${mode}) resumed ${r.after} ns after the call`);
      }
    });
  }
}
