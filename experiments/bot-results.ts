// Values each bot's account through the run and judges it against the scenario's criteria.
import { ticksToPrice } from "../market/instrument.ts";
import { Asset } from "../market/ledger.ts";
import type { PlacedBot } from "../scenarios/build.ts";
import type { ScenarioSpec } from "../scenarios/spec.ts";
import type { Kernel } from "../sim/kernel.ts";
import { StrategyBot } from "../agents/bots/strategy-bot.ts";
import type { RiskEvent } from "../agents/risk/risk.ts";

/**
 * Equity below this share of the starting equity counts as a blown account; a bot whose
 * final equity is under `SURVIVAL_SHARE` of its start did not survive. Spot accounts cannot
 * go negative, so "blown" means all but wiped out.
 */
export const BLOWN_SHARE = 0.1;
export const SURVIVAL_SHARE = 0.5;

/** How one bot did in one run. Money in quote coins, percentages as percent. */
export interface BotResult {
  readonly name: string;
  readonly type: string;
  readonly initialEquity: number;
  readonly finalEquity: number;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly survived: boolean;
  readonly blown: boolean;
  /** Meets every criterion of the scenario (survived, drawdown under the limit, not blown). */
  readonly pass: boolean;
  /** Strategy bots only: the risk manager's decisions against what the strategy wanted. */
  readonly riskEvents?: readonly RiskEvent[];
  /** Strategy bots with regime detection only: each change of label, time in Unix ms. */
  readonly regimes?: readonly { readonly time: number; readonly regime: string }[];
}

interface Track {
  readonly bot: PlacedBot;
  readonly account: number;
  readonly times: number[];
  readonly equity: number[];
  peak: number;
  maxDd: number;
  min: number;
}

/**
 * Samples every bot's equity (quote + base at the mid, both free and locked) every
 * `intervalNs`, from the ledger: what the account is worth, whatever the bot believes.
 */
export class BotResults {
  private readonly tracks: Track[];

  constructor(private readonly kernel: Kernel, bots: readonly PlacedBot[], intervalNs = 60_000_000_000) {
    this.tracks = bots.map((bot) => ({ bot, account: kernel.accountOf(bot.agent), times: [], equity: [], peak: 0, maxDd: 0, min: Infinity }));
    if (this.tracks.length > 0) kernel.every(intervalNs, (now) => this.sample(now));
  }

  private sample(now: number): void {
    const v = this.kernel.venue;
    const top = v.engine.top();
    const inst = v.instrument;
    const midTicks = top.bidPrice > 0 && top.askPrice > 0 ? (top.bidPrice + top.askPrice) / 2 : top.bidPrice || top.askPrice;
    const price = ticksToPrice(inst, midTicks);
    for (const t of this.tracks) {
      const L = v.ledger;
      const base = (L.freeOf(t.account, Asset.BASE) + L.lockedOf(t.account, Asset.BASE)) / inst.spec.baseScale;
      const quote = (L.freeOf(t.account, Asset.QUOTE) + L.lockedOf(t.account, Asset.QUOTE)) / inst.spec.quoteScale;
      const eq = quote + base * price;
      t.times.push(now);
      t.equity.push(eq);
      t.peak = Math.max(t.peak, eq);
      t.min = Math.min(t.min, eq);
      if (t.peak > 0) t.maxDd = Math.max(t.maxDd, 1 - eq / t.peak);
    }
  }

  /** Each bot's result against the spec's criteria. */
  results(spec: ScenarioSpec): BotResult[] {
    return this.tracks.map((t) => {
      const first = t.equity[0] ?? 0;
      const last = t.equity[t.equity.length - 1] ?? 0;
      const blown = first > 0 && t.min < BLOWN_SHARE * first;
      const survived = first > 0 && last >= SURVIVAL_SHARE * first;
      const maxDrawdownPct = Math.round(t.maxDd * 1e4) / 100;
      const c = spec.criteria;
      const pass = (!c.mustSurvive || survived) && maxDrawdownPct < c.maxDrawdownPct && (!c.noBlownAccount || !blown);
      const agent = t.bot.bot;
      return {
        name: t.bot.name, type: t.bot.type, initialEquity: round2(first), finalEquity: round2(last),
        returnPct: first > 0 ? Math.round((last / first - 1) * 1e4) / 100 : 0, maxDrawdownPct, survived, blown, pass,
        // A strategy bot's record: every order the risk manager blocked, resized or forced, and
        // the regime labels it traded under (change points), as backtests report them.
        ...(agent instanceof StrategyBot ? { riskEvents: agent.risk.events, regimes: agent.regimes } : {}),
      };
    });
  }

  /** Sampled equity per bot, for charts. */
  series(): { name: string; t: number[]; equity: number[] }[] {
    return this.tracks.map((t) => ({ name: t.bot.name, t: t.times, equity: t.equity }));
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
