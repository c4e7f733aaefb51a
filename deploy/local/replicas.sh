#!/usr/bin/env bash
# Three precis replicas on loopback behind nginx (gRPC, round robin), a load
# through nginx, one replica killed with SIGKILL mid-run and restarted later.
# Reports failed calls per run, and per replica the calls it answered before the
# kill and after the restart (the restarted replica must get traffic again).
#   bash deploy/local/replicas.sh [RATE=400] [DURATION=20s] [KILL_AT=6] [RESTART_AT=12] [RETRIES="0 2"]
# Each value in RETRIES is one run with `precis loadgen --retries N` (see deploy/README.md);
# "py" is a run with the Python grpcio client of retry_check.py instead, its retries done
# by grpc-core from the service config in deploy/README.md (PY: a python with grpcio and
# grpcio-tools, e.g. the .venv-test/ of scripts/test-all.sh).
# REPLICA_FLAGS: extra `precis serve` flags, by default --concurrency-limit 64: three replicas,
# nginx and the load share the machine, and a replica starved of CPU for a moment would shed
# calls (RESOURCE_EXHAUSTED) that have nothing to do with the kill; set REPLICA_FLAGS= for the
# default limit. Failures other than RESOURCE_EXHAUSTED are the ones the kill caused.
# SIGNAL=TERM sends SIGTERM instead of SIGKILL (a graceful drain: UNAVAILABLE for new calls).
# Needs nginx (`apt-get install nginx-light` on Debian) and target/release/precis.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${BIN:-$ROOT/target/release/precis}"
DATA="${DATA:-$ROOT/../shared/data/sum-bbcnewssummary-all.jsonl}"
[ -f "$DATA" ] || DATA=/work/shared/data/sum-bbcnewssummary-all.jsonl
RATE="${1:-400}"; DUR="${2:-20s}"; KILL_AT="${3:-6}"; RESTART_AT="${4:-12}"; RETRIES="${5:-0 2}"
# Ports below the ephemeral range (32768-60999): a client that keeps connecting to a
# dead replica's port in that range can end up connected to itself and hold the port.
PORT="${PORT:-20180}"; PORTS=(20181 20182 20183); METRICS=(20191 20192 20193)
PY="${PY:-python3}"; SIGNAL="${SIGNAL:-KILL}"; REPLICA_FLAGS="${REPLICA_FLAGS---concurrency-limit 64}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
[ -x "$NGINX" ] || { echo "nginx not found: apt-get install -y nginx-light" >&2; exit 1; }
DIR="$(mktemp -d /tmp/precis-replicas.XXXXXX)"
declare -A PIDS=()
NGINX_PID=""

start_replica() {  # start_replica INDEX
  local i="$1"
  PRECIS_LOG_FORMAT=json RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:${PORTS[$i]}" \
    --metrics-addr "127.0.0.1:${METRICS[$i]}" --cpu-threads 1 --worker-threads 1 $REPLICA_FLAGS >>"$DIR/replica-$i.log" 2>&1 &
  PIDS[$i]=$!
  "$BIN" loadgen --addr "127.0.0.1:${PORTS[$i]}" --wait-ready --timeout 20s >/dev/null
}
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
# ok_calls INDEX: OK calls a replica has answered (its Prometheus counter), 0 if it is down.
ok_calls() {
  python3 - "${METRICS[$1]}" <<'PY'
import sys, urllib.request
try:
    body = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=2).read().decode()
except OSError:
    print(0); sys.exit()
print(int(sum(float(l.rsplit(" ", 1)[1]) for l in body.splitlines()
              if l.startswith("precis_requests_total{") and 'code="OK"' in l and "Analyze" in l)))
PY
}

for i in 0 1 2; do start_replica "$i"; done
sed -e "s#@DIR@#$DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@R1@#${PORTS[0]}#" -e "s#@R2@#${PORTS[1]}#" -e "s#@R3@#${PORTS[2]}#" \
  "$ROOT/deploy/local/nginx.conf.in" >"$DIR/nginx.conf"
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -t 2>"$DIR/nginx-test.log" || { cat "$DIR/nginx-test.log" >&2; exit 1; }
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf" &
NGINX_PID=$!
"$BIN" loadgen --addr "127.0.0.1:$PORT" --wait-ready --timeout 10s >/dev/null
echo "3 replicas on ${PORTS[*]} behind nginx on $PORT ($DIR)" >&2

