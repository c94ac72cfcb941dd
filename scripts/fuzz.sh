#!/usr/bin/env bash
# Runs the cargo-fuzz targets, one after another, each for SECONDS (default 1800).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Each target's
# corpus starts from the files of corpus/ and the dictionary fuzz/jianghua.dict. An
# input that breaks a check is written to fuzz/artifacts/<target>/; copy it into
# tests/fuzz/<target>/ so that `cargo test` replays it (tests/fuzz_replay.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-1800}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  if [ -z "$(ls -A "fuzz/corpus/$t")" ]; then
    find corpus -name '*.txt' -size -64k -exec cp {} "fuzz/corpus/$t/" \;
  fi
  echo "== $t for ${secs}s (log fuzz/logs/$t.log)"
  cargo +nightly fuzz run "$t" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
    -dict=fuzz/jianghua.dict -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 \
    || echo "!! $t stopped: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
  grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::new_units_added)' \
    "fuzz/logs/$t.log" | tail -3
done
