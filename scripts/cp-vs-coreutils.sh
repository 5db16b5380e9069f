#!/usr/bin/env bash
# Wall-clock MiB/s of copying a cached 1 GiB file with coreutils `cp`, `uring cp`
# Python's shutil and (when PYURING_PATH is set) pyuring 0.3.3, ROUNDS (default 5) rounds,
# the tools in a new random order each round, every output compared with cmp, then each tool's median.
# Usage: [PYURING_PATH=DIR] scripts/cp-vs-coreutils.sh DIR [--settle] TOOL...
#   TOOL: cp (coreutils), auto (`uring cp`), safe (`uring cp --mode safe`),
#         pyauto / pysafe (pyuring.copy mode auto / safe), shutil (shutil.copyfile)
#   --settle: `rm`, `sync` and a one-second pause before every copy
#   PYURING_PATH: a directory holding a built pyuring package (see docs/BENCHMARKS.md);
#   it is never part of this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/series-lib.sh
series_arguments "$@"
python_copy() {
  in_python "$1" "$dir/cpsrc.bin" "$dir/cpdst.bin"
}
head -c 1073741824 /dev/urandom > "$dir/cpsrc.bin"
for ((run = 1; run <= ${ROUNDS:-5}; run++)); do
  for tool in $(shuffled "${tools[@]}"); do
    rm -f "$dir/cpdst.bin"
    if $settle; then sync; sleep 1; fi
    start=$(date +%s.%N)
    case $tool in
      cp) cp "$dir/cpsrc.bin" "$dir/cpdst.bin" ;;
      auto) $uring cp "$dir/cpsrc.bin" "$dir/cpdst.bin" ;;
      safe) $uring cp "$dir/cpsrc.bin" "$dir/cpdst.bin" --mode safe ;;
      pyauto) python_copy 'import sys, pyuring; pyuring.copy(sys.argv[1], sys.argv[2], mode="auto")' ;;
      pysafe) python_copy 'import sys, pyuring; pyuring.copy(sys.argv[1], sys.argv[2], mode="safe")' ;;
      shutil) python3 -c 'import sys, shutil; shutil.copyfile(sys.argv[1], sys.argv[2])' "$dir/cpsrc.bin" "$dir/cpdst.bin" ;;
      *) echo "unknown tool $tool" >&2; exit 2 ;;
    esac >&2
    end=$(date +%s.%N)
    echo "$tool $dir run$run $(echo "1024 / ($end - $start)" | bc -l)"
    cmp "$dir/cpsrc.bin" "$dir/cpdst.bin"
  done
done | report_medians
rm -f "$dir/cpsrc.bin" "$dir/cpdst.bin"
