#!/usr/bin/env bash
# Runs the cargo-fuzz targets, one after another, each for SECONDS (default 1800).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Each target's
# corpus starts from the files of corpus/ and the dictionary fuzz/jianghua.dict. The
# fuzzer keeps going after a failing input (fork mode, -ignore_crashes): each one is
# written to fuzz/artifacts/<target>/; once fixed, copy it into tests/fuzz/<target>/
# so that `cargo test` replays it (tests/fuzz_replay.rs).
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
  cargo +nightly fuzz run "$t" -- -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
    -dict=fuzz/jianghua.dict -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 \
    || echo "!! $t stopped: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
  grep -E '^#[0-9]+: cov:|DONE|stat::' "fuzz/logs/$t.log" | tail -2
  echo "   failing inputs: $(ls "fuzz/artifacts/$t" 2>/dev/null | wc -l)"
done
