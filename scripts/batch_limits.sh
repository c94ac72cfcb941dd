#!/usr/bin/env bash
# The batch CLI's limits, measured with /usr/bin/time: throughput and peak memory on a
# generated corpus of 10,000 files, 1-core vs 2-core scaling, a single large file, and
# cost per byte at growing sizes and on adversarial input.
#   scripts/batch_limits.sh [memory|scaling|linearity|all]   (default all)
# Inputs are generated into target/bench-corpus (examples/gen_corpus.rs, seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
cargo build --release --quiet
bin=target/release/jianghua
corpus=target/bench-corpus
mkdir -p "$corpus"

gen_dir() { # MB FILES -> path
  local d="$corpus/generated_$1MB_$2files_seed1"
  [ -d "$d" ] || { cargo run --release --quiet --example gen_corpus -- --mb "$1" --seed 1 --files "$2" --dir "$d.partial" >/dev/null 2>&1 && mv "$d.partial" "$d"; }
  echo "$d"
}
gen_file() { # MB -> path
  local f="$corpus/generated_$1MB_seed1.txt"
  [ -f "$f" ] || cargo run --release --quiet --example gen_corpus -- --mb "$1" --seed 1 --out "$f" >/dev/null 2>&1
  echo "$f"
}
# run LABEL BYTES -- command...: prints wall seconds, MB/s, peak RSS.
run() {
  local label=$1 bytes=$2; shift 3
  local log; log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>/dev/null || true
  read -r secs kb <"$log"; rm -f "$log"
  printf '%-44s %9.1f MB %8.1f s %8.1f MB/s %8d MB RSS\n' "$label" "$(echo "$bytes / 1000000" | bc -l)" \
    "$secs" "$(echo "$bytes / 1000000 / $secs" | bc -l)" $((kb / 1024))
}
size() { du -sb "$1" | cut -f1; }

if [ "$what" = all ] || [ "$what" = memory ]; then
  d=$(gen_dir 1000 10000)
  run "analyze 1 GB, 10,000 files, -j 2" "$(size "$d")" -- $bin analyze -j 2 -o /tmp/jianghua_1g.jsonl "$d"
  echo "  records: $(wc -l </tmp/jianghua_1g.jsonl) (expected 10000)"
  f=$(gen_file 100)
  run "analyze one 100 MB file" "$(size "$f")" -- $bin analyze -o /tmp/jianghua_100m.jsonl "$f"
fi
if [ "$what" = all ] || [ "$what" = scaling ]; then
  d=$(gen_dir 200 2000)
  for j in 1 2; do
    run "analyze 200 MB, 2,000 files, -j $j" "$(size "$d")" -- $bin analyze -j $j -o /tmp/jianghua_scaling.jsonl "$d"
  done
  for j in 1 2; do
    run "analyze --no-keywords 200 MB, 2,000 files, -j $j" "$(size "$d")" -- $bin analyze --no-keywords -j $j -o /tmp/jianghua_scaling.jsonl "$d"
  done
fi
if [ "$what" = all ] || [ "$what" = linearity ]; then
  for mb in 1 10 100; do
    f=$(gen_file $mb)
    run "analyze --no-keywords one ${mb} MB file" "$(size "$f")" -- $bin analyze --no-keywords -o /tmp/jianghua_lin.jsonl "$f"
  done
  a=$corpus/adversarial; mkdir -p "$a"
  python3 - "$a" <<'PY'
import sys, os
d = sys.argv[1]
line = ("巡察工作要坚持问题导向，" * 100)
open(os.path.join(d, "line_50MB.txt"), "w").write((line * (50_000_000 // len(line.encode()) + 1)))
open(os.path.join(d, "markers_100k.txt"), "w").write("".join(f"一、第{i}项工作要落实。\n" for i in range(100_000)))
open(os.path.join(d, "questions_100k.txt"), "w").write("这是为什么?" * 100_000)
PY
  # The five seeds repeated to 100 MB in one file, as `normalize/corpus_repeated`
  # builds it: pinyin-dense (2.2 million repairs).
  python3 - "$a" <<'PY'
import sys, os, glob
unit = "".join(open(f, encoding="utf-8").read() + "\n" for f in sorted(glob.glob("corpus/raw/*.txt")))
n = 100_000_000 // len(unit.encode()) + 1
open(os.path.join(sys.argv[1], "seeds_repeated_100MB.txt"), "w", encoding="utf-8").write(unit * n)
PY
  for f in seeds_repeated_100MB line_50MB markers_100k questions_100k; do
    run "analyze --no-keywords $f" "$(size "$a/$f.txt")" -- $bin analyze --no-keywords -o /tmp/jianghua_adv.jsonl "$a/$f.txt"
  done
fi
