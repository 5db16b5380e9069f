#!/usr/bin/env bash
# Builds of the `uring-echo` server side by side under `uring bench echo-load`:
# for each connection count in CONNECTIONS (default "1 4 16 64 256"), ROUNDS
# rounds (default 5) that start every server afresh in a new random order, with
# THREADS ring threads (default 2), each measured for 3 s after 0.3 s of warm-up.
# A server is NAME=BINARY; copy each build's .build/release/uring-echo aside first.
# Used for the executor's waiting policies (docs/BENCHMARKS.md, session 13).
#   scripts/echo-builds-ab.sh before=/tmp/echo-before after=.build/release/uring-echo
# Prints "NAME cN.msgs|cN.p99 runR VALUE" lines to stderr and the medians to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/series-lib.sh
rounds=${ROUNDS:-5}
threads=${THREADS:-2}
port=${PORT:-7500}
value() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" <<<"$2"; }
for connections in ${CONNECTIONS:-1 4 16 64 256}; do
  for round in $(seq 1 "$rounds"); do
    for server in $(shuffled "$@"); do
      name=${server%%=*}; binary=${server#*=}
      port=$((port + 1))
      log=$(mktemp)
      "$binary" --port "$port" --threads "$threads" >"$log" 2>&1 &
      pid=$!
      for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
      json=$("$uring" bench echo-load --address "127.0.0.1:$port" --connections "$connections" --seconds 3 --warmup 0.3)
      kill -INT "$pid"; wait "$pid" || true
      rm -f "$log"
      echo "$name c$connections.msgs run$round $(value messages_per_second "$json")"
      echo "$name c$connections.p99 run$round $(value p99_us "$json")"
    done
  done
done | report_medians
