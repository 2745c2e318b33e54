// CcxtExchange passes the Exchange conformance suite against `arena serve` (an isolated simulated venue on loopback), driven through ccxt's binance class: once with watch* polling fetch*, once with ccxt pro's WebSocket streams.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exchangeConformance } from "../market/exchange-conformance.ts";
import { ccxtHarness, type Streams } from "./ccxt-exchange-harness.ts";
import { guardLoopback } from "./loopback-guard.ts";

const NO_EDIT = "the served venue has no cancelReplace (exchangeInfo cancelReplaceAllowed: false), so has.editOrder is false";

for (const streams of ["poll", "ws"] as const satisfies readonly Streams[]) {
  exchangeConformance(`CcxtExchange on arena serve (streams: ${streams})`, ccxtHarness(streams), {
    notApplicable: {
      "has lists every method of the port as true": `${NO_EDIT}; ccxt-exchange.test.ts checks every other method is offered`,
      "editOrder reducing the amount at the same price keeps time priority": NO_EDIT,
      "editOrder to a bad price or amount": NO_EDIT,
    },
  });
}

// Registered before the suites' tests run and checked after them (a file's tests run in order).
const guard = guardLoopback();
test("CcxtExchange on arena serve: nothing left loopback in either mode (every connection, REST and WebSocket, went to 127.0.0.1)", () => {
  guard.stop();
  assert.ok(guard.attempts.length > 0);
  assert.deepEqual(guard.offLoopback(), []);
});
