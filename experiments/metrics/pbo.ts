// Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein, López de Prado, Zhu 2015).

/** Scores one configuration from its per-period performance over the selected rows; higher is better. */
export type PboMetric = (values: readonly number[]) => number;

export interface PboOptions {
  /** S, the number of row blocks; even, ≥ 2. Default 16 (C(16, 8) = 12 870 combinations). */
  readonly blocks?: number;
  /** Ranking metric; default `sharpeScore` (per-period mean / sample sd). */
  readonly metric?: PboMetric;
}

/** One train/test split and what the in-sample winner did out of sample. */
export interface PboCombination {
  /** Block indices forming the in-sample set, ascending; the others are out of sample. */
  readonly inSample: readonly number[];
  /** Column of the configuration with the best in-sample metric (lowest index on ties). */
  readonly best: number;
  /** Its out-of-sample rank, 1 = worst … N = best; tied values share their mean rank. */
  readonly oosRank: number;
  /** ω̄ = oosRank / (N + 1), in (0, 1). */
  readonly omega: number;
  /** λ = ln(ω̄ / (1 − ω̄)); ≤ 0 means the winner did no better than the median out of sample. */
  readonly logit: number;
}

export interface PboResult {
  /** Share of combinations with λ ≤ 0. */
  readonly pbo: number;
  /** λ of each combination, in the order of `combinations`. */
  readonly logits: readonly number[];
  readonly combinations: readonly PboCombination[];
  /** Rows per block, ⌊T / S⌋. */
  readonly blockRows: number;
  /** Trailing rows left out so that the S blocks are equal: T − S·⌊T / S⌋. */
  readonly droppedRows: number;
}

/**
 * Per-period Sharpe ratio mean / sd (sample, n − 1) of the values. With zero spread the
 * ratio is ±Infinity by the sign of the mean (0 for a mean of 0), so a riskless winner still
 * ranks first instead of dropping out as NaN.
 */
export function sharpeScore(values: readonly number[]): number {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const m = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  const s = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  if (s > 1e-14 * Math.max(1, Math.abs(m))) return m / s;
  return m > 0 ? Infinity : m < 0 ? -Infinity : 0;
}

/** All k-subsets of {0..n−1}, each ascending, in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const c = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    out.push(c.slice());
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return out;
    c[i]++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  }
}

/**
 * PBO by CSCV. `matrix[t][n]` is configuration n's performance in period t (e.g. its return),
 * T rows × N columns. The first S·⌊T/S⌋ rows are cut, in order, into S contiguous blocks of
 * ⌊T/S⌋ rows; the last T mod S rows are dropped (so every block weighs the same). For each of
 * the C(S, S/2) ways to pick S/2 blocks as in-sample, in lexicographic order: score every
 * column on the in-sample rows, take the best, rank it among all columns on the remaining
 * (out-of-sample) rows, and record λ = logit(rank / (N + 1)). PBO is the share with λ ≤ 0.
 * Deterministic: no randomness, ties broken by column index (in sample) or by mean rank (out of sample).
 * @throws RangeError when S is not an even integer ≥ 2, T < S, N < 2, rows differ in length
 * or a metric returns NaN.
 */
export function probabilityOfBacktestOverfitting(matrix: readonly (readonly number[])[], options: PboOptions = {}): PboResult {
  const S = options.blocks ?? 16;
  const metric = options.metric ?? sharpeScore;
  const T = matrix.length;
  if (!(Number.isInteger(S) && S >= 2 && S % 2 === 0)) throw new RangeError(`blocks = ${S} must be an even integer ≥ 2`);
  if (T < S) throw new RangeError(`${T} rows cannot be cut into ${S} blocks`);
  const N = matrix[0].length;
  if (N < 2) throw new RangeError(`need at least 2 configurations (columns), got ${N}`);
  for (const [t, row] of matrix.entries()) if (row.length !== N) throw new RangeError(`row ${t} has ${row.length} columns, row 0 has ${N}`);
  const blockRows = Math.floor(T / S);
  const score = (blocks: readonly number[], col: number): number => {
    const v: number[] = [];
    for (const b of blocks) for (let t = b * blockRows; t < (b + 1) * blockRows; t++) v.push(matrix[t][col]);
    const x = metric(v);
    if (Number.isNaN(x)) throw new RangeError(`metric returned NaN for column ${col} on blocks ${blocks.join(",")}`);
    return x;
  };
  const combos: PboCombination[] = [];
  for (const inSample of combinations(S, S / 2)) {
    const outSample = Array.from({ length: S }, (_, b) => b).filter((b) => !inSample.includes(b));
    let best = 0;
    let bestScore = -Infinity;
    for (let n = 0; n < N; n++) {
      const x = score(inSample, n);
      if (x > bestScore || n === 0) [best, bestScore] = [n, x];
    }
    const oos = Array.from({ length: N }, (_, n) => score(outSample, n));
    let below = 0;
    let equal = 0;
    for (const x of oos) {
      if (x < oos[best]) below++;
      else if (x === oos[best]) equal++;
    }
    // Mean of the tied ranks below+1 … below+equal (equal counts the winner itself).
    const oosRank = below + (equal + 1) / 2;
    const omega = oosRank / (N + 1);
    combos.push({ inSample, best, oosRank, omega, logit: Math.log(omega / (1 - omega)) });
  }
  const logits = combos.map((c) => c.logit);
  const overfit = logits.filter((l) => l <= 0).length;
  return { pbo: overfit / combos.length, logits, combinations: combos, blockRows, droppedRows: T - S * blockRows };
}
