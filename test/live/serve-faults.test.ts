// arena serve's faults on the wire: the loopback admin endpoint, seeded and counted decisions, and what each fault looks like to a raw HTTP client.
import assert from "node:assert/strict";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { FaultPlan, loadFaultSpec, parseFaultSpec } from "../../live/serve/faults.ts";
import { isLoopbackPeer } from "../../live/serve/fault-http.ts";
import type { RunningServer } from "../../live/serve/server.ts";
import { serve } from "./serve-fixture.ts";
import { injected, setFaults } from "./fault-invariants.ts";

describe("fault plans", () => {
  it("are deterministic: the same seed and request sequence inject the same faults; another seed others", () => {
    const spec = parseFaultSpec({ seed: 9, timeout: { rate: 0.1 }, rateLimit: { rate: 0.1 }, serverError: { rate: 0.1 }, lostAck: { rate: 0.2 } });
    const seq = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? "POST order" : i % 3 === 1 ? "GET depth" : "DELETE order"));
    const run = (p: FaultPlan) => seq.map((e) => p.forRequest(e, 0)?.kind ?? "-").join(",");
    const a = run(new FaultPlan(spec));
    assert.equal(run(new FaultPlan(spec)), a);
    assert.notEqual(run(new FaultPlan(parseFaultSpec({ ...spec, seed: 10 }))), a);
    const p = new FaultPlan(spec);
    run(p);
    const r = p.report();
    assert.equal(r.requests, 400);
    assert.ok(r.injected.lostAck > 0 && r.injected.timeout > 0, JSON.stringify(r.injected));
    assert.equal(r.total, a.split(",").filter((k) => k !== "-").length, "every injected fault is counted");
  });

  it("`at` fires on the n-th matching request only, and endpoints filter what matches", () => {
    const p = new FaultPlan(parseFaultSpec({ serverError: { at: [2], endpoints: ["POST order"] } }));
    const got = ["GET depth", "POST order", "GET depth", "POST order", "POST order"].map((e) => p.forRequest(e, 0)?.kind ?? "-");
    assert.deepEqual(got, ["-", "-", "-", "serverError", "-"]);
  });

  it("a 418 ban refuses every request until its Retry-After has passed", () => {
    const p = new FaultPlan(parseFaultSpec({ ban: { at: [1], retryAfterS: 2 } }));
    assert.deepEqual(p.forRequest("GET depth", 10_000), { kind: "ban", retryAfterS: 2 });
    assert.deepEqual(p.forRequest("GET time", 11_500), { kind: "ban", retryAfterS: 1 });
    assert.equal(p.forRequest("GET time", 12_000), undefined);
    assert.equal(p.report().injected.ban, 2);
  });

  it("a bad spec is refused naming the field, the value and the rule", async () => {
    assert.throws(() => parseFaultSpec({ timeout: { rate: 1.5 } }), /faults: timeout\.rate: 1\.5 /);
    assert.throws(() => parseFaultSpec({ lostAck: { mode: "vanish" } }), /lostAck\.mode: "vanish"/);
    assert.throws(() => parseFaultSpec({ rateLimit: { endpoints: ["order"] } }), /rateLimit\.endpoints\.0: "order" must be "\*" or "METHOD endpoint"/);
    await assert.rejects(loadFaultSpec("{not json"), /--faults: not JSON/);
    const dir = await mkdtemp(join(tmpdir(), "faults-"));
    try {
      await writeFile(join(dir, "f.json"), JSON.stringify({ seed: 5, wsDrop: { rate: 0.5 } }));
      assert.equal((await loadFaultSpec(join(dir, "f.json"))).wsDrop?.rate, 0.5);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("only loopback peers are admin peers", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) assert.ok(isLoopbackPeer(a), a);
    for (const a of ["10.0.0.1", "::ffff:10.0.0.1", "192.168.1.2", "fe80::1", undefined]) assert.ok(!isLoopbackPeer(a), String(a));
  });
});

describe("arena serve with faults", () => {
  let s: RunningServer;
  before(async () => {
    s = await serve({ speed: 60 });
  });
  after(async () => {
    await s.close();
  });
  afterEach(async () => {
    await setFaults(s, null);
  });

  it("POST /admin/faults sets them, GET reports the counts, DELETE clears; a bad spec is a 400 naming the field", async () => {
    const set = (await setFaults(s, { rateLimit: { at: [1] } })) as { spec: { rateLimit: { retryAfterS: number } } };
    assert.equal(set.spec.rateLimit.retryAfterS, 1, "defaults filled in");
    const r = await fetch(`${s.url}/api/v3/time`);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get("retry-after"), "1");
    assert.equal(((await r.json()) as { code: number }).code, -1003);
    assert.deepEqual(await injected(s), { timeout: 0, rateLimit: 1, ban: 0, serverError: 0, lostAck: 0, partialFill: 0, wsDrop: 0, streamDelay: 0, streamReorder: 0 });
    const bad = await fetch(`${s.url}/admin/faults`, { method: "POST", body: JSON.stringify({ serverError: { status: 404 } }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { msg: string }).msg, /serverError\.status: 404/);
    await setFaults(s, null);
    assert.equal((await fetch(`${s.url}/api/v3/time`)).status, 200);
  });

  it("418 and 5xx answer as Binance does; a timeout never answers (the client gives up)", async () => {
    await setFaults(s, { ban: { at: [1], retryAfterS: 3 } });
    const b = await fetch(`${s.url}/api/v3/time`);
    assert.equal(b.status, 418);
    assert.equal(b.headers.get("retry-after"), "3");
    await setFaults(s, { serverError: { at: [1], status: 502 } });
    assert.equal((await fetch(`${s.url}/api/v3/time`)).status, 502);
    await setFaults(s, { timeout: { at: [1], ms: 5_000 } });
    const t0 = performance.now();
    await assert.rejects(fetch(`${s.url}/api/v3/time`, { signal: AbortSignal.timeout(300) }), /abort|timeout/i);
    assert.ok(performance.now() - t0 < 2_000);
    assert.equal((await injected(s)).timeout, 1);
  });
});
