// In the simulator a strategy bot's entries are no larger than its risk manager allows, judged from the venue's event log.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildScenario, BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { typeRegistry } from "../../scenarios/build.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { BarBuilder } from "../../sim/bars.ts";
import { watchBotOrders } from "./helpers/bot-orders.ts";

const MINUTE = 60_000_000_000;
const STRATEGIES = ["sma-cross", "trend-following", "mean-reversion", "breakout", "ensemble"];

// Every rule strategy at the default limit (10% of equity), and two at a tighter 5%, so the
// bound followed is the configured one and not a constant.
const spec = parseScenario(
  {
    ...(BUILTIN_SPECS.crash as object),
    bots: [
      ...STRATEGIES.map((s) => ({ name: s, type: "strategy", params: { strategy: s } })),
      ...["sma-cross", "mean-reversion"].map((s) => ({ name: `${s}-5pct`, type: "strategy", params: { strategy: s, risk: { maxPositionPct: 0.05 } } })),
    ],
  },
  typeRegistry(),
);
const LIMIT: Readonly<Record<string, number>> = Object.fromEntries(spec.bots.map((b) => [b.name, b.name.endsWith("-5pct") ? 0.05 : 0.1]));

test("every entry a strategy bot sends in the crash is at most the risk manager's share of its equity at the decision (10% by default, 5% when so configured)", async () => {
  let entries = 0;
  for (const seed of [1, 2]) {
    const { kernel, bots } = buildScenario(spec, seed);
    const orders = watchBotOrders(kernel, spec, bots);
    const bars = new BarBuilder(kernel.venue.instrument, {});
    kernel.observe(bars);
    await kernel.run(spec.duration);
    bars.finish(spec.duration);
    const closeAt = new Map<number, number>();
    const opens = bars.openTimesNs();
    const closes = bars.closes();
    opens.forEach((t, i) => closeAt.set(t, closes[i]));
    for (const o of orders) {
      if (o.side !== "buy" || o.filled === 0) continue;
      entries++;
      // The bot decides on closed 1-minute candles: the last one closed before the order
      // arrived. Its equity then is what it held (from its endowment and fills) at that close.
      const decisionClose = closeAt.get(Math.floor(o.ts / MINUTE) * MINUTE - MINUTE)!;
      assert.ok(decisionClose > 0, `seed ${seed} ${o.bot}: a candle closed before the entry at ${o.ts} ns`);
      const equity = o.quoteBefore + o.baseBefore * decisionClose;
      const atDecision = o.filled * decisionClose;
      const limit = LIMIT[o.bot] * equity;
      const where = `seed ${seed} ${o.bot} at minute ${(o.ts / MINUTE).toFixed(2)}: bought ${o.filled.toFixed(4)} BTC`;
      assert.ok(atDecision <= limit * (1 + 1e-9), `${where} = ${atDecision.toFixed(2)} USDT at the decision's close ${decisionClose}, over ${LIMIT[o.bot] * 100}% of equity ${equity.toFixed(2)} (${limit.toFixed(2)})`);
      // What it paid stays within 5% of that bound: a market buy in the minute after the crash,
      // with the makers stepped back, walks a thin ask side (the slippage is the book's, the
      // size the risk manager's).
      assert.ok(o.notional <= limit * 1.05, `${where} for ${o.notional.toFixed(2)} USDT, over ${LIMIT[o.bot] * 100}% of equity ${equity.toFixed(2)} by more than slippage`);
    }
  }
  assert.ok(entries >= 10, `the bots entered ${entries} times over two seeds; the check needs entries to judge`);
});
