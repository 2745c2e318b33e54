// A scenario the venue cannot hold, or whose times are not times, is refused when it is read, naming the field, the value and the rule.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { buildScenario, typeRegistry } from "../../scenarios/build.ts";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { parseScenario } from "../../scenarios/spec.ts";

type Pop = { type: string; name?: string; count: number; params?: Record<string, unknown> };
type Raw = { name: string; duration: string; initialPrice: number; populations: Pop[]; shocks?: unknown[]; bots?: unknown[]; fundamental?: Record<string, unknown>; instrument?: Record<string, unknown> };

const good = (): Raw => ({
  name: "limits",
  duration: "1h",
  initialPrice: 30_000,
  populations: [
    { type: "noise", count: 20, params: { ratePerMin: 3 } },
    { type: "market-maker", count: 2 },
  ],
});
const parse = (s: Raw) => parseScenario(s, typeRegistry());
const refused = (edit: (s: Raw) => void, message: RegExp) => {
  const s = good();
  edit(s);
  assert.throws(() => parse(s), message);
};
const SECOND = 1e9;

test("every built-in and every example file passes the limits", () => {
  for (const spec of Object.values(BUILTIN_SPECS)) parseScenario(spec, typeRegistry());
  for (const f of readdirSync("scenarios/examples").filter((f) => f.endsWith(".json"))) {
    parseScenario(JSON.parse(readFileSync(`scenarios/examples/${f}`, "utf8")), typeRegistry());
  }
});

