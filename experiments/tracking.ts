// How closely a run follows the real path its latent value was given: correlation of returns and tracking error.
/** A path fundamental's points: point k stands at time k × stepNs. */
export interface TrackedPath {
  readonly stepNs: number;
  readonly prices: readonly number[];
}

/** summary.json's `tracking`: the run's 1-minute closes against the path at its points. */
export interface PathTracking {
  /** Points compared (those the run reached, after its first bar closed). */
  readonly points: number;
  /** Seconds between the path's points: the bar size of the data. */
  readonly barSeconds: number;
  /** Correlation of log returns, run against path, at the path's bar size, at 10 minutes and at one hour (null: too few returns, or a step that does not divide it). */
  readonly correlation: { readonly bar: number | null; readonly tenMinutes: number | null; readonly hour: number | null };
  /** RMS of log(run price / path price) over the points, percent. */
  readonly trackingErrorPct: number | null;
}

const HOUR_NS = 3_600_000_000_000;

/**
 * Compares a run with its path: the run's price at a point is the close of the last bar ending
 * at or before it (bars `barNs` long opening at `openTimesNs`), the path's is the point's price.
 */
export function pathTracking(openTimesNs: ArrayLike<number>, closes: ArrayLike<number>, barNs: number, path: TrackedPath, durationNs: number): PathTracking {
  const sim: number[] = [];
  const real: number[] = [];
  let j = -1;
  for (let k = 0; k < path.prices.length && k * path.stepNs <= durationNs; k++) {
    const t = k * path.stepNs;
    while (j + 1 < openTimesNs.length && openTimesNs[j + 1] + barNs <= t) j++;
    if (j < 0 || !(closes[j] > 0)) continue;
    sim.push(closes[j]);
    real.push(path.prices[k]);
  }
  let ss = 0;
  for (let i = 0; i < sim.length; i++) ss += Math.log(sim[i] / real[i]) ** 2;
  const every = (ns: number) => (ns % path.stepNs === 0 ? ns / path.stepNs : 0);
  const at = (ns: number) => (every(ns) === 0 ? null : round(returnCorrelation(sim, real, every(ns)), 4));
  const round = (x: number | null, d: number) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
  return {
    points: sim.length,
    barSeconds: path.stepNs / 1e9,
    correlation: { bar: at(path.stepNs), tenMinutes: at(HOUR_NS / 6), hour: at(HOUR_NS) },
    trackingErrorPct: sim.length === 0 ? null : round(Math.sqrt(ss / sim.length) * 100, 4),
  };
}

/** Pearson correlation of the log returns of `a` and `b` over `every` points; null under 3 returns. */
export function returnCorrelation(a: readonly number[], b: readonly number[], every: number): number | null {
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = every; i < a.length; i += every) {
    ra.push(Math.log(a[i] / a[i - every]));
    rb.push(Math.log(b[i] / b[i - every]));
  }
  const n = ra.length;
  if (n < 3) return null;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) ** 2;
    sbb += (rb[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

/** One line for a run's printout: the correlations and the tracking error. */
export function trackingLine(t: PathTracking): string {
  const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  return `tracking the real path (${t.points} points): return correlation ${f(t.correlation.bar)} at ${t.barSeconds / 60} min, ${f(t.correlation.tenMinutes)} at 10 min, ${f(t.correlation.hour)} at 1 h; tracking error ${t.trackingErrorPct === null ? "-" : t.trackingErrorPct.toFixed(2)}%`;
}
