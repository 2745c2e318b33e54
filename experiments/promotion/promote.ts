// One promotion: the next stage only, the evidence that step needs, every gate checked; a record to write, or the reason it is refused.
import { evidenceKind, EvidenceError, type EvidenceKind, type EvidenceRecord, type GateCheck } from "./evidence.ts";
import type { Gates } from "./gates.ts";
import { shortId, type BotIdentity } from "./identity.ts";
import { paperChecks, paperSessions, type PaperSession } from "./paper-evidence.ts";
import { RECORD_FORMAT, STAGES, type AgentRecord, type Stage } from "./registry.ts";
import { readSuiteEvidence } from "./suite-evidence.ts";
import { readWalkForwardEvidence } from "./walk-forward-evidence.ts";

/** The evidence each step needs, by the stage it reaches. */
export const NEEDS: Readonly<Record<Exclude<Stage, "sim">, { kind: EvidenceKind; what: string }>> = {
  history: { kind: "suite", what: "a suite (arena suite over the built-ins: its folder or suite.json)" },
  paper: { kind: "walk-forward", what: "a walk-forward backtest (arena backtest --strategy NAME --walk-forward ...: its folder or summary.json)" },
  live: { kind: "paper", what: "paper trade logs (arena trade --paper --log FILE.jsonl)" },
};

export interface PromoteRequest {
  readonly id: BotIdentity;
  readonly to: Stage;
  readonly evidence: readonly string[];
  readonly gates: Gates;
  /** The bot's record now; undefined when it was never promoted (it is at sim). */
  readonly current: AgentRecord | undefined;
}

export type PromoteOutcome =
  | { readonly ok: true; readonly record: AgentRecord; readonly checks: readonly GateCheck[] }
  | { readonly ok: false; readonly reason: string; readonly checks: readonly GateCheck[] };

/**
 * Checks a promotion and builds the bot's new record; writes nothing.
 * @returns the record, or (a gate failed) the reason naming each failed gate, rule and measured value.
 * @throws EvidenceError: usage for a step out of order, missing or unusable evidence; integrity for files that disagree.
 */
export async function promote(r: PromoteRequest): Promise<PromoteOutcome> {
  const { id, to } = r;
  const from: Stage = r.current?.stage ?? "sim";
  const next = STAGES[STAGES.indexOf(from) + 1];
  if (to === "sim" || STAGES.indexOf(to) <= STAGES.indexOf(from)) {
    throw new EvidenceError(`--to: ${to}: ${shortId(id)} is already at ${from}; stages only go up (${STAGES.join(" → ")})`);
  }
  if (to !== next) throw new EvidenceError(`--to: ${to}: ${shortId(id)} is at ${from}; promote it to ${next} first (stages go ${STAGES.join(" → ")}, one at a time)`);
  const need = NEEDS[to];
  if (r.evidence.length === 0) throw new EvidenceError(`--evidence: promoting to ${to} needs ${need.what}; none given`);
  const kinds: { path: string; kind: EvidenceKind; file: string }[] = [];
  for (const path of r.evidence) {
    const k = await evidenceKind(path);
    if (k.kind !== need.kind) throw new EvidenceError(`--evidence: ${JSON.stringify(path)} is ${k.kind} evidence; promoting to ${to} needs ${need.what}`);
    if (kinds.some((x) => x.file === k.file)) throw new EvidenceError(`--evidence: ${JSON.stringify(path)} is given twice`);
    kinds.push({ path, ...k });
  }
  if (need.kind !== "paper" && kinds.length > 1) throw new EvidenceError(`--evidence: promoting to ${to} takes one ${need.kind}, ${kinds.length} were given`);

  const evidence: EvidenceRecord[] = [];
  let checks: GateCheck[] = [];
  let figures: Record<string, unknown> | undefined;
  if (need.kind === "suite") {
    const e = await readSuiteEvidence(kinds[0].path, kinds[0].file, id, r.gates.sim);
    evidence.push(e.record);
    checks = [...e.checks];
  } else if (need.kind === "walk-forward") {
    const e = await readWalkForwardEvidence(kinds[0].path, kinds[0].file, id, r.gates.history);
    evidence.push(e.record);
    checks = [...e.checks];
  } else {
    const all: PaperSession[] = [];
    const logs: { path: string; sha256: string; sessions: PaperSession[]; skipped: number }[] = [];
    for (const k of kinds) {
      const s = await paperSessions(k.file, id);
      if (logs.some((l) => l.sha256 === s.sha256)) throw new EvidenceError(`--evidence: ${JSON.stringify(k.path)} has the same content as another log given`);
      logs.push({ path: k.path, sha256: s.sha256, sessions: s.sessions, skipped: s.skipped });
      all.push(...s.sessions);
    }
    const p = paperChecks(all, r.gates.paper, id);
    checks = p.checks;
    for (const l of logs) {
      evidence.push({
        kind: "paper", path: l.path, file: l.path, sha256: l.sha256, sessions: l.sessions.length, otherSessions: l.skipped,
        from: l.sessions.length === 0 ? null : Math.min(...l.sessions.map((s) => s.startMs)), to: l.sessions.length === 0 ? null : Math.max(...l.sessions.map((s) => s.endMs)),
      });
    }
    figures = { ...p.figures, marked: "at fill prices" };
  }
  const failed = checks.filter((c) => !c.pass);
  if (failed.length > 0) {
    return { ok: false, checks, reason: `${shortId(id)} is not promoted to ${to}: ${failed.map((c) => `${c.gate}: ${c.rule}, measured ${c.measured}`).join("; ")}` };
  }
  const gates = to === "history" ? { sim: r.gates.sim } : to === "paper" ? { history: r.gates.history } : { paper: r.gates.paper };
  const record: AgentRecord = {
    format: RECORD_FORMAT, version: 1, bot: id.bot, params: { ...id.params }, hash: id.hash, stage: to,
    promotions: [...(r.current?.promotions ?? []), { from, to, gates, checks: [...checks], evidence: evidence as AgentRecord["promotions"][number]["evidence"], ...(figures === undefined ? {} : { figures }) }],
  };
  return { ok: true, record, checks };
}
