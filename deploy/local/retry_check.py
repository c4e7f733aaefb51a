"""The replica-kill run with a Python grpcio client whose channel carries the
service config of deploy/README.md (retryPolicy: UNAVAILABLE, maxAttempts 3),
so the retries are grpc-core's own, not the load generator's.

Sends Analyze calls at RATE per second (open loop, futures) for DURATION
seconds through the balancer and prints one JSON line: calls, ok, failed by
status. Run by deploy/local/replicas.sh (RETRIES containing "py"); needs
grpcio and grpcio-tools (tests/python/requirements.txt).

    python retry_check.py ADDR DATA RATE DURATION
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import grpc
from grpc_tools import protoc

REPO = Path(__file__).resolve().parents[2]
SERVICE_CONFIG = {
    "methodConfig": [{
        "name": [{"service": "precis.v1.Precis"}],
        "timeout": "10s",
        "retryPolicy": {
            "maxAttempts": 3,
            "initialBackoff": "0.1s",
            "maxBackoff": "1s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }],
}


def stubs():
    out = tempfile.mkdtemp(prefix="precis-stubs-")
    wkt = Path(protoc.__file__).resolve().parent / "_proto"
    rc = protoc.main(["protoc", f"-I{REPO / 'proto'}", f"-I{wkt}", f"--python_out={out}",
                      f"--grpc_python_out={out}", "precis/v1/precis.proto", "google/rpc/status.proto"])
    if rc != 0:
        sys.exit(f"protoc failed with {rc}")
    sys.path.insert(0, out)
    from precis.v1 import precis_pb2, precis_pb2_grpc  # noqa: E402
    return precis_pb2, precis_pb2_grpc


def main() -> None:
    addr, data, rate, duration = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    pb, pb_grpc = stubs()
    arts = [json.loads(l) for l, _ in zip(open(data), range(500))]
    reqs = [pb.AnalyzeRequest(article=pb.Article(id=str(a.get("id", "")), title=a.get("title", ""), body=a["text"]))
            for a in arts]
    channel = grpc.insecure_channel(addr, options=[("grpc.service_config", json.dumps(SERVICE_CONFIG)),
                                                   ("grpc.enable_retries", 1)])
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = pb_grpc.PrecisStub(channel)
    outcomes: Counter = Counter()
    lock = threading.Lock()
    pending = []

    def done(f):
        code = f.code()
        with lock:
            outcomes[code.name] += 1

    start = time.monotonic()
    k = 0
    while True:
        due = start + k / rate
        if due >= start + duration:
            break
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        f = stub.Analyze.future(reqs[k % len(reqs)])
        f.add_done_callback(done)
        pending.append(f)
        k += 1
    for f in pending:
        try:
            f.result()
        except grpc.RpcError:
            pass
    time.sleep(0.1)
    ok = outcomes.pop("OK", 0)
    print(json.dumps({"calls": k, "ok": ok, "failed": dict(outcomes)}))


if __name__ == "__main__":
    main()
