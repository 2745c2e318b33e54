// The browser builds of vega, vega-lite and vega-embed, and the bundled font, located in node_modules.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The folder of a package's main file (each of these keeps its browser builds beside it, in build/). */
const buildDir = (pkg: string) => dirname(require.resolve(pkg));

/** UMD builds inlined into report.html, in load order (vega-embed expects globals vega and vegaLite). */
const SCRIPTS = [
  ["vega", "vega.min.js"],
  ["vega-lite", "vega-lite.min.js"],
  ["vega-embed", "vega-embed.min.js"],
] as const;

let cached: readonly { readonly name: string; readonly code: string }[] | undefined;

/**
 * The three browser builds, with their source-map comments removed (an offline page has no
 * maps to fetch). Read once per process.
 * @throws Error when a package is not installed.
 */
export function browserScripts(): readonly { readonly name: string; readonly code: string }[] {
  cached ??= SCRIPTS.map(([pkg, file]) => ({
    name: pkg,
    code: readFileSync(join(buildDir(pkg), file), "utf8").replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n"),
  }));
  return cached;
}

/** JSON safe inside a <script> element: no "</script", "<!--" or U+2028/9 can end or bend it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * The end of an offline report page: the inlined vega builds, the chart specs as JSON, and the
 * script that embeds spec i into the element `#chart-i` (a failed chart says so in place).
 */
export function chartScripts(specs: readonly unknown[]): string {
  const libs = browserScripts().map((s) => `<script data-lib="${s.name}">\n${s.code}</script>`).join("\n");
  return `${libs}
<script type="application/json" id="report-specs">${scriptJson(specs)}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById("report-specs").textContent);
  var opts = { renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false } };
  specs.forEach(function (spec, i) {
    vegaEmbed("#chart-" + i, spec, opts).catch(function (e) {
      document.getElementById("chart-" + i).textContent = "chart failed: " + e;
    });
  });
})();
</script>`;
}

/** Family name of the bundled font, as vega's text marks and resvg see it. */
export const FONT_FAMILY = "DejaVu Sans";

/** DejaVu Sans (regular and bold) TTFs from the dejavu-fonts-ttf package, absolute paths. */
export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return [join(dir, "DejaVuSans.ttf"), join(dir, "DejaVuSans-Bold.ttf")];
}
