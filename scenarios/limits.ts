// What a scenario must satisfy beyond its shape: distinct agent names, and endowments, prices and order sizes the venue holds in safe integers.
import { DEFAULT_INSTRUMENT, makeInstrument, type Instrument } from "../market/instrument.ts";
import { ValidationError } from "../market/validate.ts";

/** What the limits need to know of a population type, from its validated params (coins). */
export interface PopulationLimits {
  endowment(params: Record<string, unknown>): { readonly base: number; readonly quote: number };
  /** The params that size one order, base coins by param name. */
  orderSizes(params: Record<string, unknown>): Readonly<Record<string, number>>;
}

/** Lowest starting price, in ticks: a tick is then at most a basis point, the unit agents price in. */
export const MIN_PRICE_TICKS = 10_000;

/** How far above its start the price may rise with every order still representable: ten-fold. */
export const PRICE_HEADROOM = 10;

/** Agent-name prefixes the builder uses for bots and shocks. */
const RESERVED_NAMES = ["bot", "shock"];

const MAX = Number.MAX_SAFE_INTEGER;

/** The parts of a parsed spec the limits read. */
export interface LimitedSpec {
  readonly initialPrice: number;
  readonly instrument: Readonly<Record<string, unknown>>;
  readonly populations: readonly { readonly type: string; readonly name?: string; readonly count: number; readonly params: Record<string, unknown> }[];
  readonly bots: readonly { readonly name: string; readonly base: number; readonly quote: number }[];
}

/**
 * Checks what the shape cannot: the instrument's units, one agent-name prefix per population,
 * the venue's endowments within 2^53 − 1 smallest units per asset, a starting price of at least
 * MIN_PRICE_TICKS ticks with PRICE_HEADROOM of room above it, and every order size worth a safe
 * number of quote units at that height. `limits` without a type skips its endowment and sizes.
 * @throws ValidationError naming the field (`scenario.populations[1].count`), the value and the rule.
 */
export function checkScenarioLimits(spec: LimitedSpec, limits: Readonly<Record<string, PopulationLimits>> = {}): void {
  const inst = instrumentOf(spec);
  checkNames(spec);
  const ticks = spec.initialPrice / inst.spec.tickSize;
  if (!(ticks >= MIN_PRICE_TICKS)) {
    fail("scenario.initialPrice", `${spec.initialPrice} is ${ticks} ticks of ${inst.spec.tickSize}; it must be at least ${MIN_PRICE_TICKS} ticks (${MIN_PRICE_TICKS * inst.spec.tickSize} ${inst.quote}), so a tick is at most a basis point of the price`);
  }
  const maxPrice = Math.floor(MAX / PRICE_HEADROOM) * inst.spec.tickSize;
  if (!(ticks * PRICE_HEADROOM <= MAX)) {
    fail("scenario.initialPrice", `${spec.initialPrice} is past the highest starting price the instrument can quote with ${PRICE_HEADROOM}-fold room to rise: at most ${maxPrice} ${inst.quote} (${PRICE_HEADROOM} × the price must stay within 2^53 − 1 ticks of ${inst.spec.tickSize})`);
  }
  const total = { base: 0, quote: 0 };
  /** Adds `count` endowments of `coins` to the venue's total of `asset`; `field` is refused when it overflows. */
  const endow = (field: string, count: number, coins: number, asset: "base" | "quote", coinsField: string) => {
    const scale = asset === "base" ? inst.spec.baseScale : inst.spec.quoteScale;
    const units = Math.round(coins * scale);
    if (!Number.isSafeInteger(units)) fail(coinsField, `${coins} ${asset} coins is ${units} smallest units, past 2^53 − 1 = ${MAX}`);
    const sum = total[asset] + count * units;
    if (sum > MAX) {
      const coin = asset === "base" ? inst.base : inst.quote;
      const what = field === coinsField ? `${coins} ${asset} coins` : `${count} agents × ${coins} ${asset} coins each`;
      const fix = field === coinsField ? `at most ${(MAX - total[asset]) / scale} more ${asset} coins fit` : `at most ${Math.floor((MAX - total[asset]) / units)} such agents fit; lower the count or params.${asset}`;
      fail(field, `${what} take the venue's ${asset} endowments to ${sum} ${coin} units (1/${scale} ${coin}), past 2^53 − 1 = ${MAX}; ${fix}`);
    }
    total[asset] = sum;
  };
  spec.populations.forEach((p, i) => {
    const l = Object.hasOwn(limits, p.type) ? limits[p.type] : undefined;
    if (l === undefined || p.count === 0) return;
    const at = `scenario.populations[${i}]`;
    const e = l.endowment(p.params);
    endow(`${at}.count`, p.count, e.base, "base", `${at}.params.base`);
    endow(`${at}.count`, p.count, e.quote, "quote", `${at}.params.quote`);
    for (const [name, coins] of Object.entries(l.orderSizes(p.params))) checkOrderSize(inst, ticks, `${at}.params.${name}`, coins);
  });
  spec.bots.forEach((b, i) => {
    endow(`scenario.bots[${i}].base`, 1, b.base, "base", `scenario.bots[${i}].base`);
    endow(`scenario.bots[${i}].quote`, 1, b.quote, "quote", `scenario.bots[${i}].quote`);
  });
}

