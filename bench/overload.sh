#!/usr/bin/env bash
# Overload: offer 3x the sustainable rate to one server core and check that
# admission sheds the excess fast while the admitted calls keep their latency,
# that memory stays bounded, and that throughput recovers when the load drops.
#   server pinned to core SERVER_CORE (--cpu-threads 1 --worker-threads 1),
#   load generator pinned to core LOAD_CORE (as bench/throughput.sh).
# Steps, for each concurrency limit in LIMITS ("default" = no flag):
#   1. closed-loop maximum of Analyze, concurrency 8, ROUNDS rounds (median; once, with the default limit);
#   2. unloaded latency: open loop at 0.1 x max for PHASE;
#   3. overload: open loop at 3 x max for PHASE;
#   steps 2 and 3 alternate ROUNDS times (other processes on a shared core inflate
#   single rounds' tails), the figures are medians over rounds;
#   4. recovery: 3 x max for PHASE, then 0.5 x max for PHASE in the same run (per-second counts);
#   server VmHWM after each step.
#   bash bench/overload.sh [PHASE=10s] [ROUNDS=3] [LIMITS="default"]
# e.g. LIMITS sweep: bash bench/overload.sh 10s 3 "default 32 16 8 4"
source "$(dirname "$0")/lib.sh"
PHASE="${1:-10s}"; ROUNDS="${2:-3}"; LIMITS="${3:-default}"
PORT=20161   # outside the ephemeral range (see bench/drain.sh)
IN_FLIGHT=16384   # the load generator never holds calls back: all of the excess reaches the server
trap 'stop_server 2>/dev/null || true' EXIT

serve() {
  if [ "$1" = default ]; then start_server "$PORT" --cpu-threads 1 --worker-threads 1 --metrics-addr off
  else start_server "$PORT" --cpu-threads 1 --worker-threads 1 --metrics-addr off --concurrency-limit "$1"; fi
}

serve default
: >"$OUT/overload-max.txt"
for r in $(seq "$ROUNDS"); do
  loadgen --addr "127.0.0.1:$PORT" --rpc analyze --concurrency 8 --duration 8s --warmup 1s >"$OUT/overload-max-$r.json"
  json throughput_rps "$OUT/overload-max-$r.json" >>"$OUT/overload-max.txt"
done
stop_server
MAX=$(median <"$OUT/overload-max.txt")
HI=$(python3 -c "print(round(3*$MAX))"); LO=$(python3 -c "print(round(0.5*$MAX))"); IDLE=$(python3 -c "print(round(0.1*$MAX))")
echo "closed-loop max (median of $ROUNDS): $MAX/s; unloaded rate $IDLE/s, overload $HI/s, after the drop $LO/s" >&2

for L in $LIMITS; do
  serve "$L"
  H0=$(rss_kb "$SERVER_PID" VmHWM)
  for r in $(seq "$ROUNDS"); do
    loadgen --addr "127.0.0.1:$PORT" --rate "$IDLE" --concurrency "$IN_FLIGHT" --duration "$PHASE" --warmup 1s \
      >"$OUT/overload-$L-idle-$r.json"
    H1=$(rss_kb "$SERVER_PID" VmHWM)
    loadgen --addr "127.0.0.1:$PORT" --rate "$HI" --concurrency "$IN_FLIGHT" --connections 4 --duration "$PHASE" --warmup 1s \
      >"$OUT/overload-$L-3x-$r.json"
    H2=$(rss_kb "$SERVER_PID" VmHWM)
  done
  loadgen --addr "127.0.0.1:$PORT" --rate "$HI" --concurrency "$IN_FLIGHT" --connections 4 --duration "$PHASE" --warmup 0s \
    --phase "$LO@$PHASE" >"$OUT/overload-$L-drop.json"
  H3=$(rss_kb "$SERVER_PID" VmHWM)
  stop_server
  python3 - "$OUT" "$L" "$MAX" "$H0" "$H1" "$H2" "$H3" "$PHASE" "$ROUNDS" <<'PY'
import json, statistics, sys
out, lim, mx, h0, h1, h2, h3, phase, rounds = sys.argv[1:]
dr = json.load(open(f"{out}/overload-{lim}-drop.json"))
def st(d, code):
    return d["latency_by_status_ms"].get(code, {"count": 0, "p50": 0, "p99": 0, "max": 0})
ratios = []
for r in range(1, int(rounds) + 1):
    idle = json.load(open(f"{out}/overload-{lim}-idle-{r}.json"))
    ov = json.load(open(f"{out}/overload-{lim}-3x-{r}.json"))
    u = st(idle, "OK"); ok = st(ov, "OK"); rx = st(ov, "RESOURCE_EXHAUSTED")
    ratios.append(ok["p99"] / max(u["p99"], 1e-9))
    other = {k: v for k, v in ov["errors"].items() if k != "RESOURCE_EXHAUSTED"}
    print(f"limit {lim} round {r}: unloaded {idle['target_rate']:.0f}/s OK p50 {u['p50']:.2f} p99 {u['p99']:.2f} ms"
      f" (errors {idle['errors'] or 0}) | 3x {ov['target_rate']:.0f}/s: OK {ov['ok']/ov['duration_s']:.0f}/s"
      f" p50 {ok['p50']:.2f} p99 {ok['p99']:.2f} max {ok['max']:.2f} ms = {ok['p99']/max(u['p99'],1e-9):.2f}x unloaded p99;"
      f" RESOURCE_EXHAUSTED {rx['count']/ov['duration_s']:.0f}/s p50 {rx['p50']:.2f} p99 {rx['p99']:.2f} max {rx['max']:.2f} ms;"
      f" other errors {other or 0}")
print(f"limit {lim}: median admitted p99 / unloaded p99 over {rounds} rounds {statistics.median(ratios):.2f}x;"
      f" VmHWM kB start {h0} unloaded {h1} 3x {h2} drop {h3}")
secs = [s for s in dr["per_second"]]
p = float(phase.rstrip("s"))
row = lambda s: f"{s['s']}:{s['ok']}" + (f"/{sum(s['errors'].values())}" if s["errors"] else "")
print(f"  per second OK/refused, 3x for {phase} then {dr['target_rate']/6:.0f}/s: " + " ".join(row(s) for s in secs))
PY
done
