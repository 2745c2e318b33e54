// Which scenarios a suite takes: the five built-ins by default, the built-in episodes by name, extra bots added to either.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkSuiteOptions, SUITE_SCENARIOS } from "../../experiments/suite.ts";
import { withBots } from "../../experiments/suite-bots.ts";

const OPTS = { seeds: 1, workers: 1 };

test("a suite takes the built-in episodes by name; its default list stays the five scenarios; an unknown name lists every one", () => {
  assert.deepEqual([...SUITE_SCENARIOS], ["normal", "crash", "pump-and-dump", "flash-crash", "high-volatility"]);
  checkSuiteOptions({ ...OPTS, scenarios: ["banking-crisis-2023", "ftx-collapse-2022", "normal"] });
  assert.throws(() => checkSuiteOptions({ ...OPTS, scenarios: ["nope"] }), /--scenarios: "nope" is not a built-in \(known: normal, .*, banking-crisis-2023, ftx-collapse-2022\)/);
});

test("bots added to an episode (arena suite --policy) come after its own, and it keeps its real path", () => {
  const spec = withBots("ftx-collapse-2022", [{ name: "extra", type: "buy-and-hold" }]);
  assert.equal(spec.bots.at(-1)?.name, "extra");
  assert.ok(spec.bots.length > 1, "the episode's own bots are kept");
  assert.ok(spec.fundamental.path !== undefined);
});
