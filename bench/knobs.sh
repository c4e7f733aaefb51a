#!/usr/bin/env bash
# Tuning measurements: closed-loop Analyze (RPC=summarize: Summarize) throughput and latency for server
# settings, server on SERVER_CORE, load generator on LOAD_CORE. Each setting
# gets ROUNDS runs, interleaved, and the median is printed.
#   bash bench/knobs.sh [DURATION=8s] [ROUNDS=2]
source "$(dirname "$0")/lib.sh"
DUR="${1:-8s}"; ROUNDS="${2:-2}"; PORT=50156
RPC="${RPC:-analyze}"
# Calls per CPU-second of the server: on a shared machine a pinned process
# gets only part of its core, and how much depends on its thread count.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$SERVER_PID/stat"; }
# name | serve flags | loadgen flags | server RUST_LOG (default warn)
CASES=(
  "default(1 cpu,1 worker)|--cpu-threads 1 --worker-threads 1|"
  "RUST_LOG=info (a log line per call)|--cpu-threads 1 --worker-threads 1||info"
  "worker_threads=2|--cpu-threads 1 --worker-threads 2|"
  "cpu_threads=2 on 1 core|--cpu-threads 2 --worker-threads 1|"
  "gzip both ways|--cpu-threads 1 --worker-threads 1|--gzip"
  "4 connections|--cpu-threads 1 --worker-threads 1|--connections 4"
  "stream_window=64KiB,conn=64KiB|--cpu-threads 1 --worker-threads 1 --http2-stream-window 65535 --http2-connection-window 65535|"
  "concurrency_limit=4|--cpu-threads 1 --worker-threads 1 --concurrency-limit 4|"
)
for r in $(seq "$ROUNDS"); do
  for i in "${!CASES[@]}"; do
    IFS='|' read -r name sflags lflags level <<<"${CASES[$i]}"
    # shellcheck disable=SC2086
    SERVER_LOG="${level:-warn}" start_server "$PORT" $sflags
    C0=$(server_cpu)
    # shellcheck disable=SC2086
    loadgen --addr "127.0.0.1:$PORT" --rpc "$RPC" --concurrency 8 --duration "$DUR" --warmup 0s $lflags >"$OUT/knob-$i-$r.json"
    C1=$(server_cpu)
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['ok'] / (float(sys.argv[3]) - float(sys.argv[2])))" \
      "$OUT/knob-$i-$r.json" "$C0" "$C1" >"$OUT/knob-$i-$r.cpu"
    stop_server
  done
done
for i in "${!CASES[@]}"; do
  IFS='|' read -r name _ _ <<<"${CASES[$i]}"
  python3 - "$name" "$OUT" "$i" "$ROUNDS" <<'PY'
import json, statistics, sys
name, out, i, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ds = [json.load(open(f"{out}/knob-{i}-{r}.json")) for r in range(1, rounds + 1)]
med = lambda f: statistics.median(f(d) for d in ds)
errs = sum(sum(d["errors"].values()) for d in ds)
cpu = statistics.median(float(open(f"{out}/knob-{i}-{r}.cpu").read()) for r in range(1, rounds + 1))
print(f"| {name} | {med(lambda d: d['throughput_rps']):.0f} | {cpu:.0f} | {med(lambda d: d['latency_ms']['p50']):.2f} | "
      f"{med(lambda d: d['latency_ms']['p99']):.2f} | {errs} |")
PY
done
