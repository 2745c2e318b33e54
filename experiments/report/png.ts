// PNG export of one chart: vega-lite → vega → SVG (headless view) → resvg with the bundled font.
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { FONT_FAMILY, fontFiles } from "./assets.ts";

/**
 * Renders a vega-lite spec (data inlined) to PNG bytes. Text is drawn with DejaVu Sans from the
 * dejavu-fonts-ttf package and system fonts are never loaded, so a chart looks the same on
 * every machine. `scale` multiplies the pixel size (2 for sharp pastes).
 * @throws Error when the spec does not compile or the view fails to render.
 */
export async function renderPng(spec: TopLevelSpec, scale = 2): Promise<Uint8Array> {
  const svg = await renderSvg(spec);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: {
      fontFiles: fontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** The chart as an SVG string, every text in FONT_FAMILY. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const withFont = { ...spec, config: { ...(spec.config ?? {}), font: FONT_FAMILY } } as TopLevelSpec;
  const { spec: vgSpec } = compile(withFont);
  // renderer "none": no canvas or DOM; toSVG builds its own SVG scenegraph.
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
