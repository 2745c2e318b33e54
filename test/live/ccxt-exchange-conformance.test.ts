// CcxtExchange passes the Exchange conformance suite against `arena serve` (an isolated simulated venue on loopback), driven through ccxt's binance class.
import { exchangeConformance } from "../market/exchange-conformance.ts";
import { ccxtHarness } from "./ccxt-exchange-harness.ts";

const NO_EDIT = "the served venue has no cancelReplace (exchangeInfo cancelReplaceAllowed: false), so has.editOrder is false";

exchangeConformance("CcxtExchange on arena serve", ccxtHarness, {
  notApplicable: {
    "has lists every method of the port as true": `${NO_EDIT}; ccxt-exchange.test.ts checks every other method is offered`,
    "editOrder reducing the amount at the same price keeps time priority": NO_EDIT,
    "editOrder to a bad price or amount": NO_EDIT,
  },
});
