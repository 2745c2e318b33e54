// The live benchmark stays on loopback: every connection it opens (CcxtExchange, raw ccxt) goes to the served port, and every timed tick of the bot yields a decision.
import assert from "node:assert/strict";
import { test } from "node:test";
import { measureLive } from "../../bench/live.ts";

test("bench live: a short run opens connections to the served port only, and times each pair and tick it was asked for", async () => {
  const r = await measureLive(3, 200, 300);
  assert.ok(r.connections >= 2, `connections: ${r.connections}`);
  assert.deepEqual(r.offLoopback, []);
  for (const side of [r.port, r.peer]) {
    assert.equal(side.ack.length, 3);
    assert.equal(side.cancel.length, 3);
    for (const v of [...side.ack, ...side.cancel]) assert.ok(v > 0 && Number.isFinite(v));
  }
  assert.equal(r.decision.ms.length, 200);
  assert.equal(r.decision.orders + r.decision.holds, 200);
  assert.ok(r.decision.ms.every((v) => v > 0 && Number.isFinite(v)));
});
