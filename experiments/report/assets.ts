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

/** Family name of the bundled font, as vega's text marks and resvg see it. */
export const FONT_FAMILY = "DejaVu Sans";

/** DejaVu Sans (regular and bold) TTFs from the dejavu-fonts-ttf package, absolute paths. */
export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return [join(dir, "DejaVuSans.ttf"), join(dir, "DejaVuSans-Bold.ttf")];
}
