#!/usr/bin/env bash
# Throughput and latency of the gRPC service against the in-process pipeline,
# side by side, on one core each:
#   server pinned to core SERVER_CORE (--cpu-threads 1 --worker-threads 1),
#   load generator pinned to core LOAD_CORE,
#   in-process `precis analyze --jsonl` pinned to SERVER_CORE.
# Rounds alternate in-process and gRPC runs so both see the same machine noise.
# On a shared machine a pinned process gets only part of its core, so each
# run's CPU time is taken too (in-process: user+sys of the process; server:
# its /proc utime+stime delta over the run) and articles per CPU-second are
# compared as well as articles per wall second.
#   bash bench/throughput.sh [ROUNDS=3] [DURATION=10s] [CONCURRENCY=8]
source "$(dirname "$0")/lib.sh"
ROUNDS="${1:-3}"; DUR="${2:-10s}"; CONC="${3:-8}"
PORT=50151
start_server "$PORT" --cpu-threads 1 --worker-threads 1
trap stop_server EXIT
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$SERVER_PID/stat"; }
: >"$OUT/inproc.txt"; : >"$OUT/inproc-cpu.txt"; : >"$OUT/grpc-cpu.txt"; : >"$OUT/grpc.txt"; : >"$OUT/stream.txt"; : >"$OUT/unary-same.txt"
for r in $(seq "$ROUNDS"); do
  # In-process: the whole file, articles/s from its own stderr line.
  /usr/bin/time -f 'cpu %U %S' $NICE taskset -c "$SERVER_CORE" "$BIN" analyze --jsonl "$DATA" 2>"$OUT/inproc-$r.err" >/dev/null
  grep -o '[0-9.]* articles/s' "$OUT/inproc-$r.err" | awk '{print $1}' >>"$OUT/inproc.txt"
  N=$(grep -o '^[0-9]* articles in' "$OUT/inproc-$r.err" | awk '{print $1}')
  awk -v n="$N" '$1=="cpu" {print n/($2+$3)}' "$OUT/inproc-$r.err" >>"$OUT/inproc-cpu.txt"
  # gRPC unary Analyze, closed loop.
  # Server CPU over the whole loadgen run (warm-up included), so requests
  # over the whole run too: throughput x (warm-up + duration) ~ all answered.
  C0=$(server_cpu)
  loadgen --addr "127.0.0.1:$PORT" --rpc analyze --concurrency "$CONC" --duration "$DUR" --warmup 0s \
    >"$OUT/grpc-$r.json"
  C1=$(server_cpu)
  json throughput_rps "$OUT/grpc-$r.json" >>"$OUT/grpc.txt"
  python3 -c "import sys; print(int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])))" \
    "$(json ok "$OUT/grpc-$r.json")" "$C0" "$C1" >>"$OUT/grpc-cpu.txt"
  # One AnalyzeStream with CONC articles in flight vs unary at the same concurrency.
  loadgen --addr "127.0.0.1:$PORT" --rpc stream --streams 1 --concurrency "$CONC" --duration "$DUR" --warmup 2s \
    >"$OUT/stream-$r.json"
  json throughput_rps "$OUT/stream-$r.json" >>"$OUT/stream.txt"
  echo "round $r: inproc $(tail -1 "$OUT/inproc.txt")/s ($(tail -1 "$OUT/inproc-cpu.txt")/cpu-s)" \
    "grpc $(tail -1 "$OUT/grpc.txt")/s ($(tail -1 "$OUT/grpc-cpu.txt")/cpu-s) stream $(tail -1 "$OUT/stream.txt")/s" >&2
done
echo "server peak RSS after throughput runs: $(rss_kb "$SERVER_PID" VmHWM) kB" >&2
IN=$(median <"$OUT/inproc.txt"); GR=$(median <"$OUT/grpc.txt"); ST=$(median <"$OUT/stream.txt")
INC=$(median <"$OUT/inproc-cpu.txt"); GRC=$(median <"$OUT/grpc-cpu.txt")
python3 - "$IN" "$GR" "$ST" "$CONC" "$INC" "$GRC" <<'PY'
import sys
i, g, s, c, ic, gc = map(float, sys.argv[1:])
print(f"median in-process {i:.0f} art/s, {ic:.0f} art/cpu-s (1 core); gRPC Analyze c={int(c)} {g:.0f} req/s = {g/i:.1%}"
      f" of in-process per wall second, {gc:.0f} art/cpu-s = {gc/ic:.1%} per CPU second;"
      f" AnalyzeStream 1 stream depth {int(c)} {s:.0f} art/s = {s/g:.2f}x unary")
PY
