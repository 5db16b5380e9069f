#!/usr/bin/env bash
# Interleaved runs of the file benchmarks on tmpfs (/dev/shm) and on disk (/tmp),
# one JSON line each, for the medians in docs/BENCHMARKS.md.
# Usage: scripts/bench-file-series.sh RUNS KIND...   (KIND: copy, write, write-many)
set -euo pipefail
cd "$(dirname "$0")/.."
uring=.build/release/uring
runs=$1; shift
for run in $(seq "$runs"); do
  for dir in /dev/shm /tmp; do
    for kind in "$@"; do
      case $kind in
        copy) for mode in auto safe fast; do echo "copy $dir $mode run$run $($uring bench copy --dir $dir --mode $mode --rounds 3 --json)"; done ;;
        write) for mode in auto fast; do echo "write $dir $mode run$run $($uring bench write --dir $dir --mode $mode --rounds 3 --json)"; done ;;
        write-many) echo "write-many $dir auto run$run $($uring bench write-many --dir $dir --rounds 3 --json)" ;;
      esac
    done
  done
done
