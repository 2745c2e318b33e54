// Health checks behind `/health` and `service_health_status`: named checks, each passing or failing with a reason.
import type { Gauge } from "prom-client";

/** One check's verdict; `detail` is shown in /health's JSON as it is. */
export interface CheckResult {
  readonly ok: boolean;
  /** Why it fails, in a sentence naming the figure and the limit. */
  readonly reason?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** The body of `/health`. */
export interface HealthReport {
  readonly status: "ok" | "unhealthy";
  /** The failing checks' reasons, `name: reason`. */
  readonly reasons: readonly string[];
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** A set of named checks, evaluated on each `/health` request and each scrape. */
export class Health {
  private readonly checks = new Map<string, () => CheckResult>();

  /** @param gauge `service_health_status{service}`, set to 1 or 0 per check on every evaluation. */
  constructor(private readonly gauge?: Gauge<"service">) {}

  /** Adds (or replaces) the check `name`. A check that throws fails with its message. */
  add(name: string, check: () => CheckResult): this {
    this.checks.set(name, check);
    this.gauge?.set({ service: name }, 1);
    return this;
  }

  evaluate(): HealthReport {
    const checks: Record<string, CheckResult> = {};
    const reasons: string[] = [];
    for (const [name, check] of this.checks) {
      let r: CheckResult;
      try {
        r = check();
      } catch (e) {
        r = { ok: false, reason: `the check failed: ${e instanceof Error ? e.message : String(e)}` };
      }
      checks[name] = r;
      if (!r.ok) reasons.push(`${name}: ${r.reason ?? "failing"}`);
      this.gauge?.set({ service: name }, r.ok ? 1 : 0);
    }
    return { status: reasons.length === 0 ? "ok" : "unhealthy", reasons, checks };
  }
}

/**
 * A freshness check: fails when the last update (Unix ms, `undefined` before the first) is
 * older than `maxAgeMs`; before the first update, `sinceMs` (the host's start) stands for it.
 */
export function freshness(what: string, last: () => number | undefined, sinceMs: number, maxAgeMs: number, nowMs: () => number): () => CheckResult {
  return () => {
    const at = last();
    const ageMs = nowMs() - (at ?? sinceMs);
    const detail = { lastUpdateMs: at ?? null, ageSeconds: ageMs / 1000, maxAgeSeconds: maxAgeMs / 1000 };
    if (ageMs <= maxAgeMs) return { ok: true, detail };
    const reason = at === undefined
      ? `no ${what} received in ${(ageMs / 1000).toFixed(1)} s (limit ${maxAgeMs / 1000} s)`
      : `${what} is stale: the last update is ${(ageMs / 1000).toFixed(1)} s old (limit ${maxAgeMs / 1000} s)`;
    return { ok: false, reason, detail };
  };
}
