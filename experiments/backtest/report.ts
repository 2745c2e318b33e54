// report.html of a backtest: offline vega-lite charts (price with trades, regimes, equity, drawdown) and the tables.
import type { TopLevelSpec } from "vega-lite";
import type { RiskEvent } from "../../agents/risk/risk.ts";
import type { Metrics } from "../metrics/performance.ts";
import { chartScripts } from "../report/assets.ts";
import { downsampleMinMax } from "../report/downsample.ts";
import { escapeHtml, htmlPage } from "../report/html.ts";
import { regimeColorScale } from "../report/regimes.ts";
import { drawdownFractions } from "./arrow-out.ts";
import { NO_REGIME, REGIME_LABELS, type BacktestTrade } from "./runner.ts";
import type { WalkForwardReport } from "./walk-forward.ts";

/** Everything the page draws. Times Unix ms; money in quote. */
export interface BacktestReportInput {
  readonly title: string;
  readonly generator: string;
  /** Label/value lines under the title (strategy, params, data, costs, risk). */
  readonly meta: readonly (readonly [string, string])[];
  readonly metrics: Metrics;
  readonly finalEquity: number;
  /** Each pair's closes at the strategy's timeframe. */
  readonly prices: readonly { readonly pair: string; readonly time: Float64Array; readonly close: Float64Array }[];
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly regime: Uint8Array | null;
  readonly trades: readonly BacktestTrade[];
  readonly riskEvents: readonly RiskEvent[];
  readonly walkForward?: WalkForwardReport;
}

const WIDTH = 760;
const MAX_POINTS = 2000;
/** Trade markers drawn per pair at most (the first ones); the tables say how many there were. */
export const MAX_MARKERS = 3000;
const MAX_ROWS = 200;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const X = { field: "t", type: "temporal", title: "time (UTC)", scale: { type: "utc" } };
const REASON_COLORS: Record<string, string> = {
  signal: "#34495e", "stop-loss": "#c0392b", roi: "#27ae60", "trailing-stop": "#e67e22", "circuit-breaker": "#8e44ad", "end-of-data": "#7f8c8d",
};

type Row = Record<string, number | string>;


const series = (time: Float64Array, value: ArrayLike<number>, max: number): { t: number; v: number }[] =>
  downsampleMinMax(Array.from(time, (t, i) => ({ t, v: value[i] })), max, (p) => p.v);

/** Runs of equal regime codes as [start, end) spans, for the colored band. */
function regimeRuns(time: Float64Array, regime: Uint8Array): Row[] {
  const out: Row[] = [];
  let i = 0;
  while (i < regime.length) {
    let j = i + 1;
    while (j < regime.length && regime[j] === regime[i]) j++;
    if (regime[i] !== NO_REGIME) out.push({ t: time[i], t2: j < time.length ? time[j] : time[time.length - 1], regime: REGIME_LABELS[regime[i]] });
    i = j;
  }
  return out;
}

