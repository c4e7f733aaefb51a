#!/usr/bin/env bash
# Start-up: from exec of the release binary to health SERVING.
# A waiting client (loadgen --wait-ready, polling every 2 ms) is started
# first; then the time is taken and the server exec'd. Start-up = the time the
# client saw SERVING minus the exec time. Prints each run and the median.
#   bash bench/startup.sh [RUNS=9]
source "$(dirname "$0")/lib.sh"
RUNS="${1:-9}"; PORT=50153
: >"$OUT/startup.txt"
for r in $(seq "$RUNS"); do
  "$BIN" loadgen --addr "127.0.0.1:$PORT" --wait-ready --timeout 10s >"$OUT/ready.json" &
  WAITER=$!
  sleep 0.3   # the waiter is up and polling
  T0=$(date +%s%N)
  RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
  SP=$!
  wait "$WAITER"
  READY=$(json ready_unix_ns "$OUT/ready.json")
  echo "$(( (READY - T0) / 1000 ))" | awk '{printf "%.1f\n", $1/1000}' | tee -a "$OUT/startup.txt"
  kill -TERM "$SP"; wait "$SP" 2>/dev/null || true
done
echo "median start-up (exec -> SERVING): $(median <"$OUT/startup.txt") ms over $RUNS runs"
