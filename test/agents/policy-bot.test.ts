// The PolicyBot: a trained market policy as a bot in a scenario, deterministic; a bad policy file is refused with one clear message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyBot, PolicyBotParams } from "../../agents/bots/policy-bot.ts";
import { MINUTE } from "../../sim/clock.ts";
import { buildScenario, typeRegistry } from "../../scenarios/build.ts";
import { BUILTIN_SPECS } from "../../scenarios/builtins.ts";
import { parseScenario } from "../../scenarios/spec.ts";
import { writeMarketPolicy } from "../helpers/market-policy.ts";

const TMP = mkdtempSync(join(tmpdir(), "arena-policy-bot-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));
const GOOD = join(TMP, "good.json");
writeMarketPolicy(GOOD, { bias: [2, 2.5, 0, 0, 0, 0, 0] });

/** normal with only the policy bot beside its populations. */
function world(policy: string) {
  const raw = BUILTIN_SPECS.normal as object;
  return buildScenario(parseScenario({ ...raw, bots: [{ name: "rl", type: "policy", params: { policy } }] }, typeRegistry()), 3);
}

test("in normal the policy bot decides every simulated second and trades through the port; the same seed gives the same run", async () => {
  const a = world(GOOD);
  const sa = await a.kernel.run(8 * MINUTE);
  const bot = a.bots[0].bot as PolicyBot;
  assert.ok(bot.decisions >= 8 * 60 - 2 && bot.decisions <= 8 * 60, `decisions ${bot.decisions}`);
  assert.ok(bot.orders > 0, "it sent orders");
  const sb = await world(GOOD).kernel.run(8 * MINUTE);
  assert.equal(sb.digest, sa.digest);
});

test("a bad policy is refused at the params with one message naming the file and what is wrong", () => {
  const corrupt = join(TMP, "corrupt.json");
  writeFileSync(corrupt, '{"format": "btc-arena/policy", "version": 1, "env":');
  const small = join(TMP, "small.json");
  writeMarketPolicy(small, { obsSize: 40 });
  const cartpole = join(TMP, "cartpole.json");
  writeFileSync(cartpole, JSON.stringify({ ...JSON.parse(readFileSync(GOOD, "utf8")), market: undefined, env: "cartpole" }));
  const cases: [string, RegExp][] = [
    [join(TMP, "missing.json"), /policy .*missing.json cannot be read \(ENOENT\)/],
    [corrupt, /policy .*corrupt.json is corrupt: not valid JSON/],
    [small, /policy .*small.json observes 40 values, but the market state \(version 1\) has 51/],
    [cartpole, /policy .*cartpole.json was trained on cartpole, not a market scenario/],
  ];
  for (const [path, message] of cases) {
    const r = PolicyBotParams.safeParse({ policy: path });
    assert.equal(r.success, false, path);
    assert.equal(r.error!.issues.length, 1);
    assert.match(r.error!.issues[0].message, message);
  }
  assert.equal(PolicyBotParams.safeParse({ policy: GOOD }).success, true);
});
