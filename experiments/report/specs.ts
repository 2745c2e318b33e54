// Vega-Lite specs of the suite report: price paths with shocks, regimes, equity, drawdown, spread and depth, per scenario.
import type { TopLevelSpec } from "vega-lite";
import { downsampleMinMax } from "./downsample.ts";
import { regimeColorScale, regimeSpans } from "./regimes.ts";
import { DEFAULT_MAX_POINTS, type ReportOptions, type ScenarioResult, type SeedRun, type SuiteReportInput } from "./types.ts";

/** The charts drawn for each scenario, in report order; "regime" only when a strategy bot recorded regimes. */
export const CHART_KINDS = ["price", "regime", "equity", "drawdown", "liquidity"] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** One chart of one scenario; `spec` has its data inlined, so it renders with no files. */
export interface ChartSpec {
  readonly scenario: string;
  readonly chart: ChartKind;
  readonly spec: TopLevelSpec;
}

const WIDTH = 720;
const HEIGHT = 240;
const MINUTE_MS = 60_000;
const X_TITLE = "minutes since start";

type Row = Record<string, number | string>;
/** A layer built as plain data; vega-lite's compile checks it (the tests compile every chart). */
type Layer = Record<string, unknown>;

/**
 * The charts of every scenario, CHART_KINDS order within each (the regime band directly under the
 * price, on the same time axis, when it has rows). Time is drawn as minutes since
 * the scenario's first bar (no time zone enters the pictures; the UTC start is in the subtitle);
 * every series is cut to `maxPointsPerSeries` points by min/max buckets.
 */
export function chartSpecs(input: SuiteReportInput, opts: ReportOptions = {}): ChartSpec[] {
  const max = opts.maxPointsPerSeries ?? DEFAULT_MAX_POINTS;
  const out: ChartSpec[] = [];
  for (const sc of input.scenarios) {
    const t0 = scenarioStart(sc);
    const ctx = { sc, t0, max, limit: input.criteria.maxDrawdownPct };
    out.push({ scenario: sc.name, chart: "price", spec: priceSpec(ctx) });
    const regime = regimeSpec(ctx);
    if (regime !== null) out.push({ scenario: sc.name, chart: "regime", spec: regime });
    out.push(
      { scenario: sc.name, chart: "equity", spec: equitySpec(ctx) },
      { scenario: sc.name, chart: "drawdown", spec: drawdownSpec(ctx) },
      { scenario: sc.name, chart: "liquidity", spec: liquiditySpec(ctx) },
    );
  }
  return out;
}

interface Ctx {
  readonly sc: ScenarioResult;
  readonly t0: number;
  readonly max: number;
  readonly limit: number;
}

/** Earliest timestamp of the scenario's data (bars first), Unix ms; 0 when it has none. */
export function scenarioStart(sc: ScenarioResult): number {
  let t0 = Infinity;
  for (const r of sc.runs) {
    for (const p of r.price) t0 = Math.min(t0, p.t);
    for (const b of r.book) t0 = Math.min(t0, b.t);
    for (const b of r.bots) for (const e of b.equity) t0 = Math.min(t0, e.t);
  }
  return Number.isFinite(t0) ? t0 : 0;
}

const minutes = (t: number, t0: number) => (t - t0) / MINUTE_MS;

/** Drawdown series of an equity curve, percent below the running peak (0 at a new high). */
export function drawdownSeries(equity: readonly { readonly t: number; readonly value: number }[]): { t: number; dd: number }[] {
  let peak = -Infinity;
  return equity.map((e) => {
    peak = Math.max(peak, e.value);
    return { t: e.t, dd: peak > 0 ? ((peak - e.value) / peak) * 100 : 0 };
  });
}

/** "N seeds, start …"; a chart of one seed (the regime band) passes `oneSeed` and says only the start. */
function subtitle(ctx: Ctx, oneSeed = false): string {
  const start = ctx.t0 > 0 ? `start ${new Date(ctx.t0).toISOString().replace(".000Z", "Z")}` : "";
  const seeds = oneSeed ? "" : `${ctx.sc.runs.length} seed${ctx.sc.runs.length === 1 ? "" : "s"}`;
  return [seeds, start].filter(Boolean).join(", ");
}

