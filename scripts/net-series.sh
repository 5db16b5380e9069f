#!/usr/bin/env bash
# The network series behind docs/BENCHMARKS.md: `uring bench echo` (UringNet
# against a blocking thread-per-connection server, both round-robin and
# SO_REUSEPORT) and the Benchmarks package's net-bench (UringNet against
# SwiftNIO's ChannelInboundHandler and NIOAsyncChannel echo servers, and wrk
# against our HTTP responder and NIOHTTP1). Each tool shuffles the servers in
# every round and reports medians; ROUNDS (default 5) sets the rounds.
# Needs wrk for the HTTP part (apt-get install wrk); without it that part is skipped.
#   scripts/net-series.sh > series.txt
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
swift build -c release --product uring >/dev/null
(cd Benchmarks && swift build -c release --product net-bench >/dev/null)
echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) cores, rounds $rounds"
echo "## .build/release/uring bench echo --rounds $rounds"
.build/release/uring bench echo --rounds "$rounds"
echo "## Benchmarks/.build/release/net-bench --rounds $rounds"
Benchmarks/.build/release/net-bench --rounds "$rounds"
