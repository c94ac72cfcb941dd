#!/usr/bin/env python3
"""Times OpenCC's t2s (PyPI package `opencc`, OpenCC 1.4.x) on the inputs that the
criterion group `convert` uses, so the two can be compared on one machine:

    pip install opencc
    python3 scripts/opencc_t2s.py            # prints MiB/s per input
    cargo bench --bench stages -- convert/   # jianghua's conversion on the same bytes

large_traditional: seeds 001 (pinyin annotations stripped) and 003 repeated to
JIANGHUA_BENCH_MB MB (default 100). With `--file PATH`, times the conversion of that UTF-8
file instead and prints `opencc_t2s MB/s` (10^6 bytes; scripts/side_by_side.sh uses it).
"""
import glob
import os
import re
import sys
import time

import opencc

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MB = int(os.environ.get("JIANGHUA_BENCH_MB", "100"))


def corpus():
    files = sorted(glob.glob(os.path.join(ROOT, "corpus", "raw", "*.txt")))
    return [(os.path.basename(f)[:3], open(f, encoding="utf-8").read()) for f in files]


def large(docs):
    target, out, n = MB * 1024 * 1024, [], 0
    while n < target:
        for _, t in docs:
            if n >= target:
                break
            out.append(t + "\n")
            n += len(t.encode()) + 1
    return "".join(out)


def large_traditional(docs):
    strip = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")
    unit = "".join(strip.sub("", t) + "\n" for name, t in docs if name in ("001", "003"))
    target = len(large(docs).encode())
    return unit * (target // len(unit.encode()) + 1)


def best_of_3(converter, text):
    best = None
    for _ in range(3):
        start = time.perf_counter()
        converter.convert(text)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def main():
    converter = opencc.OpenCC("t2s")
    if len(sys.argv) == 3 and sys.argv[1] == "--file":
        text = open(sys.argv[2], encoding="utf-8").read()
        print(f"opencc_t2s {len(text.encode()) / best_of_3(converter, text) / 1e6:.1f}")
        return
    docs = corpus()
    for name, text in [("large_traditional", large_traditional(docs))]:
        size = len(text.encode())
        best = best_of_3(converter, text)
        print(f"opencc t2s {name}: {size / best / 1048576:.1f} MiB/s ({size >> 20} MB, best of 3)")


if __name__ == "__main__":
    main()
