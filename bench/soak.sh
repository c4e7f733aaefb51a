#!/usr/bin/env bash
# Soak: open-loop Analyze at RATE for MINUTES, server RSS sampled every 30 s.
#   bash bench/soak.sh RATE [MINUTES=10]
source "$(dirname "$0")/lib.sh"
RATE="$1"; MIN="${2:-10}"; PORT=50154
start_server "$PORT" --cpu-threads 1 --worker-threads 1
trap stop_server EXIT
loadgen --addr "127.0.0.1:$PORT" --rpc analyze --rate "$RATE" --concurrency 256 --duration "${MIN}m" --warmup 0s \
  >"$OUT/soak.json" &
LG=$!
: >"$OUT/soak-rss.txt"
for s in $(seq 0 30 $((MIN * 60))); do
  echo "t=${s}s rss=$(rss_kb "$SERVER_PID" VmRSS)kB hwm=$(rss_kb "$SERVER_PID" VmHWM)kB" | tee -a "$OUT/soak-rss.txt"
  [ "$s" -lt $((MIN * 60)) ] && sleep 30
done
wait "$LG"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); l=d['latency_ms']; print('soak: ok',d['ok'],'of',d['requests'],'errors',d['errors'],'p50',l['p50'],'p99',l['p99'],'p99.9',l['p999'],'ms')" "$OUT/soak.json"
