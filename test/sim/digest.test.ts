// RunDigest: the run's fingerprint, independent of how the event log was flushed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { EventLog } from "../../market/event-log.ts";
import { EndReason, RejectReason, RequestOp, Side } from "../../market/types.ts";
import { RunDigest } from "../../sim/digest.ts";

/** Writes the `i`-th event of a fixed script covering every kind. */
function write(log: EventLog, i: number, bump = 0): void {
  const ts = 1000 * i + bump;
  switch (i % 6) {
    case 0: log.accepted(ts, i, 1, i, Side.BUY, 0, 0, false, 100 + i, 5); break;
    case 1: log.rejected(ts, 0, 2, i, RequestOp.SUBMIT, RejectReason.TICK_SIZE); break;
    case 2: log.trade(ts, i, 100, 2, i - 2, i, 1, 2, 3, 4, Side.SELL); break;
    case 3: log.canceled(ts, i, 1, 3, EndReason.USER); break;
    case 4: log.amended(ts, i, 1, 101, 4, true); break;
    case 5: log.expired(ts, i, 2, 1, EndReason.IOC_REMAINDER); break;
  }
}

/** Digest of events 0..n-1 flushed at the given cut points, as the runner would. */
function digestWithCuts(n: number, cuts: readonly number[], bumpAt = -1): RunDigest {
  const d = new RunDigest();
  const log = new EventLog(16);
  const cutSet = new Set(cuts);
  for (let i = 0; i < n; i++) {
    write(log, i, i === bumpAt ? 1 : 0);
    if (cutSet.has(i)) {
      d.update(log);
      log.clear();
    }
  }
  d.update(log);
  log.clear();
  return d;
}

test("the digest does not depend on how the events were split across updates", () => {
  const whole = digestWithCuts(60, []).hex();
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { maxLength: 20 }), (cuts) => {
      assert.equal(digestWithCuts(60, cuts).hex(), whole);
    }),
  );
});

test("the digest is sha256 of the concatenated rows", () => {
  const log = new EventLog(16);
  for (let i = 0; i < 12; i++) write(log, i);
  const expected = createHash("sha256").update(log.bytes(0, log.size)).digest("hex");
  assert.equal(digestWithCuts(12, [3, 7]).hex(), expected);
});

test("different events give a different digest", () => {
  const base = digestWithCuts(30, [10]).hex();
  assert.notEqual(digestWithCuts(30, [10], 17).hex(), base); // one timestamp 1 ns later
  assert.notEqual(digestWithCuts(29, [10]).hex(), base); // one event fewer
  assert.notEqual(new RunDigest().hex(), base);
});

test("hex() can be read mid-run without disturbing the final digest", () => {
  const d = new RunDigest();
  const log = new EventLog(16);
  for (let i = 0; i < 5; i++) write(log, i);
  d.update(log);
  log.clear();
  const interim = d.hex();
  assert.equal(d.hex(), interim);
  for (let i = 5; i < 10; i++) write(log, i);
  d.update(log);
  assert.equal(d.hex(), digestWithCuts(10, []).hex());
});

test("counts events per kind across updates", () => {
  const d = digestWithCuts(20, [4, 11]);
  assert.deepEqual(d.counts, { accepted: 4, rejected: 4, trade: 3, canceled: 3, amended: 3, expired: 3 });
  assert.equal(d.events, 20);
});