/** The chart specs of the page, in order: a price chart per pair, the regime band (when any), equity, drawdown. */
export function backtestSpecs(input: BacktestReportInput): { name: string; spec: TopLevelSpec }[] {
  const specs: { name: string; spec: TopLevelSpec }[] = [];
  const reasons = Object.keys(REASON_COLORS);
  for (const p of input.prices) {
    const line = series(p.time, p.close, MAX_POINTS).map((x) => ({ t: x.t, close: x.v }));
    const marks: Row[] = [];
    for (const tr of input.trades) {
      if (tr.pair !== p.pair || marks.length >= 2 * MAX_MARKERS) continue;
      marks.push({ t: tr.entryTime, price: tr.entryPrice, kind: "entry", reason: "entry", pnl: tr.pnl });
      marks.push({ t: tr.exitTime, price: tr.exitPrice, kind: "exit", reason: tr.exitReason, pnl: tr.pnl });
    }
    specs.push({
      name: `price-${p.pair}`,
      spec: {
        $schema: SCHEMA, width: WIDTH, height: 260,
        title: { text: `${p.pair}: close, entries (▲) and exits (▼ by reason)`, anchor: "start" },
        layer: [
          { data: { values: line }, mark: { type: "line", strokeWidth: 1, color: "#555" }, encoding: { x: X, y: { field: "close", type: "quantitative", title: "close (quote)", scale: { zero: false } } } },
          {
            data: { values: marks },
            mark: { type: "point", filled: true, size: 60 },
            encoding: {
              x: X,
              y: { field: "price", type: "quantitative" },
              shape: { field: "kind", type: "nominal", scale: { domain: ["entry", "exit"], range: ["triangle-up", "triangle-down"] }, title: "fill" },
              color: { field: "reason", type: "nominal", scale: { domain: ["entry", ...reasons], range: ["#1f77b4", ...reasons.map((r) => REASON_COLORS[r])] }, title: "reason" },
              tooltip: [{ field: "t", type: "temporal", title: "time", format: "%Y-%m-%d %H:%M" }, { field: "price", type: "quantitative", format: ".2f" }, { field: "reason", type: "nominal" }, { field: "pnl", type: "quantitative", format: ".2f" }],
            },
          },
        ],
        resolve: { scale: { color: "independent" } },
      } as unknown as TopLevelSpec,
    });
  }
  if (input.regime !== null) {
    specs.push({
      name: "regime",
      spec: {
        $schema: SCHEMA, width: WIDTH, height: 40,
        title: { text: "regime over time (the first pair's strategy)", anchor: "start" },
        data: { values: regimeRuns(input.time, input.regime) },
        mark: { type: "rect" },
        encoding: {
          x: X, x2: { field: "t2" },
          color: { field: "regime", type: "nominal", scale: regimeColorScale(), title: "regime" },
          tooltip: [{ field: "regime", type: "nominal" }],
        },
      } as unknown as TopLevelSpec,
    });
  }
  specs.push({
    name: "equity",
    spec: {
      $schema: SCHEMA, width: WIDTH, height: 220, title: { text: "equity", anchor: "start" },
      data: { values: series(input.time, input.equity, MAX_POINTS).map((x) => ({ t: x.t, equity: x.v })) },
      mark: { type: "line", strokeWidth: 1.2, color: "#2c3e50" },
      encoding: { x: X, y: { field: "equity", type: "quantitative", title: "equity (quote)", scale: { zero: false } } },
    } as unknown as TopLevelSpec,
  });
  const dd = drawdownFractions(input.equity);
  specs.push({
    name: "drawdown",
    spec: {
      $schema: SCHEMA, width: WIDTH, height: 160, title: { text: "drawdown below the running peak", anchor: "start" },
      data: { values: series(input.time, dd, MAX_POINTS).map((x) => ({ t: x.t, drawdown: -x.v * 100 })) },
      mark: { type: "area", color: "#c0392b", opacity: 0.6, line: { color: "#922b21" } },
      encoding: { x: X, y: { field: "drawdown", type: "quantitative", title: "drawdown (%)" } },
    } as unknown as TopLevelSpec,
  });
  return specs;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d));
const pc = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(2)}%`);

const STYLE = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222;line-height:1.4}
h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:right}th:first-child,td.l{text-align:left}
td.pass{background:#d5f5e3;color:#145a32;font-weight:bold;text-align:center}td.fail{background:#fadbd8;color:#78281f;font-weight:bold;text-align:center}
.meta{color:#555;font-size:.9rem}.chart{margin:1rem 0}`;