test("endowments: a population past 2^53 − 1 quote units is refused with how many agents fit", () => {
  // 300,000 USDT each at 1e6 units per USDT: 30,023 agents fit, 30,024 do not.
  refused((s) => { s.populations = [{ type: "noise", count: 30_024 }]; }, /scenario\.populations\[0\]\.count: 30024 agents × 300000 quote coins each take the venue's quote endowments to 9007200000000000 USDT units .* past 2\^53 − 1 = 9007199254740991; at most 30023 such agents fit/);
  const s = good();
  s.populations = [{ type: "noise", count: 30_023 }];
  assert.equal(parse(s).populations[0].count, 30_023);
  // Each population fits alone; together they do not, and the one that crosses is named.
  refused((s) => { s.populations = [{ type: "noise", count: 20_000 }, { type: "noise", name: "more", count: 20_000 }]; }, /scenario\.populations\[1\]\.count: 20000 agents .* at most 10023 such agents fit/);
  refused((s) => { s.bots = [{ name: "rich", type: "buy-and-hold", quote: 9.005e9 }]; }, /scenario\.bots\[0\]\.quote: 9005000000 quote coins take the venue's quote endowments to .* past 2\^53 − 1/);
});

test("names: two populations of one type need a name; the default keeps TYPE/i and its digest", async () => {
  refused((s) => { s.populations.push({ type: "noise", count: 5 }); }, /scenario\.populations\[2\]\.type: "noise": its agents would be named noise\/0, noise\/1\.\.\. as populations\[0\]'s are; give one of the two populations of this type its own "name" \(e\.g\. "noise-2"\)/);
  refused((s) => { s.populations[1].name = "noise"; }, /scenario\.populations\[1\]\.name: "noise" is already used by populations\[0\]/);
  refused((s) => { s.populations[0].name = "bot"; }, /scenario\.populations\[0\]\.name: "bot" is reserved/);
  refused((s) => { s.populations[0].name = "Big Noise"; }, /scenario\.populations\[0\]\.name: "Big Noise" is invalid: must be lower-case/);
  const run = async (s: Raw) => (await buildScenario(parse(s), 1).kernel.run(60 * SECOND)).digest;
  const named = good();
  named.populations[0].name = "noise";
  assert.equal(await run(named), await run(good()), "a population named after its type is the same world");
  const two = good();
  two.populations.push({ type: "noise", name: "slow-noise", count: 5, params: { ratePerMin: 1 } });
  assert.notEqual(await run(two), await run(good()));
});

test("times: every interval param is at least 1 ns and at most its cap once converted", () => {
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ["market-maker", "refreshMs", {}, /at least 1 ns \(0\.000001 ms\) and at most 1 day \(86400000 ms\)/],
    ["market-maker", "cooldownSec", {}, /0 or at least 1 ns/],
    ["noise", "lifetimeSec", {}, /at most 104 days/],
    ["fundamental", "lifetimeSec", {}, /at most 104 days/],
    ["momentum", "lookbackSec", {}, /at most 104 days/],
    ["momentum", "holdSec", {}, /at most 104 days/],
    ["pump-and-dump", "stepSec", { pumpAt: "10m", dumpAt: "20m", endAt: "30m" }, /at most 1 day/],
    ["spoofer", "refreshSec", { until: "10m" }, /at most 1 day/],
    ["liquidation-cascade", "stepSec", { at: "10m" }, /at most 1 day/],
    ["liquidation-cascade", "activeSec", { at: "10m" }, /at most 104 days/],
  ];
  for (const [type, param, extra, rule] of cases) {
    for (const bad of [1e-12, 1e308, -1]) {
      refused((s) => { s.populations.push({ type, name: "x", count: 1, params: { ...extra, [param]: bad } }); }, new RegExp(`scenario\\.populations\\[2\\]\\.params\\.${param}: ${String(bad).replace("+", "\\+")} is invalid: must be a time of .*${rule.source}`));
    }
  }
  refused((s) => { s.populations[0].params = { ratePerMin: 1e-300 }; }, /scenario\.populations\[0\]\.params\.ratePerMin: 1e-300 is invalid: must be at least 0\.000694\d* \(one a day\)/);
  refused((s) => { s.shocks = [{ at: "10m", type: "liquidity-withdrawal", params: { share: 0.5, minutes: 1e308 } }]; }, /scenario\.shocks\[0\]\.params\.minutes: 1e\+308 is invalid: must be a time/);
  refused((s) => { s.shocks = [{ at: "10m", type: "fundamental-jump", params: { sizePct: 1e300 } }]; }, /scenario\.shocks\[0\]\.params\.sizePct: 1e\+300 is invalid: must be at most 900/);
  refused((s) => { s.fundamental = { sigmaPerSqrtHour: 1e300 }; }, /scenario\.fundamental\.sigmaPerSqrtHour: 1e\+300 is invalid: must be at most 1/);
});

test("a refresh that is not a whole number of ms still runs (rounded to whole ns)", async () => {
  const s = good();
  s.populations[1].params = { refreshMs: 1.0000001 };
  const stats = await buildScenario(parse(s), 1).kernel.run(5 * SECOND);
  assert.ok(stats.events.accepted > 0);
});

test("prices: the start is at least 10,000 ticks and leaves ten-fold room; order sizes stay representable there", () => {
  refused((s) => { s.initialPrice = 1e-300; }, /scenario\.initialPrice: 1e-300 is 1e-298 ticks of 0\.01; it must be at least 10000 ticks \(100 USDT\)/);
  refused((s) => { s.initialPrice = 99.99; }, /scenario\.initialPrice: 99\.99 is .* ticks of 0\.01; it must be at least 10000 ticks/);
  refused((s) => { s.initialPrice = 1e308; }, /scenario\.initialPrice: 1e\+308 is past the highest starting price the instrument can quote with 10-fold room to rise/);
  const low = good();
  low.initialPrice = 100;
  assert.equal(parse(low).initialPrice, 100);
  // At 30,000 USDT ×10 with a 0.1% fee, 29,994 BTC is the largest order worth a safe number of micro-USDT.
  refused((s) => { s.populations[1].params = { quoteSize: 1e308 }; }, /scenario\.populations\[1\]\.params\.quoteSize: 1e\+308 coins as one order at 10 × the starting price of 30000 USDT, fee included, is worth more than 2\^53 − 1 .* it must be at most 29994 coins/);
  refused((s) => { s.populations[1].params = { quoteSize: 29_995 }; }, /quoteSize: 29995 coins/);
  const ok = good();
  ok.populations[1].params = { quoteSize: 29_994 };
  parse(ok);
  refused((s) => { s.populations[0].params = { sizeMax: 1e9 }; }, /scenario\.populations\[0\]\.params\.sizeMax: 1000000000 coins as one order/);
  refused((s) => { s.instrument = { tickSize: 1e-7 }; }, /scenario\.instrument\.tickSize: 1e-7 × lotSize 0\.0001 is not a whole number of quote units/);
});

test("a bot's times are bounded as its ms clock can keep them: ema-cross's intervalSec and buy-and-hold's delaySec", () => {
  refused((s) => { s.bots = [{ name: "e", type: "ema-cross", quote: 1000, params: { intervalSec: 1e-9 } }]; }, /intervalSec.*at least 1 ms/);
  refused((s) => { s.bots = [{ name: "e", type: "ema-cross", quote: 1000, params: { intervalSec: 1e308 } }]; }, /intervalSec.*at most a day/);
  refused((s) => { s.bots = [{ name: "h", type: "buy-and-hold", quote: 1000, params: { delaySec: 1e308 } }]; }, /delaySec.*at most a week/);
  const s = good();
  s.bots = [{ name: "e", type: "ema-cross", quote: 1000, params: { intervalSec: 0.001 } }, { name: "h", type: "buy-and-hold", quote: 1000, params: { delaySec: 0 } }];
  parse(s);
});
