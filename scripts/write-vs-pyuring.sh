#!/usr/bin/env bash
# Wall-clock MiB/s of `uring write` (1 GiB) and `uring write-many` (64 × 16 MiB)
# beside pyuring 0.3.3's write and write_many, ROUNDS (default 5) rounds, the tools in a new random
# order each round, then each tool's median; each run must leave exactly 1 GiB behind.
# Usage: PYURING_PATH=DIR scripts/write-vs-pyuring.sh DIR [--settle] TOOL...
#   TOOL: auto / fast (`uring write --mode`), pyauto / pyfast (pyuring.write),
#         many (`uring write-many`), pymany (pyuring.write_many, mode auto)
#   --settle: `rm`, `sync` and a one-second pause before every run
#   PYURING_PATH: a directory holding a built pyuring package (see docs/BENCHMARKS.md).
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
source scripts/series-lib.sh
series_arguments "$@"
python_run() {
  in_python "import sys, pyuring; $1" "$dir"
}
for ((run = 1; run <= ${ROUNDS:-5}; run++)); do
  for tool in $(shuffled "${tools[@]}"); do
    rm -rf "$dir/wfile.bin" "$dir/wmany"
    mkdir -p "$dir/wmany"
    if $settle; then sync; sleep 1; fi
    start=$(date +%s.%N)
    case $tool in
      auto|fast) $uring write "$dir/wfile.bin" --size 1GiB --mode "$tool" ;;
      pyauto) python_run 'pyuring.write(sys.argv[1] + "/wfile.bin", total_mb=1024, mode="auto")' ;;
      pyfast) python_run 'pyuring.write(sys.argv[1] + "/wfile.bin", total_mb=1024, mode="fast")' ;;
      many) $uring write-many "$dir/wmany" --files 64 --size-per-file 16MiB ;;
      pymany) python_run 'pyuring.write_many(sys.argv[1] + "/wmany", nfiles=64, mb_per_file=16)' ;;
      *) echo "unknown tool $tool" >&2; exit 2 ;;
    esac >&2
    end=$(date +%s.%N)
    written=$(stat -c %s -- "$dir"/wfile.bin* "$dir"/wmany/* | awk '{ sum += $1 } END { print sum + 0 }')
    [ "$written" -eq 1073741824 ] || { echo "$tool wrote $written bytes, not 1 GiB" >&2; exit 1; }
    echo "$tool $dir run$run $(echo "1024 / ($end - $start)" | bc -l)"
  done
done | report_medians
rm -rf "$dir/wfile.bin" "$dir/wmany"
