// The criteria table: each bot in each scenario against the pass criteria, across seeds, and a ranking.
import { meanInterval, type MeanInterval } from "./stats.ts";
import type { SuiteReportInput } from "./types.ts";

/** One bot in one scenario, over the seeds it ran in. Rates are shares in [0, 1]. */
export interface CriteriaRow {
  readonly scenario: string;
  readonly bot: string;
  /** Seeds the bot ran in. */
  readonly seeds: number;
  /** Share of seeds where the bot survived. */
  readonly survivalRate: number;
  /** Share of seeds with max drawdown strictly below the limit. */
  readonly drawdownOkRate: number;
  /** Share of seeds where the account was not blown. */
  readonly notBlownRate: number;
  /** Max drawdown, percent: mean and 95% t-interval across seeds. */
  readonly maxDrawdownPct: MeanInterval;
  /** Return, percent: mean and 95% t-interval across seeds. */
  readonly returnPct: MeanInterval;
  /** Every seed survived, stayed under the drawdown limit and was not blown. */
  readonly pass: boolean;
  /** Seeds that failed any criterion, ascending. */
  readonly failedSeeds: readonly number[];
}

/** The bots of one scenario, best first: passing before failing, then by mean return, then by name. */
export interface ScenarioRanking {
  readonly scenario: string;
  readonly ranking: readonly { readonly rank: number; readonly bot: string; readonly pass: boolean; readonly meanReturnPct: number }[];
}

export interface CriteriaTable {
  readonly criteria: { readonly maxDrawdownPct: number };
  /** Interval method, stated so readers of suite.json know what lo/hi mean. */
  readonly interval: "95% Student-t interval across seeds: mean ± t(0.975, n−1)·s/√n";
  /** Scenario order of the input, bots in order of first appearance within a scenario. */
  readonly rows: readonly CriteriaRow[];
  readonly rankings: readonly ScenarioRanking[];
}

/**
 * Tabulates every (scenario, bot) against the criteria. Plain data: the HTML report draws it
 * and suite.json stores it. A bot absent from some seeds is judged on the seeds it ran in.
 */
export function criteriaTable(input: SuiteReportInput): CriteriaTable {
  const limit = input.criteria.maxDrawdownPct;
  const rows: CriteriaRow[] = [];
  const rankings: ScenarioRanking[] = [];
  for (const sc of input.scenarios) {
    const order: string[] = [];
    const byBot = new Map<string, { seed: number; dd: number; ret: number; survived: boolean; blown: boolean }[]>();
    for (const run of sc.runs) {
      for (const b of run.bots) {
        let list = byBot.get(b.name);
        if (!list) byBot.set(b.name, (list = [])), order.push(b.name);
        list.push({ seed: run.seed, dd: b.maxDrawdownPct, ret: b.returnPct, survived: b.survived, blown: b.blown });
      }
    }
    const scRows: CriteriaRow[] = [];
    for (const bot of order) {
      const xs = byBot.get(bot)!;
      const n = xs.length;
      const share = (f: (x: (typeof xs)[number]) => boolean) => xs.filter(f).length / n;
      const failedSeeds = xs
        .filter((x) => !(x.survived && x.dd < limit && !x.blown))
        .map((x) => x.seed)
        .sort((a, b) => a - b);
      scRows.push({
        scenario: sc.name,
        bot,
        seeds: n,
        survivalRate: share((x) => x.survived),
        drawdownOkRate: share((x) => x.dd < limit),
        notBlownRate: share((x) => !x.blown),
        maxDrawdownPct: meanInterval(xs.map((x) => x.dd)),
        returnPct: meanInterval(xs.map((x) => x.ret)),
        pass: failedSeeds.length === 0,
        failedSeeds,
      });
    }
    rows.push(...scRows);
    const ranked = scRows
      .slice()
      .sort((a, b) => Number(b.pass) - Number(a.pass) || b.returnPct.mean - a.returnPct.mean || (a.bot < b.bot ? -1 : a.bot > b.bot ? 1 : 0));
    rankings.push({
      scenario: sc.name,
      ranking: ranked.map((r, i) => ({ rank: i + 1, bot: r.bot, pass: r.pass, meanReturnPct: r.returnPct.mean })),
    });
  }
  return {
    criteria: { maxDrawdownPct: limit },
    interval: "95% Student-t interval across seeds: mean ± t(0.975, n−1)·s/√n",
    rows,
    rankings,
  };
}
