#!/usr/bin/env bash
# Rebuilds the built-in taxonomies (models/news.ptm, models/reuters.ptm) with
# `precis train`. Deterministic: the same data gives byte-identical files.
#
#   bash models/build.sh            # data from ../shared/data (beside the repo)
#   PRECIS_DATA=/path/to/data bash models/build.sh
#
# news    = AG News + BBC training splits, labels mapped onto one set:
#           AG World→world, Sports→sport, Business→business, Sci/Tech→technology;
#           BBC business, entertainment, politics, sport keep their names, tech→technology.
# reuters = Reuters-21578 ModApte training split, multi-label topics.
# Test metrics (stored in each model's metadata) come from the matching test splits.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${PRECIS_DATA:-$ROOT/../shared/data}"
cd "$ROOT"
cargo build --release --quiet --bin precis
BIN="$ROOT/target/release/precis"

"$BIN" train --name news --out models/news.ptm \
    --data "$DATA/cls-agnews-train.jsonl" --data "$DATA/cls-bbc-train.jsonl" \
    --test "$DATA/cls-agnews-test.jsonl" --test "$DATA/cls-bbc-test.jsonl" \
    --map World=world --map Sports=sport --map Business=business --map Sci/Tech=technology \
    --map tech=technology

"$BIN" train --name reuters --out models/reuters.ptm \
    --data "$DATA/cls-reuters21578-modapte-train.jsonl" \
    --test "$DATA/cls-reuters21578-modapte-test.jsonl"
