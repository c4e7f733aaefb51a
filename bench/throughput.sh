#!/usr/bin/env bash
# Throughput and latency of the gRPC service against the in-process pipeline,
# side by side, on one core each:
#   server pinned to core SERVER_CORE (--cpu-threads 1 --worker-threads 1),
#   load generator pinned to core LOAD_CORE,
#   in-process `precis analyze --jsonl` pinned to SERVER_CORE.
# Rounds alternate in-process and gRPC runs so both see the same machine noise.
#   bash bench/throughput.sh [ROUNDS=3] [DURATION=10s] [CONCURRENCY=8]
source "$(dirname "$0")/lib.sh"
ROUNDS="${1:-3}"; DUR="${2:-10s}"; CONC="${3:-8}"
PORT=50151
start_server "$PORT" --cpu-threads 1 --worker-threads 1
trap stop_server EXIT
: >"$OUT/inproc.txt"; : >"$OUT/grpc.txt"; : >"$OUT/stream.txt"; : >"$OUT/unary-same.txt"
for r in $(seq "$ROUNDS"); do
  # In-process: the whole file, articles/s from its own stderr line.
  $NICE taskset -c "$SERVER_CORE" "$BIN" analyze --jsonl "$DATA" 2>"$OUT/inproc-$r.err" >/dev/null
  grep -o '[0-9.]* articles/s' "$OUT/inproc-$r.err" | awk '{print $1}' >>"$OUT/inproc.txt"
  # gRPC unary Analyze, closed loop.
  loadgen --addr "127.0.0.1:$PORT" --rpc analyze --concurrency "$CONC" --duration "$DUR" --warmup 2s \
    >"$OUT/grpc-$r.json"
  json throughput_rps "$OUT/grpc-$r.json" >>"$OUT/grpc.txt"
  # One AnalyzeStream with CONC articles in flight vs unary at the same concurrency.
  loadgen --addr "127.0.0.1:$PORT" --rpc stream --streams 1 --concurrency "$CONC" --duration "$DUR" --warmup 2s \
    >"$OUT/stream-$r.json"
  json throughput_rps "$OUT/stream-$r.json" >>"$OUT/stream.txt"
  echo "round $r: inproc $(tail -1 "$OUT/inproc.txt")/s grpc $(tail -1 "$OUT/grpc.txt")/s stream $(tail -1 "$OUT/stream.txt")/s" >&2
done
echo "server peak RSS after throughput runs: $(rss_kb "$SERVER_PID" VmHWM) kB" >&2
IN=$(median <"$OUT/inproc.txt"); GR=$(median <"$OUT/grpc.txt"); ST=$(median <"$OUT/stream.txt")
python3 - "$IN" "$GR" "$ST" "$CONC" <<'PY'
import sys
i, g, s, c = map(float, sys.argv[1:])
print(f"median in-process {i:.0f} art/s (1 core); gRPC Analyze c={int(c)} {g:.0f} req/s = {g/i:.1%} of in-process;"
      f" AnalyzeStream 1 stream depth {int(c)} {s:.0f} art/s = {s/g:.2f}x unary")
PY
