// Paper evidence (paper → live): the bot's paper sessions in `arena trade` logs: days traded, PnL and drawdown, marked at fill prices.
import { z } from "zod";
import { EvidenceError, readEvidenceFile, type GateCheck } from "./evidence.ts";
import type { Gates } from "./gates.ts";
import { botIdentity, shortId, type BotIdentity } from "./identity.ts";

const DAY_MS = 86_400_000;
const Line = z.object({ t: z.number().finite(), kind: z.string() }).passthrough();
const Balances = z.record(z.string(), z.number().finite()).default({});
const Start = z.object({ bot: z.string(), symbol: z.string(), mode: z.string(), params: z.record(z.string(), z.unknown()) }).passthrough();
const Fill = z.object({ side: z.enum(["buy", "sell"]), price: z.number().positive(), amount: z.number().nonnegative(), cost: z.number().nonnegative().optional(), fee: z.object({ cost: z.number(), currency: z.string() }).nullish() }).passthrough();

/** One paper session of the bot, as its log lines tell it. */
export interface PaperSession {
  readonly file: string;
  /** 1-based line of its `start`. */
  readonly line: number;
  readonly startMs: number;
  readonly endMs: number;
  /** It ended with a `stop` line (else it was cut short; counted to its last line). */
  readonly stopped: boolean;
  readonly fills: number;
  /** Equity at its start and after each fill and at its end, quote, marked at the last fill price seen. */
  readonly equity: readonly number[];
}

/**
 * The sessions of `id` in paper mode in one `arena trade` log (live/trade/log.ts's JSON lines).
 * Other bots' sessions and live sessions are counted and skipped.
 * @throws EvidenceError naming the file and line of a line that is not the log's format.
 */
export async function paperSessions(path: string, id: BotIdentity): Promise<{ sha256: string; sessions: PaperSession[]; skipped: number }> {
  const { text, sha256 } = await readEvidenceFile(path);
  const raw = text.split("\n");
  if (raw.at(-1) === "") raw.pop();
  const lines = raw.map((l, i) => {
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      throw new EvidenceError(`--evidence: ${JSON.stringify(path)} line ${i + 1} is not JSON: not an arena trade log`);
    }
    const r = Line.safeParse(v);
    if (!r.success) throw new EvidenceError(`--evidence: ${JSON.stringify(path)} line ${i + 1} has no numeric t and kind: not an arena trade log`);
    return r.data;
  });
  // First pass: the first fill price of the file, to value what was held before any fill.
  let price = NaN;
  for (const l of lines) if (l.kind === "fill" && Fill.safeParse(l).success) { price = (l as unknown as { price: number }).price; break; }
  const sessions: PaperSession[] = [];
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].kind !== "start") continue;
    const start = Start.safeParse(lines[i]);
    let j = i + 1;
    while (j < lines.length && lines[j].kind !== "start") j++;
    const body = lines.slice(i + 1, j);
    if (!start.success || start.data.mode !== "paper" || !sameBot(start.data.bot, start.data.params, id)) {
      skipped++;
      for (const l of body) if (l.kind === "fill") price = (l as unknown as { price: number }).price;
      continue;
    }
    const [base, quote] = start.data.symbol.split("/");
    const held = { base: 0, quote: 0 };
    const set = (b: Record<string, number>) => ((held.base = b[base] ?? 0), (held.quote = b[quote] ?? 0));
    const value = () => held.quote + (Number.isFinite(price) ? held.base * price : 0);
    const reconcile = body.find((l) => l.kind === "reconcile");
    if (reconcile !== undefined) set(Balances.parse((reconcile as { balances?: unknown }).balances));
    const equity = [value()];
    let fills = 0;
    let stopped = false;
    for (const [k, l] of body.entries()) {
      if (l.kind === "fill") {
        const f = Fill.safeParse(l);
        if (!f.success) throw new EvidenceError(`--evidence: ${JSON.stringify(path)} line ${i + 2 + k}: a fill without side, price and amount`);
        const cost = f.data.cost ?? f.data.price * f.data.amount;
        const sign = f.data.side === "buy" ? 1 : -1;
        held.base += sign * f.data.amount;
        held.quote -= sign * cost;
        if (f.data.fee?.currency === quote) held.quote -= f.data.fee.cost;
        else if (f.data.fee?.currency === base) held.base -= f.data.fee.cost;
        price = f.data.price;
        fills++;
        equity.push(value());
      } else if (l.kind === "stop") {
        // The venue's balances at the stop are the truth; the fills above only interpolate.
        set(Balances.parse((l as { balances?: unknown }).balances));
        equity.push(value());
        stopped = true;
      }
    }
    sessions.push({ file: path, line: i + 1, startMs: lines[i].t, endMs: (body.at(-1) ?? lines[i]).t, stopped, fills, equity });
  }
  return { sha256, sessions, skipped };
}

function sameBot(bot: string, params: Record<string, unknown>, id: BotIdentity): boolean {
  if (bot !== id.bot) return false;
  try {
    return botIdentity(bot, params).hash === id.hash;
  } catch {
    return false;
  }
}

/** Days, PnL and the deepest drawdown of sessions (in time order), each continuing the equity the one before ended with. */
export function paperFigures(sessions: readonly PaperSession[]): { days: number; pnl: number; returnPct: number; maxDrawdownPct: number; fills: number } {
  let days = 0;
  let pnl = 0;
  let level = NaN;
  let peak = -Infinity;
  let dd = 0;
  let fills = 0;
  for (const s of sessions) {
    days += (s.endMs - s.startMs) / DAY_MS;
    fills += s.fills;
    if (Number.isNaN(level)) level = s.equity[0];
    const offset = level + pnl - s.equity[0];
    for (const e of s.equity) {
      const v = e + offset;
      peak = Math.max(peak, v);
      if (peak > 0) dd = Math.max(dd, (peak - v) / peak);
    }
    pnl += s.equity.at(-1)! - s.equity[0];
  }
  return { days, pnl, returnPct: level > 0 ? (pnl / level) * 100 : 0, maxDrawdownPct: dd * 100, fills };
}

/** The paper gate against sessions gathered from every log given. @throws EvidenceError when two sessions overlap in time (days would count twice). */
export function paperChecks(sessions: readonly PaperSession[], gate: Gates["paper"], id: BotIdentity): { figures: ReturnType<typeof paperFigures>; checks: GateCheck[] } {
  if (sessions.length === 0) throw new EvidenceError(`--evidence: the trade logs given hold no paper session of ${shortId(id)} ${JSON.stringify(id.params)}`);
  const sorted = [...sessions].sort((a, b) => a.startMs - b.startMs);
  for (let k = 1; k < sorted.length; k++) {
    const [a, b] = [sorted[k - 1], sorted[k]];
    if (b.startMs < a.endMs) throw new EvidenceError(`--evidence: the session at ${JSON.stringify(b.file)} line ${b.line} overlaps the one at ${JSON.stringify(a.file)} line ${a.line}: its days would count twice`);
  }
  const figures = paperFigures(sorted);
  return {
    figures,
    checks: [
      { gate: "paper.minDays", rule: `at least ${gate.minDays} days of paper trading`, measured: `${figures.days.toFixed(4)} days`, pass: figures.days >= gate.minDays },
      { gate: "paper.maxDrawdownPct", rule: `drawdown < ${gate.maxDrawdownPct}%`, measured: `${figures.maxDrawdownPct.toFixed(2)}%`, pass: figures.maxDrawdownPct < gate.maxDrawdownPct },
    ],
  };
}
