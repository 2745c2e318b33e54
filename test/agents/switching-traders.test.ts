// Switching traders in a world: they trade through the book, switch both ways, repeat a run exactly, and refuse bad params by name.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SwitchingTraders } from "../../agents/switching-traders.ts";
import { ValidationError } from "../../market/validate.ts";
import { buildScenario, typeRegistry } from "../../scenarios/build.ts";
import { parseScenario } from "../../scenarios/spec.ts";

const spec = (params: Record<string, unknown> = {}) =>
  parseScenario(
    {
      name: "switching-small",
      duration: "30m",
      initialPrice: 30_000,
      populations: [
        { type: "noise", count: 20, params: { ratePerMin: 3 } },
        { type: "market-maker", count: 2 },
        { type: "fundamental", count: 5, params: { ratePerMin: 5 } },
        { type: "switching", count: 1, params: { traders: 100, ...params } },
      ],
    },
    typeRegistry(),
  );

async function run(seed: number, params: Record<string, unknown> = {}) {
  const s = spec(params);
  const { kernel } = buildScenario(s, seed);
  let crowd: SwitchingTraders | undefined;
  for (let id = 0; id < kernel.agentCount; id++) {
    const a = kernel.agent(id);
    if (a instanceof SwitchingTraders) crowd = a;
  }
  const stats = await kernel.run(s.duration);
  return { digest: stats.digest, crowd: crowd! };
}

test("30 minutes with switching traders: both strategies gain and lose traders, orders fill, a seed repeats its digest", async () => {
  const a = await run(1);
  const c = a.crowd;
  assert.ok(c.totals.toFund > 0 && c.totals.toChartist > 0, `switches both ways (${JSON.stringify(c.totals)})`);
  assert.ok(c.totals.flips > 0, "chartists change opinion");
  assert.equal(c.crowd.plus + c.crowd.minus + c.crowd.fund, 100, "the crowd keeps its size");
  assert.ok(c.filled.bought > 0 && c.filled.sold > 0, `it bought and sold through the book (${JSON.stringify(c.filled)})`);
  const b = await run(1);
  assert.equal(b.digest, a.digest, "same seed, same digest");
  assert.deepEqual(b.crowd.crowd, c.crowd);
  assert.notEqual((await run(2)).digest, a.digest, "another seed, another world");
});

test("bad switching params are refused naming the field", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ traders: 5 }, "scenario.populations[3].params.traders"],
    [{ traders: 20, minGroup: 10 }, "scenario.populations[3].params.traders"],
    [{ s: 2 }, "scenario.populations[3].params.s"],
    [{ v2: 0 }, "scenario.populations[3].params.v2"],
    [{ stepSec: 120, trendSec: 60 }, "scenario.populations[3].params.trendSec"],
    [{ herd: 1 }, "scenario.populations[3].params"],
    [{ rule: "kirman" }, "scenario.populations[3].params.rule"],
    [{ rule: "brock-hommes", fitnessMemory: 1.5 }, "scenario.populations[3].params.fitnessMemory"],
  ];
  for (const [params, field] of cases) {
    assert.throws(() => spec(params), (e: unknown) => e instanceof ValidationError && e.message.includes(field), JSON.stringify(params));
  }
});

test("the Brock–Hommes rule in a world: both strategies gain and lose traders, opinions flip, a seed repeats its digest, and it is another world than Lux–Marchesi's", async () => {
  const bh = { rule: "brock-hommes", beta: 5 };
  const a = await run(1, bh);
  const c = a.crowd;
  assert.ok(c.totals.toFund > 0 && c.totals.toChartist > 0, `switches both ways (${JSON.stringify(c.totals)})`);
  assert.ok(c.totals.flips > 0, "chartists change opinion");
  assert.equal(c.crowd.plus + c.crowd.minus + c.crowd.fund, 100, "the crowd keeps its size");
  assert.equal((await run(1, bh)).digest, a.digest, "same seed, same digest");
  assert.notEqual((await run(1)).digest, a.digest);
});
