"""Fixtures for the outside-client test: Python stubs generated from proto/ at
test time, and the release binary serving on a free loopback port.

Environment:
  PRECIS_BIN  the binary to run (default: target/release/precis in the repo).
"""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[2]
PROTO_DIR = REPO / "proto"
SEED = REPO / "tests" / "data" / "seed-article.txt"
STARTUP_TIMEOUT_S = 60.0
# --shutdown-grace (20 s by default) plus margin for a slow machine.
EXIT_TIMEOUT_S = 30.0


@pytest.fixture(scope="session")
def pb(tmp_path_factory):
    """Generates precis/v1 and google/rpc stubs with grpc_tools.protoc and
    imports them; returns (precis_pb2, precis_pb2_grpc)."""
    from grpc_tools import protoc

    out = tmp_path_factory.mktemp("stubs")
    # grpc_tools ships the well-known types (google/protobuf/any.proto, which
    # google/rpc/status.proto imports).
    wkt = Path(protoc.__file__).resolve().parent / "_proto"
    protos = ["precis/v1/precis.proto", "google/rpc/status.proto"]
    rc = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{PROTO_DIR}",
            f"-I{wkt}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            *protos,
        ]
    )
    assert rc == 0, f"protoc failed with {rc}"
    sys.path.insert(0, str(out))
    # The generated google/rpc package joins the installed `google` namespace
    # package (google.protobuf); drop a cached `google` so both are seen.
    importlib.invalidate_caches()
    precis_pb2 = importlib.import_module("precis.v1.precis_pb2")
    precis_pb2_grpc = importlib.import_module("precis.v1.precis_pb2_grpc")
    return precis_pb2, precis_pb2_grpc


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The release binary serving on 127.0.0.1:port."""

    def __init__(self, binary: Path, port: int, log: Path):
        self.binary = binary
        self.port = port
        self.target = f"127.0.0.1:{port}"
        self.log = log
        self._log_file = open(log, "wb")
        env = dict(os.environ, PRECIS_LOG_FORMAT="text", RUST_LOG="info")
        self.proc = subprocess.Popen(
            # No metrics listener: the default 0.0.0.0:9090 may be taken by
            # another server on the machine.
            [str(binary), "serve", "--addr", self.target, "--metrics-addr", "off"],
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self.channel = grpc.insecure_channel(self.target)

    def logs(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def wait_serving(self, service: str = "precis.v1.Precis") -> None:
        """Polls grpc.health.v1 Check until SERVING, failing early if the
        process exits."""
        health = health_pb2_grpc.HealthStub(self.channel)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited with {self.proc.returncode}:\n{self.logs()}")
            try:
                r = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=1.0)
                last = health_pb2.HealthCheckResponse.ServingStatus.Name(r.status)
                if r.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError as e:
                last = e.code()
            time.sleep(0.1)
        pytest.fail(f"not SERVING after {STARTUP_TIMEOUT_S} s (last: {last}):\n{self.logs()}")

    def terminate(self) -> int:
        """Sends SIGTERM and returns the exit code."""
        self.channel.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=EXIT_TIMEOUT_S)
        finally:
            self._log_file.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = Path(os.environ.get("PRECIS_BIN", REPO / "target" / "release" / "precis"))
    if not binary.is_file():
        pytest.fail(f"{binary} not found: build it with `cargo build --release` (or set PRECIS_BIN)")
    log = tmp_path_factory.mktemp("server") / "precis.log"
    srv = Server(binary, free_port(), log)
    try:
        srv.wait_serving()
        yield srv
    finally:
        srv.kill()


@pytest.fixture(scope="session")
def seed_article():
    """(title, body) of the seed article: the first line is the title, the
    rest, byte for byte, the body."""
    text = SEED.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    return title.strip(), body
