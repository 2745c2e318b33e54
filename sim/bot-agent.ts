// Adapts a Bot (agents/bot.ts, Unix ms) into the kernel's agent slot (simulated ns).
import type { Bot, BotContext, BotLog, RandomStream } from "../agents/bot.ts";
import type { Exchange } from "../market/exchange.ts";
import type { AgentContext, SimAgent } from "./kernel.ts";

const NS_PER_MS = 1_000_000;

/**
 * The BotContext the simulator hands a bot: its agent's exchange (through the port), stream
 * and scheduler, with time in Unix ms. `now` is `epochMs + floor(ns / 1e6)`, as the exchange's
 * `milliseconds()`. `wakeIn(dt)` is exact to the ns: `now_ns + round(dt · 1e6)`; `wakeAt(t)`
 * goes to `round((t − epochMs) · 1e6)` ns, or to now when `t` is the current (floored) ms.
 */
export class SimBotContext implements BotContext {
  constructor(private readonly agent: AgentContext, private readonly epochMs: number, readonly log: BotLog) {}

  get exchange(): Exchange {
    return this.agent.exchange;
  }
  get symbol(): string {
    return this.agent.symbol;
  }
  get rng(): RandomStream {
    return this.agent.rng;
  }
  get now(): number {
    return this.epochMs + Math.floor(this.agent.now / NS_PER_MS);
  }

  /** @throws RangeError naming the bot and value for a time before now or not a number. */
  wakeAt(tMs: number): void {
    if (!(tMs >= this.now)) throw new RangeError(`bot ${this.agent.name}: wakeAt(${tMs}) is not a Unix ms at or after now (${this.now})`);
    this.agent.wakeAt(Math.max(this.agent.now, Math.round((tMs - this.epochMs) * NS_PER_MS)));
  }

  /** @throws RangeError naming the bot and value for a negative or non-finite delay. */
  wakeIn(dtMs: number): void {
    if (!(dtMs >= 0 && dtMs < Infinity)) throw new RangeError(`bot ${this.agent.name}: wakeIn(${dtMs}) is not a delay in ms >= 0`);
    this.agent.wakeIn(Math.round(dtMs * NS_PER_MS));
  }
}

/**
 * A bot in an agent slot: the kernel starts, wakes and stops it like any agent, and the bot
 * sees only its BotContext. `bot` is the object itself, for reports that read what it recorded.
 */
export class BotAgent implements SimAgent {
  private ctx: SimBotContext | undefined = undefined;
  constructor(readonly bot: Bot, private readonly epochMs: number, readonly log: BotLog) {}

  start(agent: AgentContext): void | Promise<void> {
    this.ctx = new SimBotContext(agent, this.epochMs, this.log);
    return this.bot.start(this.ctx);
  }

  wake(): void | Promise<void> {
    return this.bot.wake?.(this.ctx!);
  }

  stop(): void | Promise<void> {
    return this.bot.stop?.(this.ctx!);
  }
}
