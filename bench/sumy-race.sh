#!/usr/bin/env bash
# In-process summarise speed against sumy TextRank, side by side on one core.
# Each round runs the peer harness's sumy TextRank on the first 400 BBC articles
# (its articles_per_s, which excludes the harness's sentence split), then
# `precis summarize --jsonl` over the whole BBC file once per binary in BINS;
# everything pinned to LOAD_CORE. Prints each round and the medians.
#   BINS="old/precis target/release/precis" bash bench/sumy-race.sh [ROUNDS=3]
# Needs the peer harness (PEERS, default ../shared/peers) and its venv (PEER_PY).
source "$(dirname "$0")/lib.sh"
ROUNDS="${1:-3}"
BINS="${BINS:-$BIN}"
PEERS="${PEERS:-$ROOT/../shared/peers}"
[ -d "$PEERS" ] || PEERS=/work/shared/peers
PEER_PY="${PEER_PY:-/tmp/peers-venv/bin/python}"
DATA="$(cd "$(dirname "$DATA")" && pwd)/$(basename "$DATA")"
: >"$OUT/sumy-race.txt"
for r in $(seq "$ROUNDS"); do
  (cd "$PEERS" && taskset -c "$LOAD_CORE" "$PEER_PY" summarize_peers.py --input "$DATA" --out "$OUT/sumpeer" \
    --systems textrank --limit 400 >/dev/null 2>&1)
  line="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['systems']['textrank']['articles_per_s'])" "$OUT/sumpeer/results.json")"
  for b in $BINS; do
    line="$line $(taskset -c "$LOAD_CORE" "$b" summarize --jsonl "$DATA" 2>&1 >/dev/null | awk '{print $(NF-1)}')"
  done
  echo "round $r: sumy $line" | tee -a "$OUT/sumy-race.txt"
done
python3 - "$OUT/sumy-race.txt" $BINS <<'PY'
import statistics, sys
rows = [l.split(":")[1].split()[1:] for l in open(sys.argv[1])]
meds = [statistics.median(float(r[i]) for r in rows) for i in range(len(rows[0]))]
print(f"sumy TextRank: median {meds[0]:.1f} articles/s")
for b, m in zip(sys.argv[2:], meds[1:]):
    print(f"{b}: median {m:.0f} articles/s = {m / meds[0]:.1f}x sumy")
PY
