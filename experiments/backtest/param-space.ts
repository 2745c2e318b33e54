// Parameter spaces for walk-forward optimisation: default spaces per strategy, grid and seeded random search.
import { Rng } from "../../sim/rng.ts";

/**
 * The values to try for each parameter. Keys are param names; a dotted key sets a nested
 * field ("regime.trendThreshold" → { regime: { trendThreshold } }). Values are JSON values.
 */
export type ParamSpace = Readonly<Record<string, readonly unknown[]>>;

/** How candidates are drawn from a space. */
export type SearchSpec =
  | { readonly kind: "grid" }
  /** `samples` distinct points of the grid, drawn with a stream seeded by `seed`. */
  | { readonly kind: "random"; readonly samples: number; readonly seed: number };

/**
 * Small default spaces (tens of points), so a walk-forward run stays minutes, not hours.
 * Points the strategy refuses (e.g. sma-cross fast ≥ slow) are skipped by the search.
 */
export const DEFAULT_SPACES: Readonly<Record<string, ParamSpace>> = Object.freeze({
  "sma-cross": { fast: [5, 8, 10, 12, 15, 20], slow: [20, 30, 40, 50, 60] },
  "trend-following": { fast: [5, 9, 12], mid: [21, 30], slow: [50, 100], adxThreshold: [20, 25, 30] },
  "mean-reversion": { bbPeriod: [14, 20, 30], bbStd: [1.5, 2, 2.5], oversold: [25, 30, 35] },
  breakout: { resistanceBars: [10, 20, 40], supportBars: [5, 10, 20], atrMultiplier: [2, 3] },
  ensemble: { "regime.trendThreshold": [20, 25, 30], "regime.rangeThreshold": [15, 20], stoploss: [-0.03, -0.05] },
});

/** Number of points in the full grid of a space. */
export function gridSize(space: ParamSpace): number {
  let n = 1;
  for (const k of Object.keys(space)) n *= space[k].length;
  return n;
}

/** The i-th point of the grid (0 ≤ i < gridSize), last key varying fastest, as { key: value }. */
function gridPoint(space: ParamSpace, i: number): Record<string, unknown> {
  const keys = Object.keys(space);
  const out: Record<string, unknown> = {};
  for (let k = keys.length - 1; k >= 0; k--) {
    const vals = space[keys[k]];
    out[keys[k]] = vals[i % vals.length];
    i = Math.floor(i / vals.length);
  }
  return Object.fromEntries(keys.map((k) => [k, out[k]]));
}

/**
 * The candidates of a search, in a fixed order: the whole grid (lexicographic, last key
 * fastest), or for random search `samples` distinct grid points chosen by a partial
 * Fisher–Yates shuffle of the grid indexes with `Rng.root(seed).fork("search")`, in ascending
 * index order (the whole grid when samples ≥ its size).
 * @throws RangeError for an empty space, a key with no values, or a bad sample count.
 */
export function candidates(space: ParamSpace, spec: SearchSpec): Record<string, unknown>[] {
  const keys = Object.keys(space);
  if (keys.length === 0) throw new RangeError("space: no parameter to search");
  for (const k of keys) if (!Array.isArray(space[k]) || space[k].length === 0) throw new RangeError(`space.${k}: needs a non-empty array of values`);
  const size = gridSize(space);
  if (spec.kind === "grid" || spec.samples >= size) return Array.from({ length: size }, (_, i) => gridPoint(space, i));
  if (!(Number.isSafeInteger(spec.samples) && spec.samples >= 1)) throw new RangeError(`samples: ${spec.samples} must be a positive integer`);
  const rng = Rng.root(spec.seed).fork("search");
  const idx = Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < spec.samples; i++) {
    const j = rng.int(i, size - 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, spec.samples).sort((a, b) => a - b).map((i) => gridPoint(space, i));
}

/** `base` with each (possibly dotted) key of `point` set; `base` is not changed. */
export function withParams(base: Readonly<Record<string, unknown>>, point: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(point)) {
    const path = key.split(".");
    let o = out;
    for (const p of path.slice(0, -1)) {
      const next = o[p];
      o = o[p] = next !== null && typeof next === "object" && !Array.isArray(next) ? next as Record<string, unknown> : {};
    }
    o[path[path.length - 1]] = value;
  }
  return out;
}

/**
 * Parses `--search`: "grid", or "random:N" (N samples, seed from `seed`).
 * @throws RangeError naming the value.
 */
export function parseSearch(text: string, seed: number): SearchSpec {
  if (text === "grid") return { kind: "grid" };
  const m = /^random:(\d{1,6})$/.exec(text);
  if (m !== null && Number(m[1]) >= 1) return { kind: "random", samples: Number(m[1]), seed };
  throw new RangeError(`--search: ${JSON.stringify(text)} is not "grid" or "random:N" (N a positive integer)`);
}
