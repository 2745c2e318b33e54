// The API key and secret never appear in anything `arena trade` or `arena kill` writes: the JSON-lines log, the paper journal, stdout, stderr, /metrics, /health, the control port; also when a request fails (wrong secret, venue down).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../live/serve/server.ts";
import { ALICE, client, serve, untilBook } from "../live/serve-fixture.ts";
import { arena, tradeConfig } from "./helpers/spawn-trade.ts";

/** A wrong secret with characters URL-encoding changes, so its encoded form is looked for too. */
const WRONG = "wr0ng+Secret/with=special&chars";
const SECRETS = [ALICE.key, ALICE.secret, WRONG];
const forms = (s: string) => [...new Set([s, encodeURIComponent(s)])];

/** Every file under `dir`, recursively, with its text. */
function files(dir: string): [string, string][] {
  return readdirSync(dir).flatMap((f): [string, string][] => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [[p, readFileSync(p, "latin1")]];
  });
}

/** Fails naming where a key or secret (raw or URL-encoded) was found. */
function assertClean(where: string, text: string): void {
  for (const s of SECRETS) for (const f of forms(s)) assert.ok(!text.includes(f), `${where} contains ${JSON.stringify(f)}:\n${text.slice(Math.max(0, text.indexOf(f) - 300), text.indexOf(f) + 100)}`);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

describe("keys never leave the environment", () => {
  let s: RunningServer;
  let dir: string;
  before(async () => {
    s = await serve({ speed: 30 });
    dir = mkdtempSync(join(tmpdir(), "arena-secrets-"));
    await untilBook(client(s.url));
  });
  after(async () => {
    await s.close();
  });

  it("a live run (metrics, control port, kill), a paper run with keys set, a wrong secret and a venue that is down: no file, output, metric or answer holds a key", async () => {
    const env = { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: ALICE.secret };
    const bot = ["--bot", "ema-cross", "--params", '{"fast":2,"slow":4,"intervalSec":0.25}', "--exchange", "binance", "--symbol", "BTC/USDT"];
    const outputs: [string, string][] = [];

    // A live run: scraped and asked for its status while it trades, then killed.
    const t = arena(["trade", ...bot, "--live", "--confirm-live", "--config", tradeConfig(dir, s.url), "--log", join(dir, "live.jsonl"), "--metrics-port", "0", "--control-port", "0"], env);
    const [, metricsUrl] = await t.until(/metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    const [, control] = await t.until(/control: 127\.0\.0\.1:(\d+) /);
    for (let i = 0; !readFileSync(join(dir, "live.jsonl"), "utf8").includes('"action":"created"'); i++) {
      assert.ok(i < 300, "no order within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    outputs.push(["/metrics", await (await fetch(`${metricsUrl}/metrics`)).text()]);
    outputs.push(["/health", await (await fetch(`${metricsUrl}/health`)).text()]);
    outputs.push(["/status", await (await fetch(`http://127.0.0.1:${control}/status`)).text()]);
    const k = arena(["kill", "--control-port", control]);
    assert.equal((await k.exited).code, 0, k.stderr());
    assert.equal((await t.exited).code, 0, t.stderr());
    outputs.push(["kill stdout", k.stdout()], ["kill stderr", k.stderr()], ["live stdout", t.stdout()], ["live stderr", t.stderr()]);

    // Paper, with the keys in the environment: the journal and the log.
    const paper = arena(["trade", ...bot, "--config", tradeConfig(dir, s.url, { paper: { journal: join(dir, "journal") } }), "--log", join(dir, "paper.jsonl"), "--duration", "3s"], env);
    assert.equal((await paper.exited).code, 0, paper.stderr());
    outputs.push(["paper stdout", paper.stdout()], ["paper stderr", paper.stderr()]);

    // A wrong secret: the venue refuses the signed requests.
    const wrong = { EXCHANGE_API_KEY: ALICE.key, EXCHANGE_API_SECRET: WRONG };
    const w = arena(["trade", ...bot, "--live", "--confirm-live", "--config", tradeConfig(dir, s.url), "--log", join(dir, "wrong.jsonl"), "--metrics-port", "0"], wrong);
    assert.equal((await w.exited).code, 1, w.stdout() + w.stderr());
    assert.match(w.stderr(), /^arena: .*(Signature|signature|refused|-1022)/);
    outputs.push(["wrong-secret stdout", w.stdout()], ["wrong-secret stderr", w.stderr()]);
    const wk = arena(["kill", "--exchange", "binance", "--symbol", "BTC/USDT", "--config", tradeConfig(dir, s.url)], wrong);
    assert.equal((await wk.exited).code, 1, wk.stdout() + wk.stderr());
    outputs.push(["wrong-secret kill stdout", wk.stdout()], ["wrong-secret kill stderr", wk.stderr()]);

    // The venue down: nothing listens at its address.
    const down = `http://127.0.0.1:${await freePort()}`;
    const d = arena(["trade", ...bot, "--live", "--confirm-live", "--config", tradeConfig(dir, down), "--log", join(dir, "down.jsonl")], env);
    assert.equal((await d.exited).code, 1, d.stdout() + d.stderr());
    assert.match(d.stderr(), /no usable answer/);
    outputs.push(["venue-down stdout", d.stdout()], ["venue-down stderr", d.stderr()]);
    const dk = arena(["kill", "--exchange", "binance", "--symbol", "BTC/USDT", "--config", tradeConfig(dir, down)], env);
    assert.equal((await dk.exited).code, 1);
    outputs.push(["venue-down kill stdout", dk.stdout()], ["venue-down kill stderr", dk.stderr()]);

    const written = files(dir);
    assert.ok(written.some(([p]) => p.endsWith("journal.jsonl")), written.map(([p]) => p).join(", "));
    for (const [p, text] of written) assertClean(p.slice(dir.length + 1), text);
    for (const [where, text] of outputs) assertClean(where, text);
  });
});
