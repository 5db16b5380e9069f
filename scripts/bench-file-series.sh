#!/usr/bin/env bash
# RUNS runs of the in-process file benchmarks on tmpfs (/dev/shm) and on disk (/tmp),
# the benchmarks in a new random order each run; prints one line per run and
# measurement ("NAME DIR runN value": MiB/s of UringFiles and of its baseline, and
# their ratio), then the medians.
# Each benchmark runs 3 rounds in its own process and reports their medians; on /tmp
# the first copy of a process ran at 300-1,000 MiB/s as often as at 6,000, whatever
# the tool (copy_file_range excepted), so single rounds measure mostly that.
# Usage: scripts/bench-file-series.sh RUNS KIND...
#   KIND: copy, copy-safe (--mode safe), write, write-many (16 x 16 MiB),
#         write-many-64 (64 x 16 MiB), write-many-small (10,000 x 4 KiB)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/series-lib.sh
runs=$1; shift
fields() {  # NAME DIR RUN JSON: the lines for one benchmark result
  python3 -c '
import json, sys
name, where, run, result = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
uring, base = result["uring_mib_per_sec"], result["syscalls_mib_per_sec"]
print(f"{name} {where} {run} {uring}")
print(f"{name}-loop {where} {run} {base}")
print(f"{name}-ratio {where} {run} {uring / base}")
kernel = result.get("copy_file_range_mib_per_sec")
if kernel:
    print(f"{name}-ratio-vs-copy_file_range {where} {run} {uring / kernel}")
' "$@"
}
for run in $(seq "$runs"); do
  for dir in $(shuffled /dev/shm /tmp); do
    for kind in $(shuffled "$@"); do
      case $kind in
        copy) json=$($uring bench copy --dir "$dir" --size 1024 --rounds 3 --json) ;;
        copy-safe) json=$($uring bench copy --dir "$dir" --size 1024 --mode safe --rounds 3 --json) ;;
        write) json=$($uring bench write --dir "$dir" --size 1024 --rounds 3 --json) ;;
        write-many) json=$($uring bench write-many --dir "$dir" --files 16 --size-per-file 16MiB --rounds 3 --json) ;;
        write-many-64) json=$($uring bench write-many --dir "$dir" --files 64 --size-per-file 16MiB --rounds 3 --json) ;;
        write-many-small) json=$($uring bench write-many --dir "$dir" --files 10000 --size-per-file 4KiB --rounds 3 --json) ;;
        *) echo "unknown kind $kind" >&2; exit 2 ;;
      esac
      fields "$kind" "$dir" "run$run" "$json"
    done
  done
done | report_medians
