// `arena promote` (one stage up the ladder sim → history → paper → live, on evidence that passes the gates) and `arena agents` (the registry).
import type { Command } from "commander";
import { BOT_TYPES } from "../agents/registry.ts";
import { EvidenceError, type GateCheck } from "../experiments/promotion/evidence.ts";
import { DEFAULT_GATES, loadGates, type Gates } from "../experiments/promotion/gates.ts";
import { botIdentity, shortId, type BotIdentity } from "../experiments/promotion/identity.ts";
import { promote } from "../experiments/promotion/promote.ts";
import { DEFAULT_REGISTRY, listRecords, readRecord, RegistryError, STAGES, writeRecord, type AgentRecord, type Stage } from "../experiments/promotion/registry.ts";
import { ExitError, parsePath, UsageError } from "./args.ts";
import { jsonObject } from "./backtest.ts";

/** Exit code of a promotion refused on its evidence: a gate failed, or the evidence's files disagree (usage errors exit 2). */
export const REFUSED_EXIT = 3;

export const REGISTRY_HELP = `the agent registry folder (default ${DEFAULT_REGISTRY}, relative to the working directory)`;

/** The bot's identity from flags, refusals naming the flag. */
export function identityOf(bot: string, params: Record<string, unknown> | undefined, flag = "--params"): BotIdentity {
  if (!Object.hasOwn(BOT_TYPES, bot)) throw new UsageError(`BOT: ${JSON.stringify(bot)} is not a registered bot (known: ${Object.keys(BOT_TYPES).join(", ")})`);
  try {
    return botIdentity(bot, params ?? {});
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

const checkLine = (c: GateCheck) => `  ${c.pass ? "PASS" : "FAIL"}  ${c.gate}: ${c.rule} (measured ${c.measured})\n`;

interface PromoteFlags {
  to: string;
  params?: Record<string, unknown>;
  evidence: string[];
  registry: string;
  gates?: string;
}

/** Adds `arena promote`. */
export function addPromoteCommand(program: Command): void {
  program
    .command("promote")
    .description(`promote a bot (its name + params) one stage up ${STAGES.join(" → ")} on evidence that passes the gates; nothing is written when refused`)
    .argument("<bot>", `a registered bot (${Object.keys(BOT_TYPES).join(", ")})`)
    .requiredOption("--to <stage>", "the next stage: history (evidence: a suite), paper (a walk-forward backtest), live (paper trade logs)")
    .option("--params <json>", "the bot's params as a JSON object (defaults filled in before hashing)", (v) => jsonObject("--params", v))
    .requiredOption("--evidence <path...>", "suite folder or suite.json; walk-forward backtest folder or summary.json; paper trade logs (.jsonl)")
    .option("--registry <dir>", REGISTRY_HELP, (v) => parsePath("--registry", v), DEFAULT_REGISTRY)
    .option("--gates <file>", "gates config (JSON: {sim: {scenarios, minSeeds}, history: {minOosReturn, maxPbo, minDeflatedSharpe, minWindows}, paper: {minDays, maxDrawdownPct}}; default: every built-in passed, OOS return > 0 with PBO < 0.5, 7 days of paper with drawdown < 15%)", (v) => parsePath("--gates", v))
    .action(async (bot: string, o: PromoteFlags) => {
      if (!(STAGES as readonly string[]).includes(o.to) || o.to === "sim") throw new UsageError(`--to: ${JSON.stringify(o.to)} is not one of history, paper, live`);
      const id = identityOf(bot, o.params);
      let gates: Gates = DEFAULT_GATES;
      if (o.gates !== undefined) {
        try {
          gates = await loadGates(o.gates);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      let outcome;
      try {
        const current = await readRecord(o.registry, id);
        outcome = await promote({ id, to: o.to as Stage, evidence: o.evidence, gates, current });
      } catch (e) {
        if (e instanceof RegistryError) throw new UsageError(e.message);
        if (e instanceof EvidenceError) throw e.refusal === "usage" ? new UsageError(e.message) : new ExitError(e.message, REFUSED_EXIT);
        throw e;
      }
      process.stdout.write(`arena promote: ${shortId(id)} ${JSON.stringify(id.params)} → ${o.to}\n${outcome.checks.map(checkLine).join("")}`);
      if (!outcome.ok) throw new ExitError(`${outcome.reason}; nothing was written`, REFUSED_EXIT);
      let path;
      try {
        path = await writeRecord(o.registry, outcome.record);
      } catch (e) {
        if (e instanceof RegistryError) throw new UsageError(e.message);
        throw e;
      }
      process.stdout.write(`promoted ${shortId(id)} to ${o.to}: ${path}\n`);
    });
}

/** One line of evidence for the listing. */
function evidenceBrief(r: AgentRecord): string {
  return r.promotions.map((p) => {
    const e = p.evidence;
    if (p.to === "history") return `history: suite ${String(e[0]?.reportId ?? "")} (${e[0]?.path})`;
    if (p.to === "paper") return `paper: walk-forward OOS ${pctOf(e[0]?.oosReturn)}, PBO ${numOf(e[0]?.pbo)}, DSR ${numOf(e[0]?.deflatedSharpe)} (${e[0]?.path})`;
    const f = p.figures ?? {};
    return `live: ${numOf(f.days)} days of paper, PnL ${numOf(f.pnl)}, drawdown ${numOf(f.maxDrawdownPct)}% (${e.map((x) => x.path).join(", ")})`;
  }).join("; ");
}
const numOf = (x: unknown) => (typeof x === "number" ? Number(x.toPrecision(4)).toString() : "n/a");
const pctOf = (x: unknown) => (typeof x === "number" ? `${(x * 100).toFixed(2)}%` : "n/a");

/** Adds `arena agents`. */
export function addAgentsCommand(program: Command): void {
  program
    .command("agents")
    .description("list the promoted bots: name, params hash, stage and the evidence of each promotion")
    .option("--registry <dir>", REGISTRY_HELP, (v) => parsePath("--registry", v), DEFAULT_REGISTRY)
    .option("--json", "print the records as one JSON array")
    .action(async (o: { registry: string; json?: boolean }) => {
      let listed;
      try {
        listed = await listRecords(o.registry);
      } catch (e) {
        if (e instanceof RegistryError) throw new UsageError(e.message);
        throw e;
      }
      for (const u of listed.unreadable) process.stderr.write(`arena: warning: ${o.registry}: ${u}\n`);
      if (o.json === true) {
        process.stdout.write(JSON.stringify(listed.records, null, 2) + "\n");
        return;
      }
      if (listed.records.length === 0) {
        process.stdout.write(`no promoted bots in ${o.registry} (every registered bot is at sim)\n`);
        return;
      }
      for (const r of listed.records) {
        process.stdout.write(`${shortId(r).padEnd(34)} ${r.stage.padEnd(7)} ${JSON.stringify(r.params)}\n    ${evidenceBrief(r)}\n`);
      }
    });
}