function metricsTable(m: Metrics, finalEquity: number): string {
  const rows: [string, string][] = [
    ["bars", String(m.bars)], ["from", iso(m.startTime)], ["to", iso(m.endTime)], ["final equity", f(finalEquity)],
    ["total return", pc(m.totalReturn)], ["annualised return", pc(m.annualisedReturn)], ["Sharpe (annualised)", f(m.sharpe)],
    ["Sortino (annualised)", f(m.sortino)], ["max drawdown", pc(m.maxDrawdown.depth)],
    ["longest drawdown", `${f(m.longestDrawdownMs / 86_400_000)} days${m.longestDrawdownRecovered ? "" : " (not recovered)"}`],
    ["trades", String(m.tradeCount ?? 0)], ["win rate", pc(m.winRate)], ["profit factor", f(m.profitFactor)], ["exposure", pc(m.exposure)],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><td class="l">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

function walkForwardSection(wf: WalkForwardReport): string {
  const head = "<tr><th>window</th><th>train</th><th>test</th><th>trials</th><th>IS Sharpe</th><th>OOS Sharpe</th><th>OOS return</th><th>win rate</th><th>max DD</th><th>DSR</th><th>PBO</th><th>params</th></tr>";
  const rows = wf.windows.map((w) => {
    const m = w.oos as { sharpe: number | null; totalReturn: number; winRate: number | null; maxDrawdown: { depth: number } };
    return `<tr><td>${w.index}</td><td class="l">${escapeHtml(`${w.train.from.slice(0, 16)} → ${w.train.to.slice(0, 16)}`)}</td><td class="l">${escapeHtml(`${w.test.from.slice(0, 16)} → ${w.test.to.slice(0, 16)}`)}</td><td>${w.trials}</td><td>${f(w.trainSharpe)}</td><td>${f(m.sharpe)}</td><td>${pc(m.totalReturn)}</td><td>${pc(m.winRate)}</td><td>${pc(m.maxDrawdown.depth)}</td><td>${f(w.deflatedSharpe?.dsr)}</td><td>${f(w.pbo?.pbo)}</td><td class="l"><code>${escapeHtml(JSON.stringify(w.params))}</code></td></tr>`;
  });
  const shown = (t: WalkForwardReport["targets"][number]) => (t.metric === "winRate" || t.metric === "maxDrawdown" ? pc(t.measured) : t.metric === "recoveryDays" ? `${f(t.measured)} days` : f(t.measured));
  const targets = wf.targets.map((t) => `<tr><td class="l">${t.metric}</td><td>${escapeHtml(t.target)}</td><td>${escapeHtml(shown(t))}</td><td class="${t.pass ? "pass" : "fail"}">${t.pass ? "PASS" : "FAIL"}</td></tr>`);
  const b = wf.robust;
  return `<h2>Walk-forward (${escapeHtml(wf.spec.text)})</h2>
<p class="meta">${wf.windows.length} windows: train ${wf.spec.train} bars, test ${wf.spec.test}, step ${wf.spec.step}; the search runs on the train part only; the charts and trades above are the out-of-sample test parts stitched together. DSR: deflated Sharpe ratio of the chosen trial; PBO: probability of backtest overfitting by CSCV over the trials.</p>
<table>${head}${rows.join("")}</table>
<p>Robust estimate (mean of the windows, out of sample): Sharpe ${f(b.sharpe)}, return ${pc(b.totalReturn)}, win rate ${pc(b.winRate)}, max drawdown ${pc(b.maxDrawdown)}, recovery ${f(b.recoveryDays)} days; mean DSR ${f(b.deflatedSharpe)}, mean PBO ${f(b.pbo)}.</p>
<table><tr><th>metric</th><th>seed target</th><th>measured (OOS)</th><th>verdict</th></tr>${targets.join("")}</table>`;
}

function tradesTable(trades: readonly BacktestTrade[]): string {
  const head = "<tr><th>pair</th><th>entry</th><th>exit</th><th>entry price</th><th>exit price</th><th>size</th><th>fees</th><th>pnl</th><th>reason</th></tr>";
  const rows = trades.slice(0, MAX_ROWS).map((t) => `<tr><td class="l">${escapeHtml(t.pair)}</td><td class="l">${iso(t.entryTime)}</td><td class="l">${iso(t.exitTime)}</td><td>${f(t.entryPrice)}</td><td>${f(t.exitPrice)}</td><td>${t.size.toPrecision(6)}</td><td>${f(t.fees)}</td><td>${f(t.pnl)}</td><td class="l">${escapeHtml(t.exitReason)}</td></tr>`);
  const more = trades.length > MAX_ROWS ? `<p class="meta">First ${MAX_ROWS} of ${trades.length} trades; all are in trades.arrow and summary.json.</p>` : "";
  return `<table>${head}${rows.join("")}</table>${more}`;
}

function riskTable(events: readonly RiskEvent[]): string {
  if (events.length === 0) return "<p class=\"meta\">No risk events.</p>";
  const rows = events.slice(0, MAX_ROWS).map((e) => `<tr><td class="l">${iso(e.time)}</td><td class="l">${escapeHtml(e.action)}</td><td class="l">${escapeHtml(e.rule)}</td><td class="l">${escapeHtml(e.pair)}</td><td class="l">${escapeHtml(e.detail)}</td></tr>`);
  const more = events.length > MAX_ROWS ? `<p class="meta">First ${MAX_ROWS} of ${events.length} events; all are in summary.json.</p>` : "";
  return `<table><tr><th>time</th><th>action</th><th>rule</th><th>pair</th><th>detail</th></tr>${rows.join("")}</table>${more}`;
}

/** The whole page, offline (vega, vega-lite and vega-embed inlined). A pure function of the input. */
export function renderBacktestHtml(input: BacktestReportInput): string {
  const specs = backtestSpecs(input);
  const meta = input.meta.map(([k, v]) => `<b>${escapeHtml(k)}</b>: ${escapeHtml(v)}`).join("<br>");
  return htmlPage(input.title, input.generator, STYLE, `<p class="meta">${meta}</p>
<h2>Metrics</h2>
${metricsTable(input.metrics, input.finalEquity)}
${input.walkForward === undefined ? "" : walkForwardSection(input.walkForward)}
<h2>Charts</h2>
${specs.map((s, i) => `<div class="chart" id="chart-${i}" data-chart="${escapeHtml(s.name)}"></div>`).join("\n")}
<h2>Trades</h2>
${tradesTable(input.trades)}
<h2>Risk events</h2>
${riskTable(input.riskEvents)}
${chartScripts(specs.map((s) => s.spec))}`);
}
