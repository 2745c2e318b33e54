// One bot object, one hash: key order and spelled-out defaults do not change it, any param does; the gates' defaults are issue 23's.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DEFAULT_GATES, loadGates } from "../../../experiments/promotion/gates.ts";
import { botIdentity, canonicalJson } from "../../../experiments/promotion/identity.ts";
import { isServedVenue } from "../../../cli/promotion-check.ts";
import { tempDir } from "../../helpers/temp-dir.ts";

describe("bot identity", () => {
  it("canonical JSON ignores key order at every depth", () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
      const reversed = Object.fromEntries(Object.entries(o).reverse());
      assert.equal(canonicalJson(reversed), canonicalJson(o));
      assert.deepEqual(JSON.parse(canonicalJson(o)), JSON.parse(JSON.stringify(o)));
    }));
  });

  it("hashes the params after the schema: defaults spelled out or keys reordered are the same bot, another value is another", () => {
    const a = botIdentity("strategy", { strategy: "ensemble" });
    const b = botIdentity("strategy", { feed: "1m", risk: {}, params: {}, strategy: "ensemble" });
    assert.equal(a.hash, b.hash);
    assert.notEqual(botIdentity("strategy", { strategy: "ensemble", risk: { stopLossPct: 0.02 } }).hash, a.hash);
    assert.notEqual(botIdentity("ema-cross", {}).hash, botIdentity("buy-and-hold", {}).hash);
    assert.throws(() => botIdentity("strategy", { strategy: "ensemble", colour: 1 }), /params: .* is invalid/);
    assert.throws(() => botIdentity("nope", {}), /BOT: "nope" is not a registered bot/);
  });
});

describe("gates", () => {
  it("defaults: every built-in passed, OOS return > 0 with PBO < 0.5, 7 days of paper under 15% drawdown; a file overrides field by field", async () => {
    assert.deepEqual(DEFAULT_GATES.sim.scenarios, ["normal", "crash", "pump-and-dump", "flash-crash", "high-volatility"]);
    assert.equal(DEFAULT_GATES.history.minOosReturn, 0);
    assert.equal(DEFAULT_GATES.history.maxPbo, 0.5);
    assert.deepEqual(DEFAULT_GATES.paper, { minDays: 7, maxDrawdownPct: 15 });
    const dir = tempDir("arena-gates-");
    const file = join(dir, "g.json");
    writeFileSync(file, JSON.stringify({ paper: { minDays: 14 } }));
    const g = await loadGates(file);
    assert.deepEqual(g.paper, { minDays: 14, maxDrawdownPct: 15 });
    assert.equal(g.history.maxPbo, 0.5);
    writeFileSync(file, JSON.stringify({ sim: { scenarios: ["normal", "moon"] } }));
    await assert.rejects(loadGates(file), /gates\.sim\.scenarios\[1\]: "moon" is invalid: must be a built-in scenario/);
    writeFileSync(file, "{");
    await assert.rejects(loadGates(file), /--gates: file ".*g\.json" is not JSON/);
  });
});

describe("the live gate's exemption", () => {
  it("exempts only a venue whose every URL is on the host arena serve listens on", () => {
    assert.equal(isServedVenue({ public: "http://127.0.0.1:8090/api/v3", private: "http://localhost:8090/api/v3" }), true);
    assert.equal(isServedVenue({ public: "http://[::1]:8090/api/v3", private: "http://[::1]:8090/api/v3", ws: "ws://127.0.0.1:8090/stream/ws" }), true);
    assert.equal(isServedVenue(undefined), false);
    assert.equal(isServedVenue({ public: "http://127.0.0.1:8090/api/v3", private: "http://127.0.0.1:8090/api/v3", wsApi: "wss://ws-api.binance.com/ws-api/v3" }), false);
    assert.equal(isServedVenue({ public: "http://127.0.0.1:8090/api/v3", private: "https://api.binance.com/api/v3" }), false);
    assert.equal(isServedVenue({ public: "http://127.0.0.1.nip.io/api/v3", private: "http://127.0.0.1.nip.io/api/v3" }), false);
    assert.equal(isServedVenue({ public: "http://127.0.0.2:1/api/v3", private: "http://127.0.0.2:1/api/v3" }), false);
  });
});
