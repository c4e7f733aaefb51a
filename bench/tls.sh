#!/usr/bin/env bash
# What TLS costs the server: the same closed-loop Analyze load against a
# plaintext (h2c) server and a TLS server (ECDSA P-256 certificate, made here
# with openssl), in alternating rounds so both see the same machine noise.
# Both servers are pinned to SERVER_CORE (--cpu-threads 1 --worker-threads 1),
# the load generator to LOAD_CORE; only one server is loaded at a time.
# Reports requests/s and requests per server CPU-second (utime+stime from
# /proc over each run), the fair measure on a shared machine.
#   bash bench/tls.sh [ROUNDS=3] [DURATION=10s] [CONCURRENCY=8]
source "$(dirname "$0")/lib.sh"
ROUNDS="${1:-3}"; DUR="${2:-10s}"; CONC="${3:-8}"
PLAIN=50161; TLS=50162
CERTS="$OUT/tls-certs"; mkdir -p "$CERTS"
(
  cd "$CERTS"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 2 \
    -subj "/CN=precis bench CA" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
    -subj "/CN=localhost" 2>/dev/null
  printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" >ext.cnf
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
    -extfile ext.cnf 2>/dev/null
)
start_server "$PLAIN" --cpu-threads 1 --worker-threads 1 --metrics-addr off
PLAIN_PID=$SERVER_PID
PRECIS_LOG_FORMAT=json RUST_LOG=warn $NICE taskset -c "$SERVER_CORE" "$BIN" serve --addr "127.0.0.1:$TLS" \
  --cpu-threads 1 --worker-threads 1 --metrics-addr off \
  --tls-cert "$CERTS/server.crt" --tls-key "$CERTS/server.key" >"$OUT/server-$TLS.log" 2>&1 &
TLS_PID=$!
trap 'kill -TERM $PLAIN_PID $TLS_PID 2>/dev/null || true; wait 2>/dev/null || true' EXIT
TLS_ARGS=(--tls-ca "$CERTS/ca.crt" --tls-domain localhost)
taskset -c "$LOAD_CORE" "$BIN" loadgen --addr "127.0.0.1:$TLS" --wait-ready --timeout 10s "${TLS_ARGS[@]}" >/dev/null
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"; }
: >"$OUT/tls-plain.txt"; : >"$OUT/tls-tls.txt"; : >"$OUT/tls-plain-cpu.txt"; : >"$OUT/tls-tls-cpu.txt"
run() { # NAME PORT PID [loadgen flags...]
  local name="$1" port="$2" pid="$3"; shift 3
  local c0 c1
  c0=$(cpu_of "$pid")
  loadgen --addr "127.0.0.1:$port" --rpc analyze --concurrency "$CONC" --duration "$DUR" --warmup 0s "$@" \
    >"$OUT/tls-$name-$r.json"
  c1=$(cpu_of "$pid")
  json throughput_rps "$OUT/tls-$name-$r.json" >>"$OUT/tls-$name.txt"
  python3 -c "import sys; print(int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])))" \
    "$(json ok "$OUT/tls-$name-$r.json")" "$c0" "$c1" >>"$OUT/tls-$name-cpu.txt"
}
for r in $(seq "$ROUNDS"); do
  run plain "$PLAIN" "$PLAIN_PID"
  run tls "$TLS" "$TLS_PID" "${TLS_ARGS[@]}"
  echo "round $r: h2c $(tail -1 "$OUT/tls-plain.txt") req/s ($(tail -1 "$OUT/tls-plain-cpu.txt")/cpu-s)" \
    "tls $(tail -1 "$OUT/tls-tls.txt") req/s ($(tail -1 "$OUT/tls-tls-cpu.txt")/cpu-s)" >&2
done
P=$(median <"$OUT/tls-plain.txt"); T=$(median <"$OUT/tls-tls.txt")
PC=$(median <"$OUT/tls-plain-cpu.txt"); TC=$(median <"$OUT/tls-tls-cpu.txt")
python3 - "$P" "$T" "$PC" "$TC" "$CONC" <<'PY'
import sys
p, t, pc, tc, c = map(float, sys.argv[1:])
print(f"median Analyze c={int(c)}: h2c {p:.0f} req/s, {pc:.0f} req/cpu-s; TLS {t:.0f} req/s, {tc:.0f} req/cpu-s"
      f" = {tc/pc:.1%} of h2c per server CPU-second, {t/p:.1%} per wall second")
PY