const xMinutes = { field: "minute", type: "quantitative", title: X_TITLE, axis: { grid: false } } as const;

/** Vertical rules with labels at each shock; none when the scenario has no shocks. */
function shockLayers(ctx: Ctx, withLabels: boolean): Layer[] {
  if (ctx.sc.shocks.length === 0) return [];
  const values = ctx.sc.shocks.map((s) => ({ minute: minutes(s.atMs, ctx.t0), label: s.label }));
  const rule: Layer = {
    data: { values },
    mark: { type: "rule", color: "#c0392b", strokeDash: [4, 3], strokeWidth: 1.5 },
    encoding: { x: { field: "minute", type: "quantitative" }, tooltip: [{ field: "label" }, { field: "minute", title: X_TITLE }] },
  };
  if (!withLabels) return [rule];
  const text: Layer = {
    data: { values },
    mark: { type: "text", color: "#c0392b", align: "left", baseline: "top", dx: 3, dy: 2, fontSize: 10 },
    encoding: { x: { field: "minute", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
  };
  return [rule, text];
}

function priceSpec(ctx: Ctx): TopLevelSpec {
  const values: Row[] = [];
  for (const r of ctx.sc.runs) {
    for (const p of downsampleMinMax(r.price, ctx.max, (p) => p.close)) values.push({ seed: r.seed, minute: minutes(p.t, ctx.t0), close: p.close });
  }
  const line: Layer = {
    data: { values },
    mark: { type: "line", strokeWidth: 1.2, opacity: 0.8 },
    encoding: {
      x: xMinutes,
      y: { field: "close", type: "quantitative", title: "close (quote)", scale: { zero: false } },
      color: { field: "seed", type: "nominal", title: "seed" },
    },
  };
  return topLayer(ctx, `${ctx.sc.name}: price by seed`, [line, ...shockLayers(ctx, true)]);
}

/**
 * When a run ended, Unix ms: its last sample. Equity is sampled up to and including the last
 * instant of the run, so for a run with bots this is the run's end, not its last bar's open.
 */
export function runEndMs(run: SeedRun): number {
  let end = -Infinity;
  for (const p of run.price) end = Math.max(end, p.t);
  for (const b of run.book) end = Math.max(end, b.t);
  for (const b of run.bots) for (const e of b.equity) end = Math.max(end, e.t);
  return end;
}

/**
 * The regime band: a row per strategy bot that recorded regimes, each label a colored span
 * until the next change (the last until the run's end). Seeds differ only in detail, and a row
 * per seed and bot would bury the picture, so it draws the first seed that has regimes (seed 1
 * in a suite) and names it. Null when no bot recorded any.
 */
function regimeSpec(ctx: Ctx): TopLevelSpec | null {
  const run = ctx.sc.runs.find((r) => r.bots.some((b) => (b.regimes?.length ?? 0) > 0));
  if (run === undefined) return null;
  const end = runEndMs(run);
  const bots = run.bots.filter((b) => (b.regimes?.length ?? 0) > 0);
  const values: Row[] = bots.flatMap((b) =>
    regimeSpans(b.regimes!, end).map((s) => ({ bot: b.name, regime: s.regime, minute: minutes(s.start, ctx.t0), minute2: minutes(s.end, ctx.t0) })),
  );
  const band: Layer = {
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: xMinutes,
      x2: { field: "minute2" },
      y: { field: "bot", type: "nominal", title: "bot", sort: bots.map((b) => b.name) },
      color: { field: "regime", type: "nominal", title: "regime", scale: regimeColorScale() },
      tooltip: [{ field: "bot" }, { field: "regime" }, { field: "minute", title: "from minute" }, { field: "minute2", title: "to minute" }],
    },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: `${ctx.sc.name}: regime over time (seed ${run.seed})`, subtitle: subtitle(ctx, true), anchor: "start" },
    width: WIDTH,
    height: 22 * bots.length,
    layer: [band, ...shockLayers(ctx, false)],
  } as unknown as TopLevelSpec;
}

