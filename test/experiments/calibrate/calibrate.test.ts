// Calibration end to end on worker threads: the worlds it judges are those `arena run` records, and it moves a mis-set volatility toward the truth.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { calibrate } from "../../../experiments/calibrate/calibrate.ts";
import worldFactsTask from "../../../experiments/world-facts-task.ts";
import { CALIBRATION_PARAMS } from "../../../experiments/calibrate/params.ts";
import { stylizedFacts } from "../../../experiments/facts.ts";
import { loadOhlcv } from "../../../experiments/ohlcv.ts";
import { runWorld } from "../../../experiments/run.ts";
import { typeRegistry } from "../../../scenarios/build.ts";
import { parseScenario } from "../../../scenarios/spec.ts";
import { tempDir } from "../../helpers/temp-dir.ts";

const TINY = JSON.parse(readFileSync(new URL("../../fixtures/calibrate-tiny.json", import.meta.url), "utf8")) as Record<string, unknown> & { fundamental: Record<string, unknown> };
/** The fewest minutes the facts take (MIN_FACTS_BARS bars). */
const DURATION = 241 * 60e9;
const withSigma = (sigma: number) => ({ ...TINY, fundamental: { ...TINY.fundamental, sigmaPerSqrtHour: sigma } });

test("a candidate's facts are exactly those of the bars.arrow `arena run FILE` writes for the same seed and duration", async () => {
  const out = join(tempDir("arena-calibrate-"), "run");
  await runWorld({ scenario: "calibrate-tiny", spec: parseScenario(TINY, typeRegistry()), seed: 3, durationNs: DURATION, out });
  const recorded = stylizedFacts(await loadOhlcv(join(out, "bars.arrow")));
  assert.deepEqual((await worldFactsTask({ spec: TINY, seed: 3, durationNs: DURATION })).facts, recorded);
});

test("from three times the true volatility, the search moves sigma toward the truth and lowers the objective", async () => {
  const truth = 0.004;
  const real = (await worldFactsTask({ spec: withSigma(truth), seed: 99, durationNs: DURATION })).facts;
  const sigma = CALIBRATION_PARAMS.find((p) => p.name === "sigmaPerSqrtHour")!;
  const cal = await calibrate({ spec: withSigma(3 * truth), real, params: [sigma], seeds: 2, budget: 3, seed: 1, durationNs: DURATION, workers: 2 });
  const before = cal.before.values.sigmaPerSqrtHour;
  const after = cal.after.values.sigmaPerSqrtHour;
  assert.equal(before, 3 * truth);
  assert.equal(cal.evaluations.length, 3);
  assert.ok(cal.after.objective < cal.before.objective, `objective ${cal.before.objective} -> ${cal.after.objective}`);
  assert.ok(Math.abs(Math.log(after / truth)) < Math.abs(Math.log(before / truth)), `sigma ${before} -> ${after}, truth ${truth}`);
  assert.equal((cal.after.spec.fundamental as Record<string, unknown>).sigmaPerSqrtHour, after, "the fitted scenario holds the fitted value");
});
