// The Grafana dashboards and alert rules shipped in live/monitoring/ are valid and ask only for metrics that arena exposes (a renamed metric fails here, not on an operator's screen).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { createTradingMetrics } from "../../../live/monitoring/metrics.ts";
import { ServeMonitor } from "../../../live/serve/monitoring.ts";
import type { ServedVenue } from "../../../live/serve/venue.ts";

const DIR = resolve(fileURLToPath(import.meta.url), "../../../../live/monitoring");
/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped"]);
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"]);

/** Every metric either host can expose: a trading host's registry and arena serve's, with their families' types. */
async function exposed(): Promise<Map<string, string>> {
  const stub = { speed: 1, kernel: { now: 0 }, targetNs: () => 0, failure: undefined } as unknown as ServedVenue;
  const registries = [createTradingMetrics().registry, new ServeMonitor(stub, () => ({ market: 0, api: 0 }), () => 0).registry];
  const out = new Map<string, string>();
  for (const r of registries) for (const m of await r.getMetricsAsJSON()) out.set(m.name, String(m.type));
  return out;
}

/** The metric names a PromQL expression reads: strings, label matchers, ranges, grouping clauses and function names removed. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
  const names: string[] = [];
  for (const m of bare.matchAll(/(?<![\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(?!\s*\()/g)) if (!KEYWORDS.has(m[1].toLowerCase())) names.push(m[1]);
  return names;
}

/** Whether `name` is a series of an exposed family (a histogram's _bucket, _sum and _count included). */
function isExposed(name: string, families: Map<string, string>): boolean {
  if (PROMETHEUS_SERIES.has(name) || families.has(name)) return true;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m !== null && (families.get(m[1]) === "histogram" || families.get(m[1]) === "summary");
}

interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: { expr?: string; refId?: string }[];
}

describe("live/monitoring: Grafana dashboards", () => {
  const files = readdirSync(join(DIR, "grafana/dashboards")).filter((f) => f.endsWith(".json"));
  const datasource = readFileSync(join(DIR, "grafana/provisioning/datasources/prometheus.yml"), "utf8");
  const dsUid = /uid:\s*(\S+)/.exec(datasource)?.[1];

  it("ships the trading performance and system health dashboards, and a provisioned datasource and provider", () => {
    assert.deepEqual(files.sort(), ["system-health.json", "trading-performance.json"]);
    assert.equal(dsUid, "arena-prometheus");
    assert.match(readFileSync(join(DIR, "grafana/provisioning/dashboards/arena.yml"), "utf8"), /type: file/);
  });

  it("every panel is laid out, reads the provisioned datasource, and every expression names only metrics arena exposes", async () => {
    const families = await exposed();
    assert.ok(families.has("trading_pnl_total") && families.has("serve_sim_lag_seconds"));
    const seen = new Set<string>();
    for (const f of files) {
      const d = JSON.parse(readFileSync(join(DIR, "grafana/dashboards", f), "utf8")) as { uid: string; title: string; panels: Panel[] };
      assert.ok(d.uid !== "" && d.title !== "", `${f}: uid and title`);
      assert.ok(d.panels.length >= 10, `${f}: ${d.panels.length} panels`);
      assert.equal(new Set(d.panels.map((p) => p.id)).size, d.panels.length, `${f}: panel ids are unique`);
      for (const p of d.panels) {
        const where = `${f}: panel ${p.id} "${p.title}"`;
        assert.equal(p.datasource?.uid, dsUid, `${where}: datasource`);
        assert.ok(p.gridPos !== undefined && p.gridPos.w > 0 && p.gridPos.h > 0 && p.gridPos.x + p.gridPos.w <= 24, `${where}: gridPos`);
        assert.ok((p.targets ?? []).length > 0, `${where}: has a query`);
        for (const t of p.targets ?? []) {
          const names = metricNames(t.expr ?? "");
          assert.ok(names.length > 0, `${where}: ${JSON.stringify(t.expr)} reads a metric`);
          for (const n of names) {
            assert.ok(isExposed(n, families), `${where}: ${JSON.stringify(t.expr)} reads ${n}, which no arena registry exposes`);
            seen.add(n.replace(/_(bucket|sum|count)$/, ""));
          }
        }
      }
    }
    for (const seed of ["trading_pnl_total", "trading_trades_total", "trading_win_rate", "trading_open_positions", "data_validation_failures_total", "data_latency_seconds", "ml_prediction_latency_seconds", "qdrant_search_latency_seconds", "service_health_status", "api_requests_total", "api_errors_total"]) {
      assert.ok(seen.has(seed), `a dashboard shows ${seed}`);
    }
  });

  it("every alert rule's expression names only metrics arena exposes", async () => {
    const families = await exposed();
    const exprs = [...readFileSync(join(DIR, "alerts.yml"), "utf8").matchAll(/^\s*expr:\s*(.+)$/gm)].map((m) => m[1]);
    assert.equal(exprs.length, 8);
    for (const e of exprs) for (const n of metricNames(e)) assert.ok(isExposed(n, families), `alerts.yml: ${e} reads ${n}, which no arena registry exposes`);
  });

  it("the name reader finds metrics and skips functions, labels, ranges, grouping and keywords", () => {
    assert.deepEqual(metricNames('histogram_quantile(0.99, sum by (le, action) (rate(x_bucket{job=~"$job"}[$__rate_interval])))'), ["x_bucket"]);
    assert.deepEqual(metricNames("sum by (job) (rate(a_total[5m])) / sum by (job) (rate(b_total[5m])) > 0.01"), ["a_total", "b_total"]);
    assert.deepEqual(metricNames('time() - last_ts{job="x"} > 1e3 and on (job) up == 1'), ["last_ts", "up"]);
  });
});
