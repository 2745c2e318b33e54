// In-simulator evaluation of a market policy: held-out seeds of a scenario, the policy beside buy-and-hold and the rule strategies.
import { BOT_TYPES } from "../../agents/registry.ts";
import { ValidationError } from "../../market/validate.ts";
import { buildScenario } from "../../scenarios/build.ts";
import type { ScenarioSpec } from "../../scenarios/spec.ts";
import { BotResults } from "../bot-results.ts";
import { sharpePerPeriod } from "../metrics/ratios.ts";
import { meanInterval, type MeanInterval } from "../report/stats.ts";

/** Minutes in a year: the bots' equity is sampled once a simulated minute. */
const MINUTES_PER_YEAR = 365 * 24 * 60;

/** One bot over the seeds: mean and 95% t-interval of each figure. */
export interface EvalRow {
  readonly bot: string;
  readonly type: string;
  /** Return over the run, %. */
  readonly returnPct: MeanInterval;
  /** Sharpe of the per-minute equity returns, annualised (√525,600); 0 for a flat equity curve. */
  readonly sharpe: MeanInterval;
  readonly maxDrawdownPct: MeanInterval;
  readonly perSeed: readonly { readonly seed: number; readonly returnPct: number; readonly sharpe: number; readonly maxDrawdownPct: number }[];
}

export interface MarketEval {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly durationNs: number;
  /** The policy, buy-and-hold, then every rule bot (ema-cross, strategy), as the scenario names them. */
  readonly rows: readonly EvalRow[];
  readonly policy: EvalRow;
  readonly buyAndHold: EvalRow | undefined;
  /** The rule bot with the highest mean return. */
  readonly bestRule: EvalRow | undefined;
}

/**
 * Runs `spec` on each seed with the policy at `policyPath` added as bot "policy" (100,000 quote,
 * greedy), beside the scenario's own bots, and sums up each bot across the seeds.
 * @param memory the market memory folder a policy trained with one reads (the bot's "memory" param).
 * @throws ValidationError when the policy file or the memory is refused (its field "policy" or "memory", naming the file and what is wrong).
 */
export async function evaluateMarketPolicy(o: { scenario: string; spec: ScenarioSpec; policyPath: string; memory?: string; seeds: readonly number[]; durationNs?: number; onSeed?: (seed: number) => void }): Promise<MarketEval> {
  const parsed = BOT_TYPES.policy.params.safeParse({ policy: o.policyPath, ...(o.memory === undefined ? {} : { memory: o.memory }) });
  if (!parsed.success) throw new ValidationError(String(parsed.error.issues[0].path[0] ?? "policy"), parsed.error.issues.map((i) => i.message).join("; "));
  const params = parsed.data;
  const spec: ScenarioSpec = { ...o.spec, bots: [...o.spec.bots, { name: "policy", type: "policy", base: 0, quote: 100_000, params: params as Record<string, unknown> }] };
  const durationNs = o.durationNs ?? spec.duration;
  const per = new Map<string, { type: string; seeds: { seed: number; returnPct: number; sharpe: number; maxDrawdownPct: number }[] }>();
  for (const seed of o.seeds) {
    const { kernel, bots } = buildScenario(spec, seed);
    const results = new BotResults(kernel, bots);
    await kernel.run(durationNs);
    const series = results.series();
    results.results(spec).forEach((r, i) => {
      const eq = series[i].equity;
      const rets: number[] = [];
      for (let k = 1; k < eq.length; k++) if (eq[k - 1] > 0) rets.push(eq[k] / eq[k - 1] - 1);
      const s = sharpePerPeriod(rets);
      const row = per.get(r.name) ?? { type: r.type, seeds: [] };
      row.seeds.push({ seed, returnPct: r.returnPct, sharpe: s === null ? 0 : s * Math.sqrt(MINUTES_PER_YEAR), maxDrawdownPct: r.maxDrawdownPct });
      per.set(r.name, row);
    });
    o.onSeed?.(seed);
  }
  const rows: EvalRow[] = [...per.entries()].map(([bot, r]) => ({
    bot, type: r.type, perSeed: r.seeds,
    returnPct: meanInterval(r.seeds.map((x) => x.returnPct)), sharpe: meanInterval(r.seeds.map((x) => x.sharpe)), maxDrawdownPct: meanInterval(r.seeds.map((x) => x.maxDrawdownPct)),
  }));
  const rules = rows.filter((r) => r.type === "strategy" || r.type === "ema-cross");
  const bestRule = rules.length === 0 ? undefined : rules.reduce((a, b) => (b.returnPct.mean > a.returnPct.mean ? b : a));
  const policy = rows.find((r) => r.bot === "policy")!;
  const buyAndHold = rows.find((r) => r.type === "buy-and-hold");
  const ordered = [policy, ...(buyAndHold === undefined ? [] : [buyAndHold]), ...rules];
  return { scenario: o.scenario, seeds: o.seeds, durationNs, rows: ordered, policy, buyAndHold, bestRule };
}
