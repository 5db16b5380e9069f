#!/usr/bin/env bash
# Wall-clock MiB/s of copying a cached 1 GiB file with coreutils `cp` and with
# `uring cp`, five rounds, the tools in the order given, outputs compared with cmp.
# Usage: scripts/cp-vs-coreutils.sh DIR [--settle] TOOL...
#   TOOL: cp (coreutils), auto (`uring cp`), safe (`uring cp --mode safe`)
#   --settle: `rm`, `sync` and a one-second pause before every copy
set -euo pipefail
cd "$(dirname "$0")/.."
uring=.build/release/uring
dir=$1; shift
settle=false
if [ "${1:-}" = --settle ]; then settle=true; shift; fi
head -c 1073741824 /dev/urandom > "$dir/cpsrc.bin"
for run in 1 2 3 4 5; do
  for tool in "$@"; do
    rm -f "$dir/cpdst.bin"
    if $settle; then sync; sleep 1; fi
    start=$(date +%s.%N)
    case $tool in
      cp) cp "$dir/cpsrc.bin" "$dir/cpdst.bin" ;;
      auto) $uring cp "$dir/cpsrc.bin" "$dir/cpdst.bin" ;;
      safe) $uring cp "$dir/cpsrc.bin" "$dir/cpdst.bin" --mode safe ;;
    esac
    end=$(date +%s.%N)
    echo "$tool $dir run$run $(echo "1024 / ($end - $start)" | bc -l)"
  done
  cmp "$dir/cpsrc.bin" "$dir/cpdst.bin"
done
rm -f "$dir/cpsrc.bin" "$dir/cpdst.bin"
