#!/usr/bin/env bash
# Open-loop latency at a fixed rate (default: half of the measured maximum),
# latency from each request's due time (no coordinated omission); peak RSS of
# the server after the run.
#   bash bench/latency.sh RATE [DURATION=30s] [ROUNDS=3]
source "$(dirname "$0")/lib.sh"
RATE="$1"; DUR="${2:-30s}"; ROUNDS="${3:-3}"
PORT=50152
start_server "$PORT" --cpu-threads 1 --worker-threads 1
trap stop_server EXIT
echo "server RSS at start: $(rss_kb "$SERVER_PID" VmRSS) kB" >&2
for r in $(seq "$ROUNDS"); do
  loadgen --addr "127.0.0.1:$PORT" --rpc analyze --rate "$RATE" --concurrency 256 --duration "$DUR" --warmup 2s \
    >"$OUT/latency-$r.json"
  python3 - "$OUT/latency-$r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); l = d["latency_ms"]
print(f"rate {d['target_rate']}/s: ok {d['ok']}/{d['requests']} {d['throughput_rps']:.0f}/s "
      f"p50 {l['p50']:.2f} p90 {l['p90']:.2f} p99 {l['p99']:.2f} p99.9 {l['p999']:.2f} max {l['max']:.2f} ms "
      f"p99/p50 {l['p99']/l['p50']:.2f}")
PY
done
echo "server peak RSS (VmHWM): $(rss_kb "$SERVER_PID" VmHWM) kB; RSS now $(rss_kb "$SERVER_PID" VmRSS) kB" >&2
