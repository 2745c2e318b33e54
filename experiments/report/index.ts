// The suite report's public face: input type, chart specs, regime spans, criteria table, HTML, PNG and the writer.
export type { BotRun, ReportOptions, ScenarioResult, SeedRun, SuiteReportInput } from "./types.ts";
export { CHART_KINDS, chartSpecs, drawdownSeries, runEndMs, type ChartKind, type ChartSpec } from "./specs.ts";
export { REGIME_COLORS, regimeColorScale, regimeSpans, type RegimeSpan } from "./regimes.ts";
export { criteriaTable, type CriteriaRow, type CriteriaTable, type ScenarioRanking } from "./table.ts";
export { meanInterval, t975, type MeanInterval } from "./stats.ts";
export { renderHtml } from "./html.ts";
export { renderPng, renderSvg } from "./png.ts";
export { writeReport, slug, type ReportPaths } from "./write.ts";
