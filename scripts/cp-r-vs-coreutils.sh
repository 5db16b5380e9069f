#!/usr/bin/env bash
# Wall-clock MiB/s of copying the generated tree of `uring bench tree` (20,000 files of
# 1-16 KiB over 300 directories and 20 of 8 MiB) with coreutils `cp -r` and `uring cp -r`,
# ROUNDS (default 5) rounds, the tools in a new random order each round, then each tool's median.
# Every copy is compared with the source: `diff -r` for the bytes, `find -printf` for
# types, modes and link targets. On tmpfs each copy is removed once checked; elsewhere
# copies are kept until the end (on ext4, creating files just after deleting many is
# slower: the inode allocator skips recently deleted inodes for a while).
# Usage: scripts/cp-r-vs-coreutils.sh DIR TOOL...
#   TOOL: cp (coreutils cp -r), auto (`uring cp -r`), safe (`uring cp -r --mode safe`)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/series-lib.sh
series_arguments "$@"
work="$dir/cp-r-series-$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
$uring bench tree --make-tree "$work/src" >&2
megabytes=$(du -sm --apparent-size "$work/src" | cut -f1)
listing() { (cd "$1" && find . -printf '%P %y %m %l\n' | sort); }
expected=$(listing "$work/src")
tmpfs=false
if [ "$(stat -f -c %T "$dir")" = tmpfs ]; then tmpfs=true; fi
for ((run = 1; run <= ${ROUNDS:-5}; run++)); do
  for tool in $(shuffled "${tools[@]}"); do
    target="$work/copy-$run-$tool"
    start=$(date +%s.%N)
    case $tool in
      cp) cp -r "$work/src" "$target" ;;
      auto) $uring cp -r "$work/src" "$target" ;;
      safe) $uring cp -r --mode safe "$work/src" "$target" ;;
      *) echo "unknown tool $tool" >&2; exit 2 ;;
    esac >&2
    end=$(date +%s.%N)
    echo "$tool $dir run$run $(echo "$megabytes / ($end - $start)" | bc -l)"
    diff -r "$work/src" "$target" >&2
    [ "$(listing "$target")" = "$expected" ] || { echo "$tool: types, modes or links differ" >&2; exit 1; }
    if $tmpfs; then rm -rf "$target"; fi
  done
done | report_medians
