// Suite evidence (sim → history): the bot passed every gated built-in on every seed, in a suite whose run folders agree with suite.json.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { BUILTIN_SPECS, builtinSpec } from "../../scenarios/builtins.ts";
import { runFolderProblem } from "../run-integrity.ts";
import { EvidenceError, parseJson, readEvidenceFile, type GateCheck, type ReadEvidence } from "./evidence.ts";
import type { Gates } from "./gates.ts";
import { botIdentity, shortId, type BotIdentity } from "./identity.ts";

const Verdict = z.object({ name: z.string(), type: z.string(), pass: z.boolean() });
const SuiteFile = z.object({
  scenarios: z.array(z.string()),
  seeds: z.array(z.number().int()),
  table: z.object({ rows: z.array(z.object({ scenario: z.string(), bot: z.string(), pass: z.boolean() })) }),
  runs: z.array(z.object({ scenario: z.string(), seed: z.number().int(), digest: z.string(), bots: z.array(Verdict) })),
});
const RunSummary = z.object({ digest: z.string(), bots: z.array(Verdict) });

/** The name the built-in `scenario` gives this bot object (its type and params after the schema), if it runs it. */
export function suiteBotName(scenario: string, id: BotIdentity): string | undefined {
  for (const b of builtinSpec(scenario).bots) {
    if (b.type !== id.bot) continue;
    try {
      if (botIdentity(b.type, (b.params ?? {}) as Record<string, unknown>).hash === id.hash) return b.name;
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * Reads a suite (`file` is its suite.json) as evidence for `id`: checks every run folder against
 * suite.json (run-integrity's check, the digest, the bot's verdict), then the sim gate.
 * @throws EvidenceError: usage when the suite is unreadable or the built-ins do not run this bot; integrity when its files disagree.
 */
export async function readSuiteEvidence(path: string, file: string, id: BotIdentity, gate: Gates["sim"]): Promise<ReadEvidence> {
  const { text, sha256 } = await readEvidenceFile(file);
  const parsed = SuiteFile.safeParse(parseJson(file, text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidenceError(`--evidence: ${JSON.stringify(file)} is not an arena suite's suite.json (${issue.path.join(".")}: ${issue.message})`);
  }
  const suite = parsed.data;
  const dir = dirname(file);
  const tampered = (why: string) => new EvidenceError(`--evidence: suite ${JSON.stringify(path)}: ${why}; the suite is refused`, "integrity");
  const names = new Map<string, string>();
  for (const scenario of gate.scenarios) {
    const name = suiteBotName(scenario, id);
    if (name === undefined) {
      const known = builtinSpec(scenario).bots.map((b) => `${b.name} (${b.type} ${JSON.stringify(b.params ?? {})})`).join(", ");
      throw new EvidenceError(`--evidence: the built-in ${scenario} does not run ${shortId(id)} ${JSON.stringify(id.params)}, so no suite can be its evidence (it runs ${known})`);
    }
    names.set(scenario, name);
  }
  const scenarios = [];
  const checks: GateCheck[] = [];
  for (const scenario of gate.scenarios) {
    const name = names.get(scenario)!;
    const runs = suite.runs.filter((r) => r.scenario === scenario);
    const seen = [];
    for (const r of runs) {
      const runDir = join(dir, "runs", scenario, `seed-${r.seed}`);
      const problem = await runFolderProblem(runDir);
      if (problem !== null) throw tampered(`run ${scenario} seed ${r.seed}: ${problem}`);
      const summary = RunSummary.safeParse(JSON.parse(await readFile(join(runDir, "summary.json"), "utf8")));
      if (!summary.success) throw tampered(`run ${scenario} seed ${r.seed}: its summary.json has no digest or bot verdicts`);
      if (summary.data.digest !== r.digest) throw tampered(`run ${scenario} seed ${r.seed}: digest ${summary.data.digest.slice(0, 12)}… in its summary.json, ${r.digest.slice(0, 12)}… in suite.json`);
      const inSuite = r.bots.find((b) => b.name === name);
      const inRun = summary.data.bots.find((b) => b.name === name);
      if (inSuite === undefined || inRun === undefined) throw tampered(`run ${scenario} seed ${r.seed} has no verdict for the bot ${name}`);
      if (inSuite.pass !== inRun.pass) throw tampered(`run ${scenario} seed ${r.seed}: ${name} ${inRun.pass ? "passed" : "failed"} in its summary.json but ${inSuite.pass ? "passed" : "failed"} in suite.json`);
      seen.push({ seed: r.seed, digest: r.digest, pass: inRun.pass });
    }
    const passed = seen.filter((s) => s.pass).length;
    const row = suite.table.rows.find((x) => x.scenario === scenario && x.bot === name);
    if (row !== undefined && row.pass !== (seen.length > 0 && passed === seen.length)) throw tampered(`${scenario}/${name}: the table says ${row.pass ? "PASS" : "FAIL"}, its runs say ${passed}/${seen.length} seeds passed`);
    const pass = seen.length >= gate.minSeeds && passed === seen.length;
    checks.push({
      gate: "sim.scenarios",
      rule: `${scenario}: ${name} passes on every seed (at least ${gate.minSeeds})`,
      measured: seen.length === 0 ? "not in the suite" : `${passed}/${seen.length} seeds passed`,
      pass,
    });
    scenarios.push({ scenario, bot: name, seeds: seen.length, passed, runs: seen.map(({ seed, digest }) => ({ seed, digest })) });
  }
  return {
    record: { kind: "suite", path, file, sha256, reportId: sha256.slice(0, 16), builtins: Object.keys(BUILTIN_SPECS).length, scenarios },
    checks,
  };
}
