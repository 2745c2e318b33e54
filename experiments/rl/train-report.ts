// A training run's curve as CSV and as report.html (an offline vega-lite page: episode return and losses by step).
import { chartScripts } from "../report/assets.ts";
import { escapeHtml, htmlPage } from "../report/html.ts";
import type { IterationStats, PpoArgs } from "./ppo.ts";

const COLUMNS = ["iteration", "globalStep", "learningRate", "episodeReturn", "policyLoss", "valueLoss", "entropy", "clipFraction", "rolloutMs", "updateMs"] as const;

/** The curve, one line per iteration; NaN (no episode ended) as an empty cell. */
export function curveCsv(curve: readonly IterationStats[]): string {
  const cell = (x: number) => (Number.isFinite(x) ? String(x) : "");
  return [COLUMNS.join(","), ...curve.map((s) => COLUMNS.map((c) => cell(s[c])).join(","))].join("\n") + "\n";
}

/** The curve as JSON (NaN as null). */
export function curveJson(curve: readonly IterationStats[]): string {
  return JSON.stringify(curve.map((s) => Object.fromEntries(COLUMNS.map((c) => [c, Number.isFinite(s[c]) ? s[c] : null])))) + "\n";
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222;line-height:1.4}
.meta{color:#555;font-size:.9rem}.chart{margin:1rem 0}code{font-size:.8rem}`;

function lineSpec(curve: readonly IterationStats[], field: "episodeReturn" | "policyLoss" | "valueLoss" | "entropy", title: string): unknown {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title, width: 800, height: 220,
    data: { values: curve.filter((s) => Number.isFinite(s[field])).map((s) => ({ step: s.globalStep, value: s[field] })) },
    mark: { type: "line", point: curve.length < 50 },
    encoding: { x: { field: "step", type: "quantitative", title: "environment steps" }, y: { field: "value", type: "quantitative", title } },
  };
}

/** report.html of a training run; a pure function of its input, so one run gives the same bytes. */
export function trainReportHtml(o: { readonly env: string; readonly args: PpoArgs; readonly curve: readonly IterationStats[]; readonly backend: string }): string {
  const specs = [
    lineSpec(o.curve, "episodeReturn", "mean episode return"),
    lineSpec(o.curve, "valueLoss", "value loss"),
    lineSpec(o.curve, "entropy", "policy entropy"),
  ];
  const last = o.curve.at(-1);
  const meta = `<p class="meta">PPO on <b>${escapeHtml(o.env)}</b>, seed ${o.args.seed}, ${last?.globalStep ?? 0} of ${o.args.totalTimesteps} steps (${o.curve.length} iterations), backend ${escapeHtml(o.backend)}.</p>
<p class="meta">Arguments: <code>${escapeHtml(JSON.stringify(o.args))}</code></p>`;
  const charts = specs.map((_, i) => `<div class="chart" id="chart-${i}"></div>`).join("\n");
  return htmlPage(`arena train ppo: ${o.env}`, "btc-arena", STYLE, `${meta}\n${charts}\n${chartScripts(specs)}`);
}
