// The paper journal: a restart resumes balances, open orders and queue positions; a torn last line is tolerated and reported; foreign folders are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JOURNAL_FILE } from "../../../live/paper/journal.ts";
import { paper, ScriptedFeed, SYMBOL, tempDir } from "./scripted-feed.ts";

const BOOK: [[number, number][], [number, number][]] = [[[30_000, 5]], [[30_001, 1]]];

test("after a crash that tore the last line, a restart reports it and resumes balances, open orders and the queue position", async () => {
  const dir = tempDir();
  const feed = new ScriptedFeed(...BOOK);
  const b = await paper(feed, { dir });
  const o = await b.createOrder(SYMBOL, "limit", "buy", 3, 30_000);
  feed.print([30_000, 3, "sell"]);
  await feed.settled();
  const balance = await b.fetchBalance();
  // The crash: the process dies mid-write (the broker is never closed), leaving half a line.
  appendFileSync(join(dir, JOURNAL_FILE), '{"e":"fill","id":"1","trade":"1","ro');
  await b.close();

  const notices: string[] = [];
  const feed2 = new ScriptedFeed(...BOOK);
  // Time went on while it was down.
  feed2.now = feed.now + 60_000;
  feed2.idPrefix = "later-";
  const again = await paper(feed2, { dir, notices });
  try {
    assert.equal(again.journal.created, false);
    assert.equal(again.journal.torn, '{"e":"fill","id":"1","trade":"1","ro');
    assert.ok(notices.some((n) => n.includes("torn")), `reported: ${JSON.stringify(notices)}`);
    assert.ok(readFileSync(join(dir, JOURNAL_FILE), "utf8").endsWith("\n"), "the torn bytes are cut off before anything is appended");
    assert.deepEqual((await again.fetchBalance()).total, balance.total);
    assert.deepEqual((await again.fetchBalance()).used, balance.used);
    const open = await again.fetchOpenOrders(SYMBOL);
    assert.deepEqual(open.map((x) => [x.id, x.remaining, x.price]), [[o.id, 3, 30_000]]);
    // 2 BTC were still ahead of it when it stopped: the next 4 BTC at its price fill 2.
    feed2.print([30_000, 4, "sell"]);
    await feed2.settled();
    assert.equal((await again.fetchOrder(o.id, SYMBOL)).filled, 2);
    const next = await again.createOrder(SYMBOL, "limit", "buy", 0.1, 29_000);
    assert.notEqual(next.id, o.id, "order ids continue after the journal's");
  } finally {
    await again.close();
  }
  // And a third start reads the journal the second one extended.
  const third = await paper(new ScriptedFeed(...BOOK), { dir });
  try {
    assert.equal((await third.fetchOrder(o.id, SYMBOL)).filled, 2);
    assert.equal(third.journal.torn, undefined);
  } finally {
    await third.close();
  }
});

test("a journal folder holding anything else, a file without the marker, a broken line before the last, or another symbol's journal is refused and left untouched", async () => {
  const feed = new ScriptedFeed(...BOOK);
  const foreign = tempDir();
  writeFileSync(join(foreign, "notes.txt"), "mine");
  await assert.rejects(paper(feed, { dir: foreign }), /journalDir .* holds "notes.txt"/);

  const unmarked = tempDir();
  writeFileSync(join(unmarked, JOURNAL_FILE), '{"some":"thing"}\n');
  await assert.rejects(paper(feed, { dir: unmarked }), /line 1 is not a paper journal header/);
  assert.equal(readFileSync(join(unmarked, JOURNAL_FILE), "utf8"), '{"some":"thing"}\n');

  const dir = tempDir();
  const b = await paper(feed, { dir });
  await b.createOrder(SYMBOL, "limit", "buy", 1, 29_000);
  await b.close();
  const path = join(dir, JOURNAL_FILE);
  const good = readFileSync(path, "utf8");
  const lines = good.split("\n");
  writeFileSync(path, [lines[0], "{broken", ...lines.slice(1)].join("\n"));
  await assert.rejects(paper(feed, { dir }), /line 2 is not JSON/);
  writeFileSync(path, good.replace('"symbol":"BTC/USDT"', '"symbol":"ETH/USDT"'));
  await assert.rejects(paper(feed, { dir }), /journal of ETH\/USDT, not of symbol BTC\/USDT/);
});

test("bad options are refused naming the field and value", async () => {
  const feed = new ScriptedFeed(...BOOK);
  await assert.rejects(paper(feed, { balances: { ETH: 1 } }), /balances\.ETH: 1 is not a currency of BTC\/USDT/);
  await assert.rejects(paper(feed, { balances: { USDT: 0.0000001 } }), /balances\.USDT: 1e-7 must be a non-negative whole number of units/);
  await assert.rejects(paper(feed, { costs: { makerFee: 0.5, takerFee: 0, latencyMs: 0, slippageBps: 0 } }), /costs\.makerFee: 0\.5 must be a fraction/);
});
