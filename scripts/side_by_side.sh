#!/usr/bin/env bash
# Side by side, in one run on the same documents: jianghua's conversion, normalize stage
# and whole analysis, jieba-rs cutting, and OpenCC's t2s (PyPI `opencc`, OpenCC 1.4.x).
# Prints MB/s (10^6 bytes of decoded text per second, one core, best of 3) and each
# figure as a ratio to OpenCC's t2s, since machines are noisy but ratios travel.
#   scripts/side_by_side.sh [MB]      (default 100; needs `pip install opencc`)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
python3 -c 'import opencc' 2>/dev/null || { echo "side_by_side: needs OpenCC's Python package: pip install opencc" >&2; exit 2; }
files=$((mb * 10))
dir=target/bench-corpus/generated_${mb}MB_${files}files_seed1
if [ ! -d "$dir" ]; then
  mkdir -p target/bench-corpus
  cargo run --release --quiet --example gen_corpus -- --mb "$mb" --seed 1 --files "$files" --dir "$dir.partial"
  mv "$dir.partial" "$dir"
fi
text=target/bench-corpus/side_by_side_${mb}MB.txt
out=$(mktemp)
taskset -c 0 cargo run --release --quiet --example side_by_side -- "$dir" "$text" >"$out"
taskset -c 0 python3 scripts/opencc_t2s.py --file "$text" >>"$out"
opencc=$(awk '$1 == "opencc_t2s" { print $2 }' "$out")
echo "input: $dir ($(du -sh "$dir" | cut -f1)), machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '%-36s %10s %14s\n' "what" "MB/s" "× OpenCC t2s"
while read -r name rate; do
  printf '%-36s %10s %14s\n' "$name" "$rate" "$(awk -v a="$rate" -v b="$opencc" 'BEGIN { printf "%.2f", a / b }')"
done <"$out"
rm -f "$out"
