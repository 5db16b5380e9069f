#!/usr/bin/env bash
# The network series behind docs/BENCHMARKS.md: `uring bench echo` (UringNet
# against a blocking thread-per-connection server, both round-robin and
# SO_REUSEPORT) and the Benchmarks package's net-bench (UringNet against
# SwiftNIO's ChannelInboundHandler and NIOAsyncChannel echo servers, and wrk
# against our HTTP responder and NIOHTTP1). Each tool shuffles the servers in
# every round and reports medians; ROUNDS (default 5) sets the rounds, THREADS
# (default "1 2") the server thread counts measured: with the load generator
# taking about one of this machine's two cores, 1 is the natural setting.
# Needs wrk for the HTTP part (apt-get install wrk); without it that part is skipped.
#   scripts/net-series.sh > series.txt
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
threads=${THREADS:-1 2}
swift build -c release --product uring >/dev/null
(cd Benchmarks && swift build -c release --product net-bench >/dev/null)
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cores, rounds $rounds"
for count in $threads; do
    echo "## .build/release/uring bench echo --rounds $rounds --threads $count"
    .build/release/uring bench echo --rounds "$rounds" --threads "$count"
    echo "## Benchmarks/.build/release/net-bench --rounds $rounds --threads $count"
    Benchmarks/.build/release/net-bench --rounds "$rounds" --threads "$count"
done
