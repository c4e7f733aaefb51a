#!/usr/bin/env python3
"""Benchmark fixture, not part of precis: what a team would otherwise deploy —
a small Python gRPC service (grpcio) wrapping sumy's TextRank summariser,
speaking precis's own API (precis.v1.Precis) so the same load generator can
drive both.

  server.py [--addr 127.0.0.1:50061] [--workers 4] [--sentences 3]

Implements Analyze and Summarize (summary only: sumy has no tagger; topics and
keyphrases are left empty, which flatters this peer). Stubs are generated
from ../../proto at start-up with grpc_tools (into a temporary folder).
Needs: grpcio, grpcio-tools, sumy, nltk with the Punkt English model
(NLTK_DATA=<peers venv>/nltk_data). See bench/serving.sh for the setup.
"""
import argparse
import importlib
import os
import sys
import tempfile
import time
from concurrent import futures

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "proto"))


def load_stubs():
    out = tempfile.mkdtemp(prefix="precis-peer-")
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    for proto in ("precis/v1/precis.proto", "google/rpc/status.proto"):
        rc = protoc.main(["protoc", f"-I{PROTO_ROOT}", f"-I{include}", f"--python_out={out}",
                          f"--grpc_python_out={out}", proto])
        if rc != 0:
            sys.exit(f"protoc failed on {proto}")
    sys.path.insert(0, out)
    return importlib.import_module("precis.v1.precis_pb2"), importlib.import_module("precis.v1.precis_pb2_grpc")


pb, pb_grpc = load_stubs()

from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.nlp.tokenizers import Tokenizer  # noqa: E402
from sumy.parsers.plaintext import PlaintextParser  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402


class Peer(pb_grpc.PrecisServicer):
    def __init__(self, sentences):
        self.sentences = sentences
        self.tokenizer = Tokenizer("english")
        self.summarizer = TextRankSummarizer(Stemmer("english"))
        self.summarizer.stop_words = get_stop_words("english")

    def _summary(self, article, context):
        if not article.body.strip():
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "article.body is empty")
        doc = PlaintextParser.from_string(article.body, self.tokenizer).document
        picked = self.summarizer(doc, self.sentences)
        sents = [pb.Sentence(text=str(s), index=i) for i, s in enumerate(picked)]
        return pb.Summary(sentences=sents, text=" ".join(str(s) for s in picked),
                          total_sentences=len(doc.sentences))

    def Analyze(self, request, context):
        a = request.article
        return pb.AnalyzeResponse(id=a.id, language="en", summary=self._summary(a, context), title=a.title)

    def Summarize(self, request, context):
        a = request.article
        return pb.SummarizeResponse(id=a.id, language="en", summary=self._summary(a, context))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--addr", default="127.0.0.1:50061")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--sentences", type=int, default=3)
    a = ap.parse_args()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=a.workers),
                         options=[("grpc.max_receive_message_length", 2 << 20)])
    pb_grpc.add_PrecisServicer_to_server(Peer(a.sentences), server)
    server.add_insecure_port(a.addr)
    server.start()
    print(f"peer serving on {a.addr} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
