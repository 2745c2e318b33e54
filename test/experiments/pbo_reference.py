#!/usr/bin/env python3
"""A second, independent PBO by CSCV (Bailey, Borwein, Lopez de Prado, Zhu 2015), stdlib only.

Written from the paper's procedure, not from experiments/metrics/pbo.ts: per-block sums are
computed once and each half's metric comes from them (the TypeScript re-reads the rows), the
in-sample winner comes from max(), the out-of-sample rank from counting. Conventions shared with
the TypeScript, as stated in its doc comment: S contiguous blocks of floor(T/S) rows, the tail
dropped; in-sample halves in lexicographic order (itertools.combinations); the metric the per-period
Sharpe ratio mean / sample sd (or the mean); ties in sample go to the lowest column, ties out of
sample share their mean rank; omega = rank / (N + 1); PBO = share of logits <= 0.

Reads {"matrix": [[...], ...], "blocks": S, "metric": "sharpe" | "mean"} on stdin and writes
{"pbo", "logits", "best", "oosRank", "inSample"} on stdout.
"""
import itertools
import json
import math
import sys


def block_stats(matrix, blocks):
    """Per block and column: (count, sum, sum of squares), with math.fsum for exact sums."""
    rows = len(matrix) // blocks
    cols = len(matrix[0])
    stats = []
    for b in range(blocks):
        part = matrix[b * rows:(b + 1) * rows]
        stats.append([(rows, math.fsum(r[c] for r in part), math.fsum(r[c] * r[c] for r in part)) for c in range(cols)])
    return stats, rows


def score(stats, chosen, col, metric):
    n = sum(stats[b][col][0] for b in chosen)
    s = math.fsum(stats[b][col][1] for b in chosen)
    mean = s / n
    if metric == "mean":
        return mean
    ss = math.fsum(stats[b][col][2] for b in chosen)
    var = max(0.0, (ss - n * mean * mean) / (n - 1))
    sd = math.sqrt(var)
    if sd > 1e-12 * max(1.0, abs(mean)):
        return mean / sd
    return math.inf if mean > 0 else (-math.inf if mean < 0 else 0.0)


def pbo(matrix, blocks, metric):
    stats, _ = block_stats(matrix, blocks)
    cols = len(matrix[0])
    out = {"logits": [], "best": [], "oosRank": [], "inSample": []}
    for chosen in itertools.combinations(range(blocks), blocks // 2):
        rest = [b for b in range(blocks) if b not in chosen]
        is_scores = [score(stats, chosen, c, metric) for c in range(cols)]
        best = is_scores.index(max(is_scores))
        oos = [score(stats, rest, c, metric) for c in range(cols)]
        worse = sum(1 for x in oos if x < oos[best])
        tied = sum(1 for x in oos if x == oos[best])
        rank = worse + (tied + 1) / 2
        omega = rank / (cols + 1)
        out["logits"].append(math.log(omega / (1 - omega)))
        out["best"].append(best)
        out["oosRank"].append(rank)
        out["inSample"].append(list(chosen))
    out["pbo"] = sum(1 for l in out["logits"] if l <= 0) / len(out["logits"])
    return out


if __name__ == "__main__":
    job = json.load(sys.stdin)
    json.dump(pbo(job["matrix"], job["blocks"], job.get("metric", "sharpe")), sys.stdout)
