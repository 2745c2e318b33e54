// Suite report: criteria numbers by hand, a self-contained deterministic HTML, compilable specs and a real PNG.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { compile } from "vega-lite";
import { browserScripts } from "../../experiments/report/assets.ts";
import { downsampleMinMax } from "../../experiments/report/downsample.ts";
import {
  chartSpecs,
  criteriaTable,
  drawdownSeries,
  renderHtml,
  renderPng,
  renderSvg,
  t975,
  type SuiteReportInput,
} from "../../experiments/report/index.ts";

const close = (a: number | null, b: number, tol = 1e-9) => assert.ok(a !== null && Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

function series(n: number, f: (i: number) => number) {
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * MIN, v: f(i) }));
}

interface Outcome { dd: number; ret: number; survived?: boolean; blown?: boolean }

function run(seed: number, bots: Record<string, Outcome>) {
  const price = series(180, (i) => 40_000 * (1 + 0.02 * Math.sin((i + seed) / 9)) * (i > 90 ? 0.8 : 1)).map((p) => ({ t: p.t, close: p.v }));
  const book = series(180, (i) => i).map((p, i) => ({ t: p.t, spreadBps: 2 + (i % 7) + (i > 90 ? 10 : 0), depth: 50 - (i > 90 ? 30 : 0) + seed }));
  return {
    seed,
    digest: `d${seed}`.padEnd(64, "0"),
    realisedMovePct: -20,
    price,
    book,
    bots: Object.entries(bots).map(([name, o]) => ({
      name,
      equity: series(180, (i) => 10_000 * (1 + (o.ret / 100) * (i / 179)) - (i === 90 ? 10_000 * (o.dd / 100) : 0)).map((p) => ({ t: p.t, value: p.v })),
      maxDrawdownPct: o.dd,
      survived: o.survived ?? true,
      blown: o.blown ?? false,
      returnPct: o.ret,
    })),
  };
}

const INPUT: SuiteReportInput = {
  title: "Synthetic suite",
  generator: "btc-arena test",
  criteria: { maxDrawdownPct: 15 },
  scenarios: [
    {
      name: "crash",
      description: "A 20% fall at minute 90.",
      specifiedMovePct: -20,
      shocks: [{ atMs: T0 + 90 * MIN, label: "crash" }],
      runs: [
        run(1, { alpha: { dd: 5, ret: 2 }, beta: { dd: 20, ret: 10 } }),
        run(2, { alpha: { dd: 7, ret: 4 }, beta: { dd: 10, ret: 6 } }),
      ],
    },
    {
      name: "pump & dump <x>",
      description: "Pumped, then dumped.",
      shocks: [{ atMs: T0 + 30 * MIN, label: "pump" }, { atMs: T0 + 90 * MIN, label: "dump" }],
      runs: [
        run(1, { alpha: { dd: 40, ret: -100, survived: false, blown: true }, beta: { dd: 2, ret: 1 } }),
        run(2, { alpha: { dd: 3, ret: 1 }, beta: { dd: 4, ret: 3 } }),
      ],
    },
  ],
};

test("t quantiles: the table at small df and Cornish–Fisher beyond 30 agree with published values", () => {
  close(t975(1), 12.7062047362);
  close(t975(30), 2.0422724563);
  close(t975(40), 2.0210753903, 1e-5);
  close(t975(120), 1.9799304050, 1e-5);
  assert.throws(() => t975(0), RangeError);
});

test("criteria table: rates, means and 95% t-intervals across seeds, checked by hand", () => {
  const t = criteriaTable(INPUT);
  assert.equal(t.rows.length, 4);
  const row = (sc: string, bot: string) => t.rows.find((r) => r.scenario === sc && r.bot === bot)!;
  const t1 = 12.7062047362; // t(0.975, 1); with two seeds 2 units apart s = √2, s/√n = 1
  const a = row("crash", "alpha");
  assert.equal(a.seeds, 2);
  assert.deepEqual([a.survivalRate, a.drawdownOkRate, a.notBlownRate, a.pass], [1, 1, 1, true]);
  close(a.maxDrawdownPct.mean, 6);
  close(a.maxDrawdownPct.lo, 6 - t1);
  close(a.maxDrawdownPct.hi, 6 + t1);
  close(a.returnPct.mean, 3);
  close(a.returnPct.lo, 3 - t1);
  const b = row("crash", "beta");
  assert.deepEqual([b.survivalRate, b.drawdownOkRate, b.notBlownRate, b.pass], [1, 0.5, 1, false]);
  assert.deepEqual(b.failedSeeds, [1]);
  close(b.maxDrawdownPct.mean, 15);
  close(b.maxDrawdownPct.hi, 15 + 5 * t1); // s = √50, s/√2 = 5
  close(b.returnPct.mean, 8);
  const p = row("pump & dump <x>", "alpha");
  assert.deepEqual([p.survivalRate, p.drawdownOkRate, p.notBlownRate, p.pass], [0.5, 0.5, 0.5, false]);
  close(p.returnPct.mean, -49.5);
});

