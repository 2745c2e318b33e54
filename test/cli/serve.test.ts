// `arena serve` end to end: prints where and with which key it serves, answers on loopback, stops cleanly on SIGTERM, refuses bad flags with code 2.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

describe("arena serve", () => {
  it("serves until SIGTERM; with ARENA_SERVE_KEY/SECRET set it prints the key and never the secret; --metrics-port serves /metrics", async () => {
    const env = { ...process.env, ARENA_SERVE_KEY: "cliKey12345678", ARENA_SERVE_SECRET: "cliSecret12345678" };
    const p = spawn(process.execPath, ["bin/arena.mjs", "serve", "--scenario", "smoke", "--seed", "3", "--port", "0", "--speed", "30", "--metrics-port", "0"], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed; stderr: ${stderr}`)), 20_000);
      p.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /REST {2}(http:\/\/127\.0\.0\.1:\d+)\/api\/v3/.exec(stdout);
        if (m !== null) {
          clearTimeout(timer);
          ok(m[1]);
        }
      });
    });
    const exited = new Promise<number | null>((ok) => p.on("close", ok));
    try {
      const r = await fetch(`${url}/api/v3/time`);
      assert.equal(r.status, 200);
      assert.ok(((await r.json()) as { serverTime: number }).serverTime >= Date.UTC(2023, 2, 1));
      const metrics = /METRICS (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stdout);
      assert.ok(metrics !== null, stdout);
      const text = await (await fetch(`${metrics[1]}/metrics`)).text();
      assert.match(text, /^api_requests_total\{endpoint="GET \/api\/v3\/time",code="200"\} 1$/m);
      assert.equal((await fetch(`${metrics[1]}/health`)).status, 200);
    } finally {
      p.kill("SIGTERM");
    }
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /account demo: key cliKey12345678 \(/);
    assert.doesNotMatch(stdout, /cliSecret12345678/);
    assert.match(stdout, /SIGTERM: stopped at simulated [\d.]+ s after 1 requests/);
    assert.match(stdout, /WS {4}ws:\/\/127\.0\.0\.1:\d+\/stream\/ws \(streams btcusdt@depth@100ms, btcusdt@trade\)/);
  });

  it("refuses bad flags with exit code 2, naming the flag and the value", () => {
    const cases: [string[], RegExp][] = [
      [["--scenario", "smoke", "--seed", "1", "--speed", "-2"], /--speed: "-2"/],
      [["--scenario", "smoke", "--seed", "1", "--port", "70000"], /--port: "70000"/],
      [["--scenario", "smoke", "--seed", "1", "--metrics-port", "x1"], /--metrics-port: "x1" is not a port number/],
      [["--scenario", "nowhere", "--seed", "1"], /--scenario: "nowhere" is not a built-in/],
      [["--scenario", "smoke", "--seed", "1", "--accounts", "/nonexistent/accounts.json"], /--accounts: "\/nonexistent\/accounts.json" cannot be read/],
      [["--scenario", "smoke", "--seed", "1", "--faults", '{"rateLimit":{"rate":2}}'], /--faults: rateLimit\.rate: 2 /],
      [["--scenario", "smoke", "--seed", "1", "--faults", '{"meteor":{}}'], /--faults: .*meteor/],
      [["--scenario", "smoke", "--seed", "1", "--faults", "/nonexistent/faults.json"], /--faults: "\/nonexistent\/faults.json" is neither inline JSON nor a readable file/],
    ];
    for (const [args, want] of cases) {
      const r = spawnSync(process.execPath, ["bin/arena.mjs", "serve", ...args], { cwd: ROOT, encoding: "utf8" });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, want);
    }
  });
});
