// Lux–Marchesi (1999, 2000) switching rule: transition rates between optimist chartists, pessimist chartists and fundamentalists, and one step of a crowd.
import type { Rng } from "../sim/rng.ts";

/** How many traders of a crowd hold each view: optimist chartists (n+), pessimist chartists (n−), fundamentalists (nf). */
export interface Crowd {
  plus: number;
  minus: number;
  fund: number;
}

/** The rule's parameters, in the papers' symbols. Rates are per trader per unit of the model's time. */
export interface SwitchingRule {
  /** v1: how often a chartist revises its opinion (optimist ↔ pessimist). */
  readonly v1: number;
  /** v2: how often a trader revises its strategy (chartist ↔ fundamentalist). */
  readonly v2: number;
  /** α1: herding, the weight of the majority opinion among chartists. */
  readonly alpha1: number;
  /** α2: the weight of the price trend in a chartist's opinion. */
  readonly alpha2: number;
  /** α3: how strongly a profit differential between strategies moves traders. */
  readonly alpha3: number;
  /** s < 1: the discount fundamentalists' expected gain bears (it comes only when the price reverts). */
  readonly s: number;
  /** Fewest traders a group keeps, so no view dies out for good (the papers use 4). */
  readonly minGroup: number;
}

/** What the traders see of the market. */
export interface MarketView {
  /** ṗ/p: relative price change per unit of the model's time. */
  readonly trend: number;
  /** (pf − p)/p: the relative gap between fundamental value and price. */
  readonly gap: number;
}

/**
 * Per-trader rates, per unit time, named origin→destination: πab in the papers is the rate
 * from b to a, so `minusToPlus` is π+−, `fundToPlus` π+f, and so on.
 */
export interface Rates {
  minusToPlus: number;
  plusToMinus: number;
  fundToPlus: number;
  plusToFund: number;
  fundToMinus: number;
  minusToFund: number;
}

/** Traders who changed view in one step. */
export interface Flows {
  /** Chartists (optimists or pessimists) who became fundamentalists. */
  toFund: number;
  /** Fundamentalists who became chartists. */
  toChartist: number;
  /** Chartists who flipped opinion. */
  flips: number;
}

/** Exponents are clamped: exp(±50) keeps every rate finite whatever the inputs. */
const U_MAX = 50;
const clamp = (u: number) => (u > U_MAX ? U_MAX : u < -U_MAX ? -U_MAX : u);

/** An empty Rates, to be filled by `transitionRates`. */
export function newRates(): Rates {
  return { minusToPlus: 0, plusToMinus: 0, fundToPlus: 0, plusToFund: 0, fundToMinus: 0, minusToFund: 0 };
}

/**
 * The Lux–Marchesi rates (into `out`). Opinion: π+− = v1 (nc/N) e^{U1}, π−+ = v1 (nc/N) e^{−U1},
 * U1 = α1 x + α2 (ṗ/p)/v1 with x = (n+ − n−)/nc. Strategy: π+f = v2 (n+/N) e^{U2,1},
 * πf+ = v2 (nf/N) e^{−U2,1}, π−f = v2 (n−/N) e^{U2,2}, πf− = v2 (nf/N) e^{−U2,2}, with
 * U2,1 = α3 ((ṗ/p)/v2 − s|gap|) and U2,2 = α3 (−(ṗ/p)/v2 − s|gap|): the chartists' capital gain
 * from the trend against the fundamentalists' discounted gain from the gap. The papers' dividend
 * terms (r/p − R) vanish at the fundamental value and are left out. A rate into a group is
 * proportional to that group's share (herding).
 */
export function transitionRates(c: Crowd, m: MarketView, p: SwitchingRule, out: Rates): Rates {
  const n = c.plus + c.minus + c.fund;
  const nc = c.plus + c.minus;
  const x = nc > 0 ? (c.plus - c.minus) / nc : 0;
  const u1 = clamp(p.alpha1 * x + (p.alpha2 * m.trend) / p.v1);
  const fundGain = p.s * Math.abs(m.gap);
  const u21 = clamp(p.alpha3 * (m.trend / p.v2 - fundGain));
  const u22 = clamp(p.alpha3 * (-m.trend / p.v2 - fundGain));
  const opinion = n > 0 ? (p.v1 * nc) / n : 0;
  out.minusToPlus = opinion * Math.exp(u1);
  out.plusToMinus = opinion * Math.exp(-u1);
  const share = n > 0 ? p.v2 / n : 0;
  out.fundToPlus = share * c.plus * Math.exp(u21);
  out.plusToFund = share * c.fund * Math.exp(-u21);
  out.fundToMinus = share * c.minus * Math.exp(u22);
  out.minusToFund = share * c.fund * Math.exp(-u22);
  return out;
}

/**
 * Moves each trader of `c` (in place) over `dtUnits` of model time: a trader leaves its group
 * with probability 1 − e^{−Λ dt}, Λ the sum of its two rates out, to one destination or the other
 * in proportion to them (competing exponential clocks, exact for rates held over the step).
 * Everyone decides on the state at the start of the step; a group never drops below `minGroup`
 * (later leavers stay). One uniform per trader, groups in a fixed order: deterministic for a stream.
 */
export function stepCrowd(c: Crowd, r: Rates, dtUnits: number, minGroup: number, rng: Rng, flows: Flows): Flows {
  flows.toFund = 0;
  flows.toChartist = 0;
  flows.flips = 0;
  // Departures per group, to its first and second destination, all decided on the starting counts.
  const plus = leave(c.plus, r.plusToMinus, r.plusToFund, dtUnits, minGroup, rng);
  const minus = leave(c.minus, r.minusToPlus, r.minusToFund, dtUnits, minGroup, rng);
  const fund = leave(c.fund, r.fundToPlus, r.fundToMinus, dtUnits, minGroup, rng);
  c.plus += -plus.a - plus.b + minus.a + fund.a;
  c.minus += -minus.a - minus.b + plus.a + fund.b;
  c.fund += -fund.a - fund.b + plus.b + minus.b;
  flows.flips = plus.a + minus.a;
  flows.toFund = plus.b + minus.b;
  flows.toChartist = fund.a + fund.b;
  return flows;
}

/** How many of `n` traders leave to destination a (rate ra) and b (rate rb), keeping `floor` behind. */
function leave(n: number, ra: number, rb: number, dt: number, floor: number, rng: Rng): { a: number; b: number } {
  const moved = { a: 0, b: 0 };
  const total = ra + rb;
  const pLeave = total > 0 ? 1 - Math.exp(-total * dt) : 0;
  const pa = total > 0 ? ra / total : 0;
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    if (u >= pLeave || n - moved.a - moved.b <= floor) continue;
    if (u / pLeave < pa) moved.a++;
    else moved.b++;
  }
  return moved;
}
