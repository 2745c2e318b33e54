// Writes a suite's report.html and one PNG per chart into a folder.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderHtml } from "./html.ts";
import { renderPng } from "./png.ts";
import { chartSpecs } from "./specs.ts";
import type { ReportOptions, SuiteReportInput } from "./types.ts";

/** A file-name-safe form of a scenario name: lowercase, [a-z0-9-], never empty. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "scenario";
}

export interface ReportPaths {
  readonly html: string;
  /** charts/<scenario>-<chart>.png, in chartSpecs order. */
  readonly pngs: readonly string[];
}

/**
 * Writes DIR/report.html and DIR/charts/<scenario>-<chart>.png (scenario names slugged).
 * PNGs render one after another (each is a few hundred ms). `pngs: false` skips them.
 * @throws Error when two scenario names slug to the same file name, or a chart fails to render.
 */
export async function writeReport(dir: string, input: SuiteReportInput, opts: ReportOptions & { readonly pngs?: boolean } = {}): Promise<ReportPaths> {
  const specs = chartSpecs(input, opts);
  const names = specs.map((s) => `${slug(s.scenario)}-${s.chart}.png`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`two scenarios give the same chart file name ${dup}; rename one`);
  await mkdir(dir, { recursive: true });
  const html = join(dir, "report.html");
  await writeFile(html, renderHtml(input, opts));
  const pngs: string[] = [];
  if (opts.pngs !== false) {
    await mkdir(join(dir, "charts"), { recursive: true });
    for (let i = 0; i < specs.length; i++) {
      const path = join(dir, "charts", names[i]);
      await writeFile(path, await renderPng(specs[i].spec));
      pngs.push(path);
    }
  }
  return { html, pngs };
}