/** An order of `coins` at PRICE_HEADROOM × the starting price, fee included, must be a safe number of quote units. */
function checkOrderSize(inst: Instrument, ticks: number, field: string, coins: number): void {
  const lots = coins / inst.spec.lotSize;
  const perLot = ticks * PRICE_HEADROOM * inst.quoteUnitsPerTickLot * (1 + Math.max(inst.makerFeePpm, inst.takerFeePpm) / 1e6);
  if (lots * perLot <= MAX) return;
  const most = Math.floor(MAX / perLot) * inst.spec.lotSize;
  const price = (ticks * inst.spec.tickSize).toString();
  fail(
    field,
    `${coins} coins as one order at ${PRICE_HEADROOM} × the starting price of ${price} ${inst.quote}, fee included, is worth more than 2^53 − 1 = ${MAX} ${inst.quote} units (1/${inst.spec.quoteScale} ${inst.quote}); it must be at most ${Number(most.toPrecision(6))} coins`,
  );
}

/** The scenario's instrument, its unit errors refused as scenario fields. */
function instrumentOf(spec: LimitedSpec): Instrument {
  try {
    return makeInstrument({ ...DEFAULT_INSTRUMENT, ...spec.instrument });
  } catch (err) {
    const msg = (err as Error).message;
    throw new ValidationError(`scenario.${msg.split(":")[0]}`, `scenario.${msg}`);
  }
}

/** Each population names its agents `NAME/i` with NAME its `name` or its type: no two may share one. */
function checkNames(spec: LimitedSpec): void {
  const seen = new Map<string, number>();
  spec.populations.forEach((p, i) => {
    const name = p.name ?? p.type;
    const field = p.name === undefined ? `scenario.populations[${i}].type` : `scenario.populations[${i}].name`;
    if (RESERVED_NAMES.includes(name)) fail(field, `${JSON.stringify(name)} is reserved (agents bot/NAME and shock/i are the scenario's bots and shocks); give the population another "name"`);
    const j = seen.get(name);
    if (j !== undefined) {
      fail(
        field,
        p.name === undefined
          ? `${JSON.stringify(name)}: its agents would be named ${name}/0, ${name}/1... as populations[${j}]'s are; give one of the two populations of this type its own "name" (e.g. "${name}-2")`
          : `${JSON.stringify(name)} is already used by populations[${j}]; each population needs its own name`,
      );
    }
    seen.set(name, i);
  });
}

/** Throws `${field}: ${value and rule}`. */
function fail(field: string, rule: string): never {
  throw new ValidationError(field, `${field}: ${rule}`);
}
