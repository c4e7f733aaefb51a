#!/usr/bin/env bash
# precis against a Python gRPC service wrapping sumy TextRank (bench/peer/),
# both pinned to SERVER_CORE, driven by the same load generator on LOAD_CORE.
# For each RPC in RPCS (default: Summarize — the peer only summarises — then
# Analyze): closed-loop maximum of each server, then open loop at each one's
# own half-maximum. Then the floor of each gRPC stack: Summarize of a
# one-sentence article at the closed-loop maximum.
# ROUNDS rounds alternate the two servers; medians are printed.
#   bash bench/peer.sh [DURATION=20s] [ROUNDS=1]
# Needs PEER_PY: a python with grpcio, grpcio-tools, sumy and nltk's Punkt
# model (NLTK_DATA). bench/peer/setup.sh makes one.
source "$(dirname "$0")/lib.sh"
DUR="${1:-20s}"; ROUNDS="${2:-1}"
RPCS="${RPCS:-summarize analyze}"
PEER_PY="${PEER_PY:-/tmp/load-peer-venv/bin/python}"
export NLTK_DATA="${NLTK_DATA:-/tmp/peers-venv/nltk_data}"
$NICE taskset -c "$SERVER_CORE" "$PEER_PY" "$ROOT/bench/peer/server.py" --addr 127.0.0.1:50161 >"$OUT/peer.log" 2>&1 &
PEER=$!
start_server 50162 --cpu-threads 1 --worker-threads 1
trap 'kill $PEER 2>/dev/null; stop_server' EXIT
for i in $(seq 50); do grep -q serving "$OUT/peer.log" && break; sleep 0.2; done
# One short sentence: what a call costs when the analysis costs ~nothing.
TINY="$OUT/tiny.jsonl"
echo '{"id": "tiny", "title": "", "text": "The council approved the new budget on Tuesday."}' >"$TINY"
report() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); l = d["latency_ms"]
print(f"{sys.argv[1].rsplit('/',1)[-1]}: ok {d['ok']}/{d['requests']} errors {d['errors']} {d['throughput_rps']:.1f}/s "
      f"p50 {l['p50']:.2f} p99 {l['p99']:.2f} p99.9 {l['p999']:.2f} ms", file=sys.stderr)
PY
}
rps() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['throughput_rps'])" "$1"; }
for r in $(seq "$ROUNDS"); do
  for rpc in $RPCS; do
    loadgen --addr 127.0.0.1:50161 --rpc "$rpc" --concurrency 4 --duration "$DUR" --warmup 3s >"$OUT/peer-$rpc-max-$r.json"
    report "$OUT/peer-$rpc-max-$r.json"
    loadgen --addr 127.0.0.1:50162 --rpc "$rpc" --concurrency 8 --duration "$DUR" --warmup 2s >"$OUT/precis-$rpc-max-$r.json"
    report "$OUT/precis-$rpc-max-$r.json"
    PR=$(python3 -c "print($(rps "$OUT/peer-$rpc-max-$r.json") / 2)")
    XR=$(python3 -c "print($(rps "$OUT/precis-$rpc-max-$r.json") / 2)")
    loadgen --addr 127.0.0.1:50161 --rpc "$rpc" --rate "$PR" --concurrency 64 --duration "$DUR" --warmup 3s \
      >"$OUT/peer-$rpc-half-$r.json"
    report "$OUT/peer-$rpc-half-$r.json"
    loadgen --addr 127.0.0.1:50162 --rpc "$rpc" --rate "$XR" --concurrency 256 --duration "$DUR" --warmup 2s \
      >"$OUT/precis-$rpc-half-$r.json"
    report "$OUT/precis-$rpc-half-$r.json"
  done
  DATA="$TINY" loadgen --addr 127.0.0.1:50161 --rpc summarize --concurrency 4 --duration "$DUR" --warmup 3s \
    >"$OUT/peer-floor-$r.json"
  report "$OUT/peer-floor-$r.json"
  DATA="$TINY" loadgen --addr 127.0.0.1:50162 --rpc summarize --concurrency 8 --duration "$DUR" --warmup 2s \
    >"$OUT/precis-floor-$r.json"
  report "$OUT/precis-floor-$r.json"
done
python3 - "$OUT" "$ROUNDS" $RPCS <<'PY'
import json, statistics, sys
o, rounds, rpcs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def med(name, f):
    return statistics.median(f(json.load(open(f"{o}/{name}-{r}.json"))) for r in range(1, rounds + 1))
rps = lambda d: d["throughput_rps"]
p = lambda q: (lambda d: d["latency_ms"][q])
for rpc in rpcs:
    pm, xm = med(f"peer-{rpc}-max", rps), med(f"precis-{rpc}-max", rps)
    ph, xh = med(f"peer-{rpc}-half", p("p99")), med(f"precis-{rpc}-half", p("p99"))
    print(f"{rpc}: max peer {pm:.1f}/s precis {xm:.0f}/s = {xm/pm:.1f}x; at own half-max: "
          f"p50 peer {med(f'peer-{rpc}-half', p('p50')):.2f} precis {med(f'precis-{rpc}-half', p('p50')):.2f} ms, "
          f"p99 peer {ph:.2f} precis {xh:.2f} ms = 1/{ph/xh:.0f}, "
          f"p99.9 peer {med(f'peer-{rpc}-half', p('p999')):.2f} precis {med(f'precis-{rpc}-half', p('p999')):.2f} ms")
pf, xf = med("peer-floor", rps), med("precis-floor", rps)
print(f"floor (one-sentence Summarize): peer {pf:.0f}/s precis {xf:.0f}/s ({1e6/xf:.0f} us of server core per call)")
PY
