#!/usr/bin/env bash
# Latency tail at half the maximum, side by side for several builds. Each
# round, for each build: the closed-loop maximum of Analyze (concurrency 8),
# then open loop at half of that build's own maximum. Prints p50/p99/p99.9,
# p99/p50, refusals, and the server's CPU time and run-queue wait over the
# open-loop run (/proc/PID/task/*/schedstat: time it was runnable but another
# process had the core — on a shared machine, the co-tenants' share of the tail).
#   BINS="/path/a /path/b" bash bench/tail.sh [DURATION=20s] [ROUNDS=3]
# NICE="chrt -f 1" runs server and load generator at real-time priority: the
# core to themselves whenever they are runnable, as on a dedicated core;
# SERVER_NICE / LOAD_NICE set one side alone (see lib.sh). SERVER_FLAGS
# (default "--cpu-threads 1 --worker-threads 1") with SERVER_CORE / LOAD_CORE
# measure another split, e.g. the whole machine shared by both sides:
#   SERVER_CORE=0,1 LOAD_CORE=0,1 SERVER_FLAGS="--cpu-threads 2 --worker-threads 1" bash bench/tail.sh
source "$(dirname "$0")/lib.sh"
DUR="${1:-20s}"; ROUNDS="${2:-3}"
SERVER_FLAGS="${SERVER_FLAGS:---cpu-threads 1 --worker-threads 1}"
BINS="${BINS:-$BIN}"
PORT=50172
sched() { cat /proc/"$SERVER_PID"/task/*/schedstat | awk '{r+=$1; w+=$2} END {print r/1e9, w/1e9}'; }
: >"$OUT/tail.tsv"
for r in $(seq "$ROUNDS"); do
  b=0
  for BIN in $BINS; do
    b=$((b + 1))
    start_server "$PORT" $SERVER_FLAGS
    loadgen --addr "127.0.0.1:$PORT" --rpc analyze --concurrency 8 --duration 10s --warmup 1s >"$OUT/tail-max-$b-$r.json"
    RATE=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['throughput_rps'] / 2))" "$OUT/tail-max-$b-$r.json")
    S0=$(sched)
    loadgen --addr "127.0.0.1:$PORT" --rpc analyze --rate "$RATE" --concurrency 256 --duration "$DUR" --warmup 2s \
      >"$OUT/tail-$b-$r.json"
    S1=$(sched)
    stop_server
    python3 - "$OUT/tail-$b-$r.json" $S0 $S1 "$b" "$r" "$BIN" >>"$OUT/tail.tsv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); l = d["latency_ms"]
r0, w0, r1, w1 = map(float, sys.argv[2:6])
print(sys.argv[6], sys.argv[7], d["target_rate"], d["ok"], d["requests"], l["p50"], l["p99"], l["p999"],
      round(l["p99"] / l["p50"], 2), round(r1 - r0, 2), round(w1 - w0, 2), sep="\t")
PY
    tail -1 "$OUT/tail.tsv" | awk -v bin="$BIN" '{printf "%s round %s: half-max %s/s ok %s/%s p50 %s p99 %s p99.9 %s ms p99/p50 %s; server cpu %s s, run-queue wait %s s\n", bin, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}' >&2
  done
done
python3 - "$OUT/tail.tsv" $BINS <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
for b, name in enumerate(sys.argv[2:], 1):
    rs = [r for r in rows if int(r[0]) == b]
    m = lambda i: statistics.median(float(r[i]) for r in rs)
    bad = sum(int(r[4]) - int(r[3]) for r in rs)
    print(f"{name}: median half-max {m(2):.0f}/s, p50 {m(5):.2f} p99 {m(6):.2f} p99.9 {m(7):.2f} ms, p99/p50 {m(8):.2f} "
          f"(rounds: {', '.join(r[8] for r in rs)}), not OK {bad} of {sum(int(r[4]) for r in rs)}, run-queue wait {m(10):.2f} s")
PY