for N in $RETRIES; do
  if [ "$N" = py ]; then
    sleep 1
    "$PY" "$ROOT/deploy/local/retry_check.py" "127.0.0.1:$PORT" "$DATA" "$RATE" "${DUR%s}" >"$DIR/load-retries-$N.json" &
    LOAD=$!
    sleep "$KILL_AT"
  else
    "$BIN" loadgen --addr "127.0.0.1:$PORT" --data "$DATA" --rate "$RATE" --concurrency 4096 --connections 4 \
      --duration "$DUR" --warmup 1s --timeout 10s --retries "$N" >"$DIR/load-retries-$N.json" &
    LOAD=$!
    sleep $((KILL_AT + 1))   # + the 1 s warm-up
  fi
  BEFORE=($(ok_calls 0) $(ok_calls 1) $(ok_calls 2))
  kill -"$SIGNAL" "${PIDS[1]}"; wait "${PIDS[1]}" 2>/dev/null || true
  echo "retries $N: SIG$SIGNAL replica 1 (port ${PORTS[1]}) at ${KILL_AT}s; OK calls so far per replica: ${BEFORE[*]}" >&2
  sleep $((RESTART_AT - KILL_AT))
  start_replica 1
  AT_RESTART=($(ok_calls 0) $(ok_calls 1) $(ok_calls 2))
  wait "$LOAD"
  AFTER=($(ok_calls 0) $(ok_calls 1) $(ok_calls 2))
  python3 - "$DIR/load-retries-$N.json" "$N" "$KILL_AT" "$RESTART_AT" "${AT_RESTART[*]}" "${AFTER[*]}" <<'PY'
import json, sys
rep, n, kill_at, restart_at, at_restart, after = sys.argv[1:]
r = json.load(open(rep))
at_restart = list(map(int, at_restart.split())); after = list(map(int, after.split()))
since = [a - b for a, b in zip(after, at_restart)]
if n == "py":
    failed = sum(r["failed"].values())
    kill = failed - r["failed"].get("RESOURCE_EXHAUSTED", 0)
    print(f"python grpcio, service-config retries (maxAttempts 3): {r['calls']} calls, OK {r['ok']}, "
          f"failed {failed} ({100 * failed / max(r['calls'], 1):.3f} %) {r['failed'] or ''}; "
          f"other than RESOURCE_EXHAUSTED {kill} ({100 * kill / max(r['calls'], 1):.3f} %)")
    print(f"  calls answered per replica after the restart at {restart_at}s: {since} (replica 1 is the restarted one)")
    sys.exit()
failed = r["requests"] - r["ok"]
kill = failed - r["errors"].get("RESOURCE_EXHAUSTED", 0)
print(f"retries {n}: {r['requests']} calls at {r['target_rate']:.0f}/s, OK {r['ok']}, failed {failed} "
      f"({100 * failed / max(r['requests'], 1):.3f} %) {r['errors'] or ''}, other than RESOURCE_EXHAUSTED {kill} "
      f"({100 * kill / max(r['requests'], 1):.3f} %), transport errors {r['transport_errors']}, "
      f"retries made {r['retries']}, calls saved by a retry {r['recovered']}; "
      f"OK p50 {r['latency_by_status_ms'].get('OK', {}).get('p50', 0):.2f} p99 {r['latency_by_status_ms'].get('OK', {}).get('p99', 0):.2f} ms")
print(f"  calls answered per replica after the restart at {restart_at}s: {since} (replica 1 is the restarted one)")
bad = [s for s in r["per_second"] if s["errors"]]
print("  seconds with failures (s: errors): " + (", ".join(f"{s['s']}: {s['errors']}" for s in bad) or "none"))
PY
done
