// What `arena trade` runs beside the bot for an operator: the metrics endpoint (--metrics-port) and the kill switch's control port (--control-port).
import type { Exchange } from "../../market/exchange.ts";
import { startTradingMonitor, type TradingMonitor } from "../monitoring/monitor.ts";
import { KillSwitch, startControlServer } from "./control.ts";
import { MonitoredExchange } from "./monitored-exchange.ts";

export interface Ops {
  readonly monitor: TradingMonitor | undefined;
  readonly killSwitch: KillSwitch;
  /** Puts the monitor's counting around the venue (identity without a monitor). */
  readonly wrap: (data: Exchange) => Exchange;
  /** Lines for the start banner: where metrics and the control port are. */
  readonly lines: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the endpoints asked for, both on 127.0.0.1, before the first venue request.
 * @throws Error naming `--metrics-port` or `--control-port` when its port cannot be used.
 */
export async function startOps(o: { metricsPort?: number; controlPort?: number; maxDataAgeMs?: number; status: () => Readonly<Record<string, unknown>> }): Promise<Ops> {
  const mon = o.metricsPort === undefined ? undefined : await startTradingMonitor({ port: o.metricsPort, maxDataAgeMs: o.maxDataAgeMs });
  const killSwitch = new KillSwitch();
  let control;
  try {
    control = o.controlPort === undefined ? undefined : await startControlServer(killSwitch, o.controlPort, o.status);
  } catch (e) {
    await mon?.server.close();
    throw e;
  }
  const lines: string[] = [];
  if (mon !== undefined) lines.push(`  metrics: ${mon.server.url}/metrics, health ${mon.server.url}/health`);
  if (control !== undefined) lines.push(`  control: 127.0.0.1:${control.port} (arena kill --control-port ${control.port} [--flatten])`);
  const monitor = mon?.monitor;
  return {
    monitor,
    killSwitch,
    wrap: (data) => (monitor === undefined ? data : new MonitoredExchange(data, monitor)),
    lines,
    close: async () => {
      await control?.close();
      await mon?.server.close();
    },
  };
}