function equitySpec(ctx: Ctx): TopLevelSpec {
  const values: Row[] = [];
  for (const r of ctx.sc.runs) {
    for (const b of r.bots) {
      for (const e of downsampleMinMax(b.equity, ctx.max, (e) => e.value)) {
        values.push({ bot: b.name, seed: r.seed, minute: minutes(e.t, ctx.t0), equity: e.value });
      }
    }
  }
  const line: Layer = {
    data: { values },
    mark: { type: "line", strokeWidth: 1.2, opacity: 0.7 },
    encoding: {
      x: xMinutes,
      y: { field: "equity", type: "quantitative", title: "equity (quote)", scale: { zero: false } },
      color: { field: "bot", type: "nominal", title: "bot" },
      detail: { field: "seed", type: "nominal" },
    },
  };
  return topLayer(ctx, `${ctx.sc.name}: equity by bot (one line per seed)`, [line, ...shockLayers(ctx, false)]);
}

function drawdownSpec(ctx: Ctx): TopLevelSpec {
  const values: Row[] = [];
  for (const r of ctx.sc.runs) {
    for (const b of r.bots) {
      // Negated so the chart reads as "under water"; cut after computing, so peaks are exact.
      for (const d of downsampleMinMax(drawdownSeries(b.equity), ctx.max, (d) => d.dd)) {
        values.push({ bot: b.name, seed: r.seed, minute: minutes(d.t, ctx.t0), drawdown: -d.dd });
      }
    }
  }
  const line: Layer = {
    data: { values },
    mark: { type: "line", strokeWidth: 1.2, opacity: 0.7 },
    encoding: {
      x: xMinutes,
      y: { field: "drawdown", type: "quantitative", title: "drawdown (%)" },
      color: { field: "bot", type: "nominal", title: "bot" },
      detail: { field: "seed", type: "nominal" },
    },
  };
  const limit: Layer = {
    data: { values: [{ limit: -ctx.limit }] },
    mark: { type: "rule", color: "#7f8c8d", strokeDash: [6, 4] },
    encoding: { y: { field: "limit", type: "quantitative" } },
  };
  return topLayer(ctx, `${ctx.sc.name}: drawdown by bot (limit −${ctx.limit}%)`, [line, limit, ...shockLayers(ctx, false)]);
}

function liquiditySpec(ctx: Ctx): TopLevelSpec {
  const spread: Row[] = [];
  const depth: Row[] = [];
  for (const r of ctx.sc.runs) {
    for (const b of downsampleMinMax(r.book, ctx.max, (b) => b.spreadBps)) spread.push({ seed: r.seed, minute: minutes(b.t, ctx.t0), spreadBps: b.spreadBps });
    for (const b of downsampleMinMax(r.book, ctx.max, (b) => b.depth)) depth.push({ seed: r.seed, minute: minutes(b.t, ctx.t0), depth: b.depth });
  }
  const panel = (values: Row[], field: string, title: string) => ({
    width: WIDTH,
    height: Math.round(HEIGHT * 0.7),
    layer: [
      {
        data: { values },
        mark: { type: "line", strokeWidth: 1.1, opacity: 0.8 },
        encoding: {
          x: xMinutes,
          y: { field, type: "quantitative", title },
          color: { field: "seed", type: "nominal", title: "seed" },
        },
      },
      ...shockLayers(ctx, false),
    ],
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: `${ctx.sc.name}: spread and depth by seed`, subtitle: subtitle(ctx), anchor: "start" },
    vconcat: [panel(spread, "spreadBps", "spread (bps)"), panel(depth, "depth", "depth ±1% (base)")],
    resolve: { scale: { color: "shared" } },
  } as unknown as TopLevelSpec;
}

function topLayer(ctx: Ctx, title: string, layer: Layer[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: subtitle(ctx), anchor: "start" },
    width: WIDTH,
    height: HEIGHT,
    layer,
  } as unknown as TopLevelSpec;
}
