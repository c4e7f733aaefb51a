#!/usr/bin/env bash
# Makes the peer's venv: the peers harness venv (sumy, nltk + Punkt) seen
# through a .pth file, plus grpcio and grpcio-tools.
#   PEERS_VENV=/tmp/peers-venv PEER_VENV=/tmp/load-peer-venv bash bench/peer/setup.sh
set -euo pipefail
PEERS_VENV="${PEERS_VENV:-/tmp/peers-venv}"
PEER_VENV="${PEER_VENV:-/tmp/load-peer-venv}"
[ -x "$PEERS_VENV/bin/python" ] || { echo "make the peers venv first (shared/peers/setup.sh)" >&2; exit 1; }
python3 -m venv "$PEER_VENV"
"$PEER_VENV/bin/pip" install -q grpcio grpcio-tools
SP=$("$PEERS_VENV/bin/python" -c 'import site; print(site.getsitepackages()[0])')
MY=$("$PEER_VENV/bin/python" -c 'import site; print(site.getsitepackages()[0])')
echo "$SP" >"$MY/peers.pth"
"$PEER_VENV/bin/python" -c 'import grpc, sumy, nltk; print("peer venv ready:", grpc.__version__)'
