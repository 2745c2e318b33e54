// Turns a validated ScenarioSpec and a seed into a ready-to-run kernel.
import { z } from "zod";
import { Activity } from "../agents/activity.ts";
import { Fundamental, FUNDAMENTAL_DEFAULTS } from "../agents/fundamental.ts";
import { FundamentalPath } from "../agents/fundamental-path.ts";
import { AGENT_TYPES, agentParamSchemas, BOT_TYPES, botParamSchemas } from "../agents/registry.ts";
import type { Bot } from "../agents/bot.ts";
import { addBot } from "../agents/sim-bot.ts";
import { time } from "../agents/params.ts";
import type { LatentValue, World } from "../agents/world.ts";
import { DEFAULT_INSTRUMENT } from "../market/instrument.ts";
import { Kernel, type AgentContext, type SimAgent } from "../sim/kernel.ts";
import type { ScenarioSpec, TypeRegistry } from "./spec.ts";

/** Shock types: what happens at a point of the timeline. They act on the world, never on prices. */
export const SHOCK_TYPES = {
  /** The latent fundamental reprices by `sizePct` percent; traders who follow it move the market. */
  "fundamental-jump": z.strictObject({ sizePct: z.number().gt(-100).max(900, "must be at most 900 (a ten-fold rise)") }),
  /**
   * Liquidity providers (market makers, value traders) sit out a `share` of their decisions
   * for `minutes`: the book thins, and whatever selling or buying comes meets less of it.
   */
  "liquidity-withdrawal": z.strictObject({ share: z.number().min(0).max(1), minutes: time(60e9, "minutes") }),
} as const;

type ShockParams = { sizePct?: number; share?: number; minutes?: number };

/** Everything `parseScenario` needs to check a spec against what this code can build. */
export function typeRegistry(): TypeRegistry {
  return { agents: agentParamSchemas(), shocks: SHOCK_TYPES, bots: botParamSchemas(), limits: AGENT_TYPES };
}

/** Applies one shock when its time comes. */
class ShockAgent implements SimAgent {
  constructor(private readonly at: number, private readonly apply: () => void) {}
  start(ctx: AgentContext): void {
    ctx.wakeAt(this.at);
  }
  wake(): void {
    this.apply();
  }
}

/**
 * Builds the world of `spec` for `seed`: the instrument, the fundamental process, every
 * population agent (named `NAME/INDEX`, NAME the population's name or type, so each draws from its own stream), the bots under
 * test (named `bot/NAME`) and the shocks.
 */
/** A bot placed in a world: its name and type from the spec, its agent id in the kernel, the bot object. */
export interface PlacedBot {
  readonly name: string;
  readonly type: string;
  readonly agent: number;
  /** The bot itself, for reports that read what it recorded (risk events, regimes, refusals). */
  readonly bot: Bot;
}

export function buildScenario(spec: ScenarioSpec, seed: number | string): { kernel: Kernel; world: World; bots: PlacedBot[] } {
  const kernel = new Kernel({ seed, epochMs: spec.epochMs, instrument: { ...DEFAULT_INSTRUMENT, ...spec.instrument } });
  const { path, ...ouParams } = spec.fundamental;
  const fundamental: LatentValue = path === undefined
    ? new Fundamental({ ...FUNDAMENTAL_DEFAULTS, ...ouParams, initial: spec.initialPrice }, kernel.rng.fork("world/fundamental"))
    : new FundamentalPath(
      { stepNs: path.step, prices: path.prices, bridgeSigmaPerSqrtHour: path.bridgeSigmaPerSqrtHour, bridgeStepNs: FUNDAMENTAL_DEFAULTS.stepNs },
      kernel.rng.fork("world/fundamental"),
    );
  const activity = spec.activity.volOfVolPerSqrtHour > 0 ? new Activity(spec.activity, kernel.rng.fork("world/activity")) : undefined;
  const world: World = { fundamental, initialPrice: spec.initialPrice, withdrawal: { until: 0, share: 0 }, activity };
  for (const pop of spec.populations) {
    const t = AGENT_TYPES[pop.type];
    const params = pop.params;
    const { base, quote } = t.endowment(params);
    // Populations act on callbacks and never ask for their past: their clients keep no closed
    // history, which a day of their orders would otherwise fill memory and GC time with.
    const history = { ordersLimit: 0, tradesLimit: 0 };
    const name = pop.name ?? pop.type;
    for (let i = 0; i < pop.count; i++) kernel.addAgent(`${name}/${i}`, t.create(params, world), { base, quote, history });
  }
  const bots: PlacedBot[] = spec.bots.map((b) => {
    const bot = BOT_TYPES[b.type].create(b.params);
    return { name: b.name, type: b.type, agent: addBot(kernel, `bot/${b.name}`, bot, { base: b.base, quote: b.quote }), bot };
  });
  spec.shocks.forEach((s, i) => {
    const p = s.params as ShockParams;
    const apply =
      s.type === "fundamental-jump"
        ? () => fundamental.jump(p.sizePct!)
        : () => {
            world.withdrawal.until = s.at + Math.round(p.minutes! * 60e9);
            world.withdrawal.share = p.share!;
          };
    kernel.addAgent(`shock/${i}`, new ShockAgent(s.at, apply));
  });
  return { kernel, world, bots };
}
