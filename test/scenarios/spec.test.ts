// Scenario files are checked at the boundary: every refusal names the field, the value and the rule.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { loadScenarioFile, parseScenario, type TypeRegistry } from "../../scenarios/spec.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const registry: TypeRegistry = {
  agents: {
    noise: z.strictObject({ ratePerMin: z.number().positive().default(6) }),
    "market-maker": z.strictObject({ spreadBps: z.number().positive().default(5) }),
  },
  shocks: { "fundamental-jump": z.strictObject({ sizePct: z.number().finite() }) },
  bots: { "buy-and-hold": z.strictObject({}) },
};

const good = () => ({
  name: "crash",
  description: "a sudden -30%",
  duration: "6h",
  initialPrice: 30_000,
  expectedMovePct: -30,
  populations: [
    { type: "noise", count: 50 },
    { type: "market-maker", count: 2, params: { spreadBps: 4 } },
  ],
  shocks: [{ at: "2h", type: "fundamental-jump", params: { sizePct: -30 } }],
  bots: [{ name: "hodl", type: "buy-and-hold" }],
});

test("a valid scenario parses with durations in ns, defaults filled and params checked by type", () => {
  const s = parseScenario(good(), registry);
  assert.equal(s.duration, 6 * 3600e9);
  assert.equal(s.shocks[0].at, 2 * 3600e9);
  assert.deepEqual(s.populations[0].params, { ratePerMin: 6 });
  assert.deepEqual(s.populations[1].params, { spreadBps: 4 });
  assert.equal(s.criteria.maxDrawdownPct, 15);
  assert.equal(s.epochMs, Date.UTC(2023, 2, 1));
  assert.equal(s.bots[0].quote, 100_000);
});

const refusals: [string, (s: ReturnType<typeof good>) => unknown, RegExp][] = [
  ["negative population", (s) => { s.populations[1].count = -3; }, /scenario\.populations\[1\]\.count: -3 is invalid: /],
  ["unknown agent type", (s) => { s.populations[0].type = "gambler"; }, /scenario\.populations\[0\]\.type: "gambler" is not a known type \(known: noise, market-maker\)/],
  ["shock outside the run", (s) => { s.shocks[0].at = "7h"; }, /scenario\.shocks\[0\]\.at: "7h" is invalid: must fall inside the run, which lasts 21600 s/],
  ["bad duration", (s) => { s.duration = "6 hours"; }, /scenario\.duration: "6 hours" is invalid: must be a positive duration/],
  ["bad params", (s) => { (s.populations[1] as { params: unknown }).params = { spreadBps: -1 }; }, /scenario\.populations\[1\]\.params\.spreadBps: -1 is invalid/],
  ["unknown param", (s) => { (s.populations[1] as { params: unknown }).params = { sprad: 4 }; }, /scenario\.populations\[1\]\.params: .* is invalid: Unrecognized key/],
  ["unknown shock type", (s) => { s.shocks[0].type = "meteor"; }, /scenario\.shocks\[0\]\.type: "meteor" is not a known type/],
  ["NaN price", (s) => { s.initialPrice = Number.NaN; }, /scenario\.initialPrice: NaN is invalid/],
  ["duplicate bot", (s) => { s.bots.push({ name: "hodl", type: "buy-and-hold" }); }, /scenario\.bots\[1\]\.name: "hodl" is invalid: is used by another bot/],
  ["no populations", (s) => { s.populations = []; }, /scenario\.populations: \[\] is invalid/],
  ["news shorter than a minute", (s) => { (s as Record<string, unknown>).fundamental = { newsMinutes: 0 }; }, /scenario\.fundamental\.newsMinutes: 0 is invalid/],
  ["slow volatility that never reverts", (s) => { (s as Record<string, unknown>).fundamental = { slowVolReversionPerHour: 0 }; }, /scenario\.fundamental\.slowVolReversionPerHour: 0 is invalid/],
  ["activity that never reverts", (s) => { (s as Record<string, unknown>).activity = { reversionPerHour: 0 }; }, /scenario\.activity\.reversionPerHour: 0 is invalid/],
  ["misspelt field", (s) => { (s as Record<string, unknown>).shoks = []; }, /scenario: .* is invalid: Unrecognized key.*shoks/],
];

for (const [name, edit, message] of refusals) {
  test(`refused: ${name}`, () => {
    const s = good();
    edit(s);
    assert.throws(() => parseScenario(s, registry), message);
  });
}

test("a scenario file that is missing, not JSON or invalid is refused naming the file", async () => {
  const dir = tempDir("arena-spec-");
  await assert.rejects(loadScenarioFile(join(dir, "nope.json"), registry), /nope\.json": cannot be read \(ENOENT\)/);
  await writeFile(join(dir, "bad.json"), "{ name: ");
  await assert.rejects(loadScenarioFile(join(dir, "bad.json"), registry), /bad\.json": is not JSON/);
  const s = good();
  s.populations[0].count = -1;
  await writeFile(join(dir, "neg.json"), JSON.stringify(s));
  await assert.rejects(loadScenarioFile(join(dir, "neg.json"), registry), /neg\.json: scenario\.populations\[0\]\.count: -1 is invalid/);
  await writeFile(join(dir, "ok.json"), JSON.stringify(good()));
  assert.equal((await loadScenarioFile(join(dir, "ok.json"), registry)).name, "crash");
});
