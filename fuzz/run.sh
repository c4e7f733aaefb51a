#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) in parallel, niced, on
# stable Rust (RUSTC_BOOTSTRAP lets cargo-fuzz use the sanitizer flags).
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
export RUSTC_BOOTSTRAP=1
cargo fuzz build
for t in clean_segment html_extract analyse; do
  mkdir -p "corpus/$t"
  nice -n 10 cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -timeout=10 \
    > "/tmp/precis-fuzz-$t.log" 2>&1 &
done
wait
for t in clean_segment html_extract analyse; do
  echo "== $t"; grep -E "Done|ERROR|panicked|SUMMARY" "/tmp/precis-fuzz-$t.log" || tail -2 "/tmp/precis-fuzz-$t.log"
done
