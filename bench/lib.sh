# Shared helpers for the serving benchmarks (sourced, not run).
# BIN: the release binary; DATA: the articles; OUT: where reports go.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$ROOT/target/release/precis}"
DATA="${DATA:-$ROOT/../shared/data/sum-bbcnewssummary-all.jsonl}"
[ -f "$DATA" ] || DATA=/work/shared/data/sum-bbcnewssummary-all.jsonl
OUT="${OUT:-/tmp/precis-bench}"
NICE="${NICE:-nice -n -5}"
$NICE true 2>/dev/null || NICE=""
# SERVER_NICE / LOAD_NICE: the server's and the load generator's own
# scheduling (default NICE for both), e.g. SERVER_NICE="chrt -f 1" alone.
SERVER_NICE="${SERVER_NICE:-$NICE}"
LOAD_NICE="${LOAD_NICE:-$NICE}"
SERVER_CORE="${SERVER_CORE:-0}"
LOAD_CORE="${LOAD_CORE:-1}"
mkdir -p "$OUT"

# start_server PORT [serve flags...]: the server pinned to SERVER_CORE; sets SERVER_PID.
# SERVER_LOG: its RUST_LOG (default warn: no line per call).
start_server() {
  local port="$1"; shift
  PRECIS_LOG_FORMAT=json RUST_LOG="${SERVER_LOG:-warn}" $SERVER_NICE taskset -c "$SERVER_CORE" "$BIN" serve --addr "127.0.0.1:$port" "$@" \
    >"$OUT/server-$port.log" 2>&1 &
  SERVER_PID=$!
  taskset -c "$LOAD_CORE" "$BIN" loadgen --addr "127.0.0.1:$port" --wait-ready --timeout 10s >/dev/null
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# loadgen ARGS...: the load generator pinned to LOAD_CORE.
loadgen() {
  $LOAD_NICE taskset -c "$LOAD_CORE" "$BIN" loadgen --data "$DATA" "$@"
}

# rss_kb PID FIELD: VmRSS or VmHWM of a process, in kB.
rss_kb() { awk -v f="$2:" '$1==f {print $2}' "/proc/$1/status"; }

# median of numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# json FIELD FILE: a field of a loadgen report (dotted path).
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); [d:=d[k] for k in sys.argv[1].split('.')]; print(d)" "$1" "$2"; }
