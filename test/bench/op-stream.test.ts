import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateOpStream, OpKind } from "../../bench/op-stream.ts";

describe("bench op stream", () => {
  it("draws about 60% limits, 25% cancels and 15% market orders", () => {
    const s = generateOpStream({ seed: 7, ops: 100_000 });
    const [limits, cancels, markets] = s.counts;
    assert.equal(limits + cancels + markets, s.length);
    const counted = [0, 0, 0];
    for (let i = 0; i < s.length; i++) counted[s.kind[i]]++;
    assert.deepEqual(counted, [limits, cancels, markets]);
    assert.ok(Math.abs(limits / s.length - 0.6) < 0.01, `limits ${limits}`);
    assert.ok(Math.abs(cancels / s.length - 0.25) < 0.01, `cancels ${cancels}`);
    assert.ok(Math.abs(markets / s.length - 0.15) < 0.01, `markets ${markets}`);
  });

  it("cancels target an earlier passive limit of the same account, each at most once", () => {
    const s = generateOpStream({ seed: "targets", ops: 50_000 });
    const seen = new Set<number>();
    for (let i = 0; i < s.length; i++) {
      if (s.kind[i] === OpKind.CANCEL) {
        const t = s.target[i];
        assert.ok(t >= 0 && t < i && s.kind[t] === OpKind.LIMIT, `op ${i} targets ${t}`);
        const passive = s.side[t] === 0 ? s.price[t] < s.mid[t] : s.price[t] > s.mid[t];
        assert.ok(passive, `op ${i} targets marketable order ${t}`);
        assert.equal(s.account[i], s.account[t]);
        assert.ok(!seen.has(t), `order ${t} canceled twice`);
        seen.add(t);
      } else {
        assert.equal(s.target[i], -1);
        assert.ok(s.size[i] >= 2 && s.size[i] <= 100, `op ${i} size ${s.size[i]}`);
        if (s.kind[i] === OpKind.LIMIT) assert.ok(Math.abs(s.price[i] - s.mid[i]) <= 50, `op ${i} price`);
      }
    }
  });

  it("is a pure function of the seed", () => {
    const a = generateOpStream({ seed: 42, ops: 20_000 });
    const b = generateOpStream({ seed: 42, ops: 20_000 });
    const c = generateOpStream({ seed: 43, ops: 20_000 });
    for (const key of ["kind", "side", "account", "price", "size", "target", "mid"] as const) {
      assert.deepEqual(a[key], b[key], key);
    }
    assert.notDeepEqual(a.price, c.price);
  });

  it("inserts-only streams have no cancels or market orders", () => {
    const s = generateOpStream({ seed: 1, ops: 10_000, limitShare: 1, cancelShare: 0 });
    assert.deepEqual(s.counts, [10_000, 0, 0]);
  });
});
