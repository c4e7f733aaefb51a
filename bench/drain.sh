#!/usr/bin/env bash
# Graceful drain under load: SIGTERM the server while an open-loop load runs,
# then count, from the server's own log (one line per call, with its gRPC
# status) and from the load generator's report:
#   - calls in flight at the signal, and how those ended (all must be OK);
#   - calls arriving after the signal (all must get UNAVAILABLE);
#   - the exit code and the time from SIGTERM to exit (must be within --shutdown-grace).
# Server pinned to SERVER_CORE (--cpu-threads 1 --worker-threads 1), load to LOAD_CORE.
# Each RATE is one run: load for DURATION, SIGTERM after SIGNAL_AT.
#   bash bench/drain.sh [RATES="900 3600"] [DURATION=8s] [SIGNAL_AT=3]
# (900/s is about half the one-core maximum; 3600/s twice it, so the admission
# queue is full at the signal.)
source "$(dirname "$0")/lib.sh"
RATES="${1:-900 3600}"; DUR="${2:-8s}"; SIGNAL_AT="${3:-3}"
PORT=20162   # outside the ephemeral range: clients retrying a closed port can self-connect to it
GRACE=20s
for RATE in $RATES; do
  LOG="$OUT/drain-$RATE-server.log"
  # Info level: the server logs every call, so the log shows what happened around the signal.
  PRECIS_LOG_FORMAT=json RUST_LOG=info $NICE taskset -c "$SERVER_CORE" "$BIN" serve --addr "127.0.0.1:$PORT" \
    --cpu-threads 1 --worker-threads 1 --metrics-addr off --shutdown-grace "$GRACE" >"$LOG" 2>&1 &
  SERVER_PID=$!
  taskset -c "$LOAD_CORE" "$BIN" loadgen --addr "127.0.0.1:$PORT" --wait-ready --timeout 10s >/dev/null
  loadgen --addr "127.0.0.1:$PORT" --rate "$RATE" --concurrency 16384 --duration "$DUR" --warmup 0s --timeout 30s \
    >"$OUT/drain-$RATE.json" &
  LOAD_PID=$!
  sleep "$SIGNAL_AT"
  T0=$(date +%s.%N)
  kill -TERM "$SERVER_PID"
  set +e; wait "$SERVER_PID"; CODE=$?; set -e
  T1=$(date +%s.%N)
  wait "$LOAD_PID"
  python3 - "$LOG" "$OUT/drain-$RATE.json" "$RATE" "$CODE" "$T0" "$T1" "$GRACE" <<'PY'
import json, sys
from collections import Counter
log, rep, rate, code, t0, t1, grace = sys.argv[1:]
signal_at = None; in_flight = None; before = Counter(); after = Counter()
for line in open(log):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    f = d.get("fields", d)
    msg = f.get("message", "")
    if msg.startswith("shutdown requested"):
        signal_at = True; in_flight = f.get("in_flight")
        continue
    if msg in ("request finished", "request failed") and "grpc_status" in f:
        (after if signal_at else before)[str(f["grpc_status"])] += 1
    elif msg == "request failed in transport":
        (after if signal_at else before)["transport"] += 1
names = {"0": "OK", "8": "RESOURCE_EXHAUSTED", "14": "UNAVAILABLE"}
fmt = lambda c: ", ".join(f"{names.get(k, k)} {v}" for k, v in sorted(c.items())) or "none"
r = json.load(open(rep))
other = {k: v for k, v in r["errors"].items() if k not in ("UNAVAILABLE", "RESOURCE_EXHAUSTED")}
print(f"rate {rate}/s: in flight at SIGTERM {in_flight}; server log before SIGTERM: {fmt(before)}; "
      f"after SIGTERM: {fmt(after)}; exit code {code} after {float(t1) - float(t0):.3f} s (grace {grace})")
print(f"  client: {r['requests']} calls, OK {r['ok']}, RESOURCE_EXHAUSTED {r['errors'].get('RESOURCE_EXHAUSTED', 0)}, "
      f"UNAVAILABLE {r['errors'].get('UNAVAILABLE', 0)}, other {other or 0}; of the failures, {r['transport_errors']} "
      f"without a status from the server (connection closed or refused, after the drain)")
PY
done
