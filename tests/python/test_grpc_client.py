"""The release binary through a plain Python gRPC client: what an outside
caller sees (generated stubs, health checking, status codes, shutdown).

The tests run in file order on one server; the last one shuts it down.
"""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

CLUTTER = ("Continue reading", "Leave a Reply", "Related Posts")


def test_health_serving_for_both_service_names(server):
    health = health_pb2_grpc.HealthStub(server.channel)
    for service in ("", "precis.v1.Precis"):
        r = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert r.status == health_pb2.HealthCheckResponse.SERVING, service


def test_analyze_seed_article(server, pb, seed_article):
    precis_pb2, precis_pb2_grpc = pb
    title, body = seed_article
    stub = precis_pb2_grpc.PrecisStub(server.channel)
    req = precis_pb2.AnalyzeRequest(
        article=precis_pb2.Article(id="seed-1", title=title, body=body, format=precis_pb2.FORMAT_TEXT),
    )
    resp = stub.Analyze(req, timeout=30)

    assert resp.id == "seed-1"
    assert not resp.HasField("error")
    sentences = resp.summary.sentences
    assert len(sentences) >= 1
    raw = body.encode("utf-8")
    for s in sentences:
        assert 0 <= s.byte_start < s.byte_end <= len(raw), s
        # Offsets are UTF-8 byte offsets into the body as sent.
        assert raw[s.byte_start : s.byte_end].decode("utf-8") == s.text
    for phrase in CLUTTER:
        assert phrase not in resp.summary.text
        for s in sentences:
            assert phrase not in s.text


def test_empty_body_is_invalid_argument(server, pb):
    precis_pb2, precis_pb2_grpc = pb
    stub = precis_pb2_grpc.PrecisStub(server.channel)
    with pytest.raises(grpc.RpcError) as err:
        stub.Analyze(precis_pb2.AnalyzeRequest(article=precis_pb2.Article(id="empty", body="")), timeout=10)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT, err.value


def test_sigterm_exits_zero(server):
    code = server.terminate()
    assert code == 0, server.logs()