test("ranking: passing bots first, then by mean return (a failing bot with a higher return ranks below)", () => {
  const t = criteriaTable(INPUT);
  assert.deepEqual(
    t.rankings.map((r) => [r.scenario, r.ranking.map((x) => `${x.rank}:${x.bot}:${x.pass ? "pass" : "fail"}`)]),
    [
      ["crash", ["1:alpha:pass", "2:beta:fail"]],
      ["pump & dump <x>", ["1:beta:pass", "2:alpha:fail"]],
    ],
  );
});

test("a single seed gives a mean with no interval (null, which survives JSON)", () => {
  const one: SuiteReportInput = { ...INPUT, scenarios: [{ ...INPUT.scenarios[0], runs: [INPUT.scenarios[0].runs[0]] }] };
  const r = criteriaTable(one).rows[0];
  assert.equal(r.returnPct.mean, 2);
  assert.equal(r.returnPct.lo, null);
  assert.equal(JSON.parse(JSON.stringify(r)).returnPct.hi, null);
});

test("min/max downsampling keeps the budget, both ends and the extremes", () => {
  const xs = Array.from({ length: 5000 }, (_, i) => ({ i, v: i === 2500 ? -99 : i === 1234 ? 99 : Math.sin(i) }));
  const d = downsampleMinMax(xs, 2000, (p) => p.v);
  assert.ok(d.length <= 2000 && d.length > 1900, `${d.length}`);
  assert.equal(d[0].i, 0);
  assert.equal(d[d.length - 1].i, 4999);
  assert.ok(d.some((p) => p.v === -99) && d.some((p) => p.v === 99));
  assert.ok(d.every((p, k) => k === 0 || p.i > d[k - 1].i), "order kept");
  assert.deepEqual(downsampleMinMax(xs.slice(0, 10), 2000, (p) => p.v), xs.slice(0, 10));
});

test("drawdown series is the fall below the running peak in percent", () => {
  assert.deepEqual(
    drawdownSeries([{ t: 0, value: 100 }, { t: 1, value: 80 }, { t: 2, value: 120 }, { t: 3, value: 90 }]).map((d) => d.dd),
    [0, 20, 0, 25],
  );
});

test("chart specs: four per scenario, each compiles with vega-lite without warnings, series capped", () => {
  const specs = chartSpecs(INPUT, { maxPointsPerSeries: 50 });
  assert.deepEqual(specs.map((s) => `${s.scenario}/${s.chart}`), [
    "crash/price", "crash/equity", "crash/drawdown", "crash/liquidity",
    "pump & dump <x>/price", "pump & dump <x>/equity", "pump & dump <x>/drawdown", "pump & dump <x>/liquidity",
  ]);
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a);
  try {
    for (const s of specs) assert.ok(compile(s.spec).spec.marks, `${s.scenario}/${s.chart} has marks`);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
  const price = JSON.stringify(specs[0].spec);
  const points = (JSON.parse(price).layer[0].data.values as { seed: number }[]).filter((v) => v.seed === 1);
  assert.ok(points.length <= 50, `${points.length} points`);
  assert.ok(price.includes('"label":"crash"'), "shock labelled");
});

test("report.html is self-contained: no remote script, scenario names, the table, inlined libraries", () => {
  const html = renderHtml(INPUT);
  assert.doesNotMatch(html, /<script[^>]*\bsrc\s*=/i);
  assert.doesNotMatch(html, /<link[^>]*https?:/i);
  assert.ok(html.includes("<h2>crash</h2>"));
  assert.ok(html.includes("<h2>pump &amp; dump &lt;x&gt;</h2>"), "names escaped");
  assert.ok(!html.includes("<x>"), "raw scenario name never reaches the markup");
  assert.ok(html.includes('<table class="criteria">'));
  assert.match(html, /<td class="name">alpha<\/td>.*<td class="pass">PASS<\/td>/);
  assert.match(html, /<td class="name">beta<\/td>.*<td class="fail">FAIL<\/td>/);
  for (const lib of ["vega", "vega-lite", "vega-embed"]) assert.ok(html.includes(`<script data-lib="${lib}">`));
  assert.equal((html.match(/class="chart"/g) ?? []).length, 8);
});

test("the same input gives byte-identical HTML", () => {
  assert.equal(renderHtml(INPUT), renderHtml(structuredClone(INPUT)));
});

test("the inlined browser builds load and define vega, vegaLite and vegaEmbed", () => {
  // A bare context with the few browser globals the builds touch at load time (no DOM needed to load).
  const ctx: Record<string, unknown> = { structuredClone, setTimeout, clearTimeout, setInterval, clearInterval, console };
  ctx.globalThis = ctx;
  ctx.self = ctx;
  ctx.window = ctx;
  for (const s of browserScripts()) runInNewContext(s.code, ctx);
  assert.equal(typeof (ctx.vega as { View?: unknown }).View, "function");
  assert.equal(typeof (ctx.vegaLite as { compile?: unknown }).compile, "function");
  assert.equal(typeof ctx.vegaEmbed, "function");
});

test("a chart renders to a PNG with text drawn from the bundled font", async () => {
  const spec = chartSpecs(INPUT)[0].spec;
  const svg = await renderSvg(spec);
  assert.ok(svg.includes("minutes since start") && svg.includes("DejaVu Sans"));
  const png = await renderPng(spec);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 10_000, `${png.length} bytes`);
});
