#!/usr/bin/env bash
# Prints what a code change must not change unless it means to: every built-in's digest, row counts, bot results and Arrow hashes (seeds 1, 2), a scenario file's digest, and six backtests' outputs.
# Usage: out=$(mktemp) && tools/digests.sh > "$out" && diff tools/digests.ref.txt "$out"   (about a minute on 2 cores)
set -euo pipefail
R="${1:-$(cd "$(dirname "$0")/.." && pwd)}"; T=$(mktemp -d); cd "$R"
for s in smoke normal crash pump-and-dump flash-crash high-volatility; do
  for seed in 1 2; do
    node bin/arena.mjs run $s --seed $seed --out $T/$s-$seed >/dev/null
    echo "$s $seed $(node -e 'const s=require(process.argv[1]);console.log(s.digest, JSON.stringify(s.rows), JSON.stringify(s.bots.map(b=>[b.name,b.returnPct,b.maxDrawdownPct])))' $T/$s-$seed/summary.json)"
    sha256sum $T/$s-$seed/*.arrow | sed "s#$T/##" | awk '{print "  " $2, substr($1,1,16)}'
  done
done
node bin/arena.mjs run scenarios/examples/quiet-crash.json --seed 3 --out $T/qc >/dev/null
echo "quiet-crash 3 $(node -e 'console.log(require(process.argv[1]).digest)' $T/qc/summary.json)"
D1=data/btcusdt-1m-binanceus-2023-03-01_2023-03-21.csv.gz
D2=data/btcusd-1h-cryptocompare-2022-01-01_2023-12-31.csv.gz
i=0
while read -r args; do
  i=$((i+1))
  eval node bin/arena.mjs backtest $args --out $T/bt$i >/dev/null 2>&1 || echo "bt$i FAILED: $args"
  for f in trades.arrow equity.arrow; do echo "bt$i $f $(sha256sum $T/bt$i/$f | cut -c1-16)"; done
  echo "bt$i summary $(node -e 'const s=require(process.argv[1]); for (const k of ["wallTimeMs","generatedAt","createdAt"]) delete s[k]; console.log(require("crypto").createHash("sha256").update(JSON.stringify(s)).digest("hex").slice(0,16))' $T/bt$i/summary.json)"
done <<ARGS
--data $D1 --strategy sma-cross
--data $D1 --strategy ensemble --timeframe 15m
--data $D1 --strategy mean-reversion --risk off
--data $D2 --strategy trend-following
--data $D2 --strategy breakout --risk-config '{"stopLossPct":0.05,"trailingStopPct":null}'
--data $D1 --strategy sma-cross --walk-forward 7d,2d,2d --workers 2
ARGS
rm -rf "$T"
