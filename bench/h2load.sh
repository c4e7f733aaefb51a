#!/usr/bin/env bash
# Cross-check of the load generator with h2load (nghttp2-client): the same
# Analyze request body replayed closed loop at the same concurrency over one
# connection; the request rate of both is printed. h2load counts HTTP status
# only: grpc-status of one request is checked with curl --http2-prior-knowledge.
#   bash bench/h2load.sh [DURATION=10] [CONCURRENCY=8] [ROUNDS=3]
source "$(dirname "$0")/lib.sh"
DUR="${1:-10}"; CONC="${2:-8}"; ROUNDS="${3:-3}"; PORT=50155
"$BIN" loadgen --data "$DATA" --write-frame "$OUT/analyze.frame"
# The loadgen replays one article too, so both send the same bytes.
head -1 "$DATA" >"$OUT/one.jsonl"
start_server "$PORT" --cpu-threads 1 --worker-threads 1
trap stop_server EXIT
for r in $(seq "$ROUNDS"); do
  $NICE taskset -c "$LOAD_CORE" h2load -c 1 -m "$CONC" -D "$DUR" --warm-up-time=2 -d "$OUT/analyze.frame" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$PORT/precis.v1.Precis/Analyze" >"$OUT/h2load-$r.txt"
  grep -E "finished in|status codes|time for request" "$OUT/h2load-$r.txt"
  $NICE taskset -c "$LOAD_CORE" "$BIN" loadgen --data "$OUT/one.jsonl" --addr "127.0.0.1:$PORT" --concurrency "$CONC" \
    --duration "${DUR}s" --warmup 2s >"$OUT/h2-loadgen-$r.json"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); l=d['latency_ms']; print('loadgen: %.0f req/s ok %d/%d mean %.2f ms p50 %.2f max %.2f' % (d['throughput_rps'], d['ok'], d['requests'], l['mean'], l['p50'], l['max']))" "$OUT/h2-loadgen-$r.json"
done
if command -v curl >/dev/null; then
  curl -s --http2-prior-knowledge -o /dev/null -D - -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary "@$OUT/analyze.frame" "http://127.0.0.1:$PORT/precis.v1.Precis/Analyze" | grep -i "grpc-status\|^HTTP" || true
fi
