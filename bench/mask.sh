#!/usr/bin/env bash
# The masker's benchmarks (issue 14 and the masker targets of issue 15):
# set-up time for 100 to 50,000 values and masking throughput against
# `cat | cat` in the same run. Writes its section of bench/RESULTS.md.
#
#   bench/mask.sh            full run (a few minutes on 2 cores)
#   bench/mask.sh --quick    fewer runs and a 50 MB log
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in python3 hyperfine; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
echo "bench: building the release binary and the examples" >&2
cargo build --release --quiet --bin vault --example bench_gen --example mask_bench
exec python3 bench/mask_bench.py "$@"
