// `npm run bench -- sim`: simulated messages per second of `normal` on one thread, and the
// speed-up of 2 workers over 1 on a 16-run suite.
//
// Messages are what crosses between agents and the venue that a market is made of: requests
// the venue processes (orders, cancels, amends, and the bots' queries) plus fills (trades).
// The kernel's own bookkeeping (wake-ups, deliveries) is not counted in that figure. Reference
// from the issue: ABIDES's reference day (1,117 agents) runs at about 53,000 messages/s on this
// machine class; it is Python and cannot run in this process, so its figure is quoted, not
// measured. ABIDES's kernel counts every event it pops (wake-ups and every message, answers and
// fill notices included: `ttl_messages` in its Kernel.runner), so the like-for-like comparison
// with its figure is our kernel's own count, printed beside the strict one.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMany } from "../experiments/run-many.ts";
import { buildScenario, builtinSpec } from "../scenarios/builtins.ts";
import type { BenchArgs } from "./main.ts";

const HOUR = 3_600_000_000_000;
const MINUTE = 60_000_000_000;
const ABIDES_MESSAGES_PER_SEC = 53_000;
// Long enough that worker start-up and compilation are a small part of each run.
const SUITE_HOURS = 6;

async function messagesPerSec(hours: number): Promise<{ perSec: number; messages: number; seconds: number; kernelPerSec: number; kernelMessages: number }> {
  // Warm-up: a short run of the same world, so the timed one runs compiled code.
  await buildScenario(builtinSpec("normal"), 99).kernel.run(20 * MINUTE);
  const { kernel } = buildScenario(builtinSpec("normal"), 1);
  const t0 = process.hrtime.bigint();
  const s = await kernel.run(Math.round(hours * HOUR));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const messages = s.requests + s.events.trade;
  return { perSec: messages / seconds, messages, seconds, kernelPerSec: s.messages / seconds, kernelMessages: s.messages };
}

async function suiteSeconds(workers: number, dir: string): Promise<number> {
  const tasks = Array.from({ length: 16 }, (_, i) => ({ scenario: "normal", seed: i + 1, durationNs: SUITE_HOURS * HOUR, out: join(dir, `w${workers}`, `s${i + 1}`) }));
  const t0 = process.hrtime.bigint();
  await runMany({ tasks, workers });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function run(args: BenchArgs): Promise<void> {
  const say = args.json ? (_: string) => {} : (line: string) => void process.stdout.write(`${line}\n`);
  const hours = 12;
  say(`sim benchmark: normal, ${hours} simulated hours on one thread; then 16 runs of ${SUITE_HOURS} simulated hours on 1 and 2 workers (Node ${process.version})`);
  const m = await messagesPerSec(hours);
  const dir = await mkdtemp(join(tmpdir(), "arena-bench-sim-"));
  try {
    await suiteSeconds(2, dir); // warm-up of the pool path (workers compile their code)
    const one = await suiteSeconds(1, dir);
    const two = await suiteSeconds(2, dir);
    const speedup = one / two;
    if (args.json) {
      const out = { messagesPerSec: Math.round(m.perSec), speedup2Workers: Math.round(speedup * 100) / 100, kernelMessagesPerSec: Math.round(m.kernelPerSec) };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    say("");
    say(`messages/s, one thread   ${Math.round(m.perSec).toLocaleString("en-US")}  (${m.messages.toLocaleString("en-US")} messages in ${m.seconds.toFixed(2)} s)`);
    say(`  vs ABIDES (quoted)      ${(m.perSec / ABIDES_MESSAGES_PER_SEC).toFixed(1)}x   target >= 1,000,000/s and >= 20x`);
    say(`kernel events/s          ${Math.round(m.kernelPerSec).toLocaleString("en-US")}  (${m.kernelMessages.toLocaleString("en-US")}: wake-ups, requests, deliveries; ABIDES's own way of counting)`);
    say(`  vs ABIDES, same count   ${(m.kernelPerSec / ABIDES_MESSAGES_PER_SEC).toFixed(1)}x`);
    say(`16-run suite             1 worker ${one.toFixed(1)} s, 2 workers ${two.toFixed(1)} s: speed-up ${speedup.toFixed(2)}x   target >= 1.8x`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
