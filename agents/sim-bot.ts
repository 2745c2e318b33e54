// Adapts a Bot (agents/bot.ts, Unix ms) into the kernel's agent slot (simulated ns); lives above sim/, which knows no bots.
import type { Exchange } from "../market/exchange.ts";
import type { AgentContext, AgentOptions, Kernel, SimAgent } from "../sim/kernel.ts";
import { MemoryLog, type Bot, type BotContext, type BotLog, type RandomStream } from "./bot.ts";

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

export interface BotOptions extends AgentOptions {
  /** Where the bot's log records go; default a MemoryLog keeping the first 10,000. */
  readonly log?: BotLog;
}

/**
 * Adds a bot in an agent slot of `kernel`: it sees its exchange through the port, time in
 * Unix ms (`epochMs` + simulated time) and its own stream `agents/NAME`, as any agent.
 * @throws as Kernel.addAgent.
 */
export function addBot(kernel: Kernel, name: string, bot: Bot, options: BotOptions = {}): number {
  const log = options.log ?? new MemoryLog(() => kernel.epochMs + Math.floor(kernel.now / NS_PER_MS));
  return kernel.addAgent(name, new BotAgent(bot, kernel.epochMs, log), options);
}
