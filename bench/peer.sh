#!/usr/bin/env bash
# precis against a Python gRPC service wrapping sumy TextRank (bench/peer/),
# both pinned to SERVER_CORE, driven by the same load generator on LOAD_CORE:
# closed-loop maximum of each, then open loop at each one's half-maximum.
#   bash bench/peer.sh [DURATION=20s]
# Needs PEER_PY: a python with grpcio, grpcio-tools, sumy and nltk's Punkt
# model (NLTK_DATA). bench/peer/setup.sh makes one.
source "$(dirname "$0")/lib.sh"
DUR="${1:-20s}"
PEER_PY="${PEER_PY:-/tmp/load-peer-venv/bin/python}"
export NLTK_DATA="${NLTK_DATA:-/tmp/peers-venv/nltk_data}"
$NICE taskset -c "$SERVER_CORE" "$PEER_PY" "$ROOT/bench/peer/server.py" --addr 127.0.0.1:50161 >"$OUT/peer.log" 2>&1 &
PEER=$!
start_server 50162 --cpu-threads 1 --worker-threads 1
trap 'kill $PEER 2>/dev/null; stop_server' EXIT
for i in $(seq 50); do grep -q serving "$OUT/peer.log" && break; sleep 0.2; done
report() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); l = d["latency_ms"]
print(f"{sys.argv[1].rsplit('/',1)[-1]}: ok {d['ok']}/{d['requests']} errors {d['errors']} {d['throughput_rps']:.1f}/s "
      f"p50 {l['p50']:.2f} p99 {l['p99']:.2f} p99.9 {l['p999']:.2f} ms")
PY
}
loadgen --addr 127.0.0.1:50161 --rpc analyze --concurrency 4 --duration "$DUR" --warmup 3s >"$OUT/peer-max.json"; report "$OUT/peer-max.json"
loadgen --addr 127.0.0.1:50162 --rpc analyze --concurrency 8 --duration "$DUR" --warmup 2s >"$OUT/precis-max.json"; report "$OUT/precis-max.json"
PR=$(python3 -c "import json; print(json.load(open('$OUT/peer-max.json'))['throughput_rps']/2)")
XR=$(python3 -c "import json; print(json.load(open('$OUT/precis-max.json'))['throughput_rps']/2)")
loadgen --addr 127.0.0.1:50161 --rpc analyze --rate "$PR" --concurrency 64 --duration "$DUR" --warmup 3s >"$OUT/peer-half.json"; report "$OUT/peer-half.json"
loadgen --addr 127.0.0.1:50162 --rpc analyze --rate "$XR" --concurrency 256 --duration "$DUR" --warmup 2s >"$OUT/precis-half.json"; report "$OUT/precis-half.json"
python3 - "$OUT" <<'PY'
import json, sys
o = sys.argv[1]; j = lambda n: json.load(open(f"{o}/{n}.json"))
pm, xm, ph, xh = j("peer-max"), j("precis-max"), j("peer-half"), j("precis-half")
print(f"throughput precis/peer = {xm['throughput_rps']/pm['throughput_rps']:.0f}x; "
      f"p99 at own half-max: precis {xh['latency_ms']['p99']:.2f} ms vs peer {ph['latency_ms']['p99']:.2f} ms "
      f"= 1/{ph['latency_ms']['p99']/xh['latency_ms']['p99']:.0f}")
PY
