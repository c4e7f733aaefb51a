#!/usr/bin/env python3
"""Run the peer summarisers at a ratio of each article's sentences.

The peer harness (summarize_peers.py) takes only a fixed --sentences N. This
script computes, per article, the count a ratio asks for from the harness's
own sentence split (round(ratio * n), at least 1; articles of at most 3
sentences whole, as precis does), runs the unchanged harness once per distinct
count on the articles that need it, joins the outputs and scores them with
the harness's rouge_eval.

  PY=/tmp/peers-venv/bin/python
  $PY tools/peers_at_ratio.py --peers /work/shared/peers --input DATA.jsonl \
      --ratio 0.4 --out /tmp/peers-ratio [--systems lead,textrank,...]
"""
import argparse
import collections
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--ratio", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--systems", default="lead,lexrank,textrank,lsa,luhn,kl,sumbasic,newspaper")
    a = ap.parse_args()
    sys.path.insert(0, a.peers)
    import peers_common as pc
    import rouge_eval

    rows = pc.read_jsonl(a.input, None)
    groups = collections.defaultdict(list)
    for r in rows:
        n = sum(len(p) for p in pc.split_paragraphs(r.get("text", ""), "punkt"))
        k = n if n <= 3 else max(1, int(round(a.ratio * n)))
        groups[k].append(r)
    os.makedirs(a.out, exist_ok=True)
    hyps = collections.defaultdict(list)
    wall = collections.defaultdict(float)
    for k, rs in sorted(groups.items()):
        gdir = os.path.join(a.out, f"k{k}")
        gin = os.path.join(a.out, f"k{k}.jsonl")
        pc.write_jsonl(gin, rs)
        subprocess.run([sys.executable, os.path.join(a.peers, "summarize_peers.py"), "--input", gin, "--out", gdir,
                        "--sentences", str(k), "--systems", a.systems], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        res = json.load(open(os.path.join(gdir, "results.json")))
        for s in a.systems.split(","):
            hyps[s] += pc.read_jsonl(os.path.join(gdir, s + ".jsonl"), None)
            wall[s] += res["systems"][s]["wall_s"]
    out = {}
    for s in a.systems.split(","):
        pc.write_jsonl(os.path.join(a.out, s + ".jsonl"), hyps[s])
        sc = rouge_eval.score(rows, hyps[s])
        out[s] = {t: round(100 * sc[t]["f"], 2) for t in ("rouge1", "rouge2", "rougeLsum")}
        out[s]["n"] = sc["n"]
        out[s]["wall_s"] = round(wall[s], 2)
        print(s, out[s], file=sys.stderr)
    json.dump(out, open(os.path.join(a.out, "results.json"), "w"), indent=2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
