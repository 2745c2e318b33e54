// Walk-forward evidence (history → paper): the bot's strategy, behind the risk manager, out of sample: return, DSR and PBO against the history gate.
import { z } from "zod";
import { EvidenceError, parseJson, readEvidenceFile, type GateCheck, type ReadEvidence } from "./evidence.ts";
import type { Gates } from "./gates.ts";
import { shortId, type BotIdentity } from "./identity.ts";

const Num = z.number().nullable();
const Summary = z.object({
  strategy: z.string(),
  params: z.record(z.string(), z.unknown()),
  timeframe: z.string(),
  risk: z.enum(["on", "off"]),
  data: z.array(z.object({ file: z.string(), from: z.string(), to: z.string() })),
  walkForward: z.object({
    spec: z.object({ text: z.string() }),
    robust: z.object({ windows: z.number().int(), totalReturn: Num, sharpe: Num, deflatedSharpe: Num, pbo: Num }),
    stitched: z.object({ totalReturn: Num }),
  }),
});

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * Reads a walk-forward backtest's summary.json as evidence for `id`, the strategy bot: the
 * backtest must be of its strategy with the risk manager on (the bot always trades behind it).
 * The walk-forward judges the strategy's parameter search, not one parameter set: the evidence
 * records the base params and timeframe it searched from.
 * @throws EvidenceError (usage) when it is not a walk-forward of this bot's strategy.
 */
export async function readWalkForwardEvidence(path: string, file: string, id: BotIdentity, gate: Gates["history"]): Promise<ReadEvidence> {
  const { text, sha256 } = await readEvidenceFile(file);
  const parsed = Summary.safeParse(parseJson(file, text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvidenceError(`--evidence: ${JSON.stringify(file)} is not a walk-forward backtest's summary.json (${issue.path.join(".")}: ${issue.message})`);
  }
  const s = parsed.data;
  const strategy = id.bot === "strategy" ? (id.params.strategy as string) : undefined;
  if (strategy === undefined) {
    throw new EvidenceError(`--evidence: ${shortId(id)} runs no registry strategy, and arena backtest --walk-forward runs strategies only: it cannot be promoted to paper on walk-forward evidence`);
  }
  if (s.strategy !== strategy) throw new EvidenceError(`--evidence: ${JSON.stringify(path)} is a walk-forward of ${s.strategy}, not of ${shortId(id)}'s strategy ${strategy}`);
  if (s.risk !== "on") throw new EvidenceError(`--evidence: ${JSON.stringify(path)} ran with --risk off; the strategy bot always trades behind the risk manager (run it with --risk on)`);
  const wf = s.walkForward;
  const ret = wf.stitched.totalReturn;
  const pbo = wf.robust.pbo;
  const dsr = wf.robust.deflatedSharpe;
  const checks: GateCheck[] = [
    { gate: "history.minOosReturn", rule: `out-of-sample return > ${pct(gate.minOosReturn)}`, measured: ret === null ? "none" : pct(ret), pass: ret !== null && ret > gate.minOosReturn },
    { gate: "history.maxPbo", rule: `PBO < ${gate.maxPbo}`, measured: pbo === null ? "not computed" : pbo.toFixed(3), pass: pbo !== null && pbo < gate.maxPbo },
    { gate: "history.minWindows", rule: `at least ${gate.minWindows} walk-forward windows`, measured: String(wf.robust.windows), pass: wf.robust.windows >= gate.minWindows },
  ];
  if (gate.minDeflatedSharpe !== null) {
    checks.push({ gate: "history.minDeflatedSharpe", rule: `deflated Sharpe ≥ ${gate.minDeflatedSharpe}`, measured: dsr === null ? "not computed" : dsr.toFixed(3), pass: dsr !== null && dsr >= gate.minDeflatedSharpe });
  }
  return {
    record: {
      kind: "walk-forward", path, file, sha256,
      strategy: s.strategy, baseParams: s.params, timeframe: s.timeframe, windows: wf.spec.text,
      data: s.data.map((d) => ({ file: d.file, from: d.from, to: d.to })),
      oosReturn: ret, meanWindowReturn: wf.robust.totalReturn, oosSharpe: wf.robust.sharpe, deflatedSharpe: dsr, pbo, windowCount: wf.robust.windows,
    },
    checks,
  };
}
