#!/usr/bin/env bash
# Two release builds of `uring` side by side: `bench nop` and `bench async`, each
# build run ROUNDS times (default 5) in a new random order every round, medians
# at the end. Used to show that a change costs no speed.
#   scripts/builds-before-after.sh BEFORE_BINARY AFTER_BINARY
# Prints "BUILD BENCH runN FIELD VALUE" lines to stderr and the medians to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/series-lib.sh
before=$1; after=$2
rounds=${ROUNDS:-5}
fields_nop="ops_per_sec ratio"
fields_async="await_nop_ops_per_sec await_batch_nop_ops_per_sec batch_nop_ratio actor_nop_ops_per_sec read4k_ops_per_sec read_ratio write_mib_per_sec write_ratio"
value() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" <<<"$2"; }
for round in $(seq 1 "$rounds"); do
  for entry in $(shuffled before:nop after:nop before:async after:async); do
    build=${entry%%:*}; bench=${entry##*:}
    binary=$before; [ "$build" = after ] && binary=$after
    json=$("$binary" bench "$bench" --json)
    fields=$fields_nop; [ "$bench" = async ] && fields=$fields_async
    for field in $fields; do
      echo "$build $bench.$field run$round $(value "$field" "$json")"
    done
  done
done | tee /dev/stderr | awk '{ print $1, $2, $3, $4 }' | awk -f scripts/medians.awk | sort
