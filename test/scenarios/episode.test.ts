// Episodes as scenarios: a window of bars becomes a path spec, its limits are refused by flag, and the built-in episodes load from data/ without joining the suite.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SUITE_SCENARIOS } from "../../experiments/suite.ts";
import { typeRegistry } from "../../scenarios/build.ts";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { bridgeSigma, episodeSpec, EpisodeWindowError } from "../../scenarios/episode.ts";
import { BUILTIN_EPISODES, episodeBuiltinSpec } from "../../scenarios/episodes.ts";
import { WORLDS } from "../../scenarios/registry.ts";
import { parseScenario } from "../../scenarios/spec.ts";

const H = 3_600_000;
const T0 = Date.parse("2022-11-06T00:00:00Z");
const hourly = { timestamps: [0, 1, 2, 3, 4, 5].map((i) => T0 + i * H), close: [100, 110, 99, 99, 120, 121] };
const req = { name: "ep", fromMs: T0 + H, toMs: T0 + 4 * H, data: "bars.csv" };

test("a window of bars becomes a scenario: its closes as the path, the span as duration, the first close as the start", () => {
  const spec = parseScenario(episodeSpec(hourly, req), typeRegistry());
  assert.deepEqual(spec.fundamental.path?.prices, [110, 99, 99, 120]);
  assert.equal(spec.fundamental.path?.step, 3600e9);
  assert.equal(spec.duration, 3 * 3600e9);
  assert.equal(spec.initialPrice, 110);
  assert.equal(spec.epochMs, T0 + 2 * H, "time 0 is when the first bar closed");
  assert.deepEqual(spec.populations, parseScenario(BUILTIN_SPECS.normal, typeRegistry()).populations, "normal's populations trade it");
  assert.ok(spec.fundamental.path!.bridgeSigmaPerSqrtHour > 0, "hourly points get a bridge");
  assert.equal(bridgeSigma([100, 101, 100], 60_000), 0, "1-minute points need none");
});

test("windows the bars cannot give are refused naming the flag", () => {
  const refused = (fromMs: number, toMs: number, flag: string, rule: RegExp) =>
    assert.throws(() => episodeSpec(hourly, { ...req, fromMs, toMs }), (e: unknown) => e instanceof EpisodeWindowError && e.flag === flag && rule.test(e.message));
  refused(T0 + 3 * H, T0 + 2 * H, "--from", /is not before --to/);
  refused(T0 + 2 * H, T0 + 2 * H, "--from", /is not before --to/);
  refused(T0 - H, T0 + 2 * H, "--from", /outside the file/);
  refused(T0, T0 + 9 * H, "--to", /outside the file/);
  refused(T0 + H, T0 + 2 * H, "--to", /leaves 2 bars.*at least 3/);
  refused(T0 + H / 2, T0 + 3 * H, "--from", /not the open time of a bar/);
  const gappy = { timestamps: hourly.timestamps.filter((_, i) => i !== 2), close: hourly.close.filter((_, i) => i !== 2) };
  assert.throws(() => episodeSpec(gappy, { ...req, fromMs: T0, toMs: T0 + 4 * H }), /--to: the window is not evenly spaced/);
});

test("a path spec refuses the process's parameters beside it, and a duration past its span", () => {
  const raw = episodeSpec(hourly, req) as { fundamental: Record<string, unknown> };
  assert.throws(() => parseScenario({ ...raw, fundamental: { ...raw.fundamental, sigmaPerSqrtHour: 0.01 } }, typeRegistry()), /scenario\.fundamental\.sigmaPerSqrtHour: 0\.01 is invalid: cannot be combined with fundamental\.path/);
  assert.throws(() => parseScenario({ ...raw, duration: "4h" }, typeRegistry()), /scenario\.duration: .*must be at most the span of fundamental\.path, 10800 s/);
});

test("the built-in episodes load from data/ and are runnable by name, but stay out of the suite's default list", () => {
  for (const name of Object.keys(BUILTIN_EPISODES)) {
    const spec = episodeBuiltinSpec(name);
    assert.ok(Object.hasOwn(WORLDS, name));
    assert.equal(WORLDS[name].defaultDurationNs, spec.duration);
    assert.equal(spec.fundamental.path!.prices[0], spec.initialPrice);
    assert.ok(!SUITE_SCENARIOS.includes(name));
  }
  const bank = episodeBuiltinSpec("banking-crisis-2023").fundamental.path!;
  assert.deepEqual([bank.prices.length, bank.step, bank.bridgeSigmaPerSqrtHour], [6481, 60e9, 0]);
  assert.equal(Math.min(...bank.prices), 19_597.03, "the low of 10 March 2023");
  const ftx = episodeBuiltinSpec("ftx-collapse-2022").fundamental.path!;
  assert.deepEqual([ftx.prices.length, ftx.step], [145, 3600e9]);
  assert.equal(Math.min(...ftx.prices), 15_732.48);
  assert.deepEqual(SUITE_SCENARIOS, ["normal", "crash", "pump-and-dump", "flash-crash", "high-volatility"]);
});
