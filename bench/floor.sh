#!/usr/bin/env bash
# Per-call cost of the gRPC stack on one server core, side by side for
# several builds: closed-loop Summarize of a one-sentence article (the
# "floor": the analysis costs next to nothing) and of the BBC articles, with
# the server's CPU time per call (/proc utime+stime over the run) and the
# load generator's share of its own core.
#   BINS="/path/a /path/b" bash bench/floor.sh [DURATION=10s] [ROUNDS=3] [CONCURRENCY=8]
# Rounds alternate the builds; medians are printed per build.
source "$(dirname "$0")/lib.sh"
DUR="${1:-10s}"; ROUNDS="${2:-3}"; CONC="${3:-8}"
BINS="${BINS:-$BIN}"
TINY="$OUT/tiny.jsonl"
echo '{"id": "tiny", "title": "", "text": "The council approved the new budget on Tuesday."}' >"$TINY"
PORT=50171
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"; }
: >"$OUT/floor.tsv"
for r in $(seq "$ROUNDS"); do
  b=0
  for BIN in $BINS; do
    b=$((b + 1))
    start_server "$PORT" --cpu-threads 1 --worker-threads 1
    for kind in tiny bbc; do
      data="$DATA"; [ "$kind" = tiny ] && data="$TINY"
      C0=$(cpu_of "$SERVER_PID")
      DATA="$data" /usr/bin/time -f 'loadgen-cpu %U %S %e' -o "$OUT/lg-time" \
        $NICE taskset -c "$LOAD_CORE" "$BIN" loadgen --data "$data" --addr "127.0.0.1:$PORT" --rpc summarize \
        --concurrency "$CONC" --duration "$DUR" --warmup 0s >"$OUT/floor-$kind-$b-$r.json"
      C1=$(cpu_of "$SERVER_PID")
      python3 - "$OUT/floor-$kind-$b-$r.json" "$C0" "$C1" "$OUT/lg-time" "$kind" "$b" "$r" >>"$OUT/floor.tsv" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); c = float(sys.argv[3]) - float(sys.argv[2])
u, s, e = map(float, open(sys.argv[4]).read().split()[1:4])
l = d["latency_ms"]
print(sys.argv[5], sys.argv[6], sys.argv[7], d["ok"], d["requests"], f"{d['throughput_rps']:.0f}",
      f"{d['ok']/c:.0f}" if c > 0 else "nan", f"{1e6*c/max(d['ok'],1):.1f}", f"{(u+s)/e:.2f}",
      f"{l['p50']:.3f}", f"{l['p99']:.3f}", sep="\t")
PY
      tail -1 "$OUT/floor.tsv" | awk -v bin="$BIN" '{printf "%s %-5s round %s: ok %s/%s %s calls/s, %s calls/server-cpu-s (%s us/call), loadgen core %s, p50 %s p99 %s ms\n", bin, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11}' >&2
    done
    stop_server
  done
done
python3 - "$OUT/floor.tsv" $BINS <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
for b, name in enumerate(sys.argv[2:], 1):
    for kind in ("tiny", "bbc"):
        rs = [r for r in rows if r[0] == kind and int(r[1]) == b]
        if not rs: continue
        m = lambda i: statistics.median(float(r[i]) for r in rs)
        print(f"{name} {kind}: median {m(5):.0f} calls/s, {m(6):.0f} calls/server-cpu-s ({m(7):.1f} us/call), loadgen core {m(8):.2f}, p50 {m(9):.3f} p99 {m(10):.3f} ms")
PY
