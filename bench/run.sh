#!/usr/bin/env bash
# Benchmarks of `vault` against the targets of issue #6; results in bench/RESULTS.md.
#
#   bench/run.sh            full run (about 15 minutes on 2 cores), writes bench/RESULTS.md
#   bench/run.sh --quick    fewer runs and a 20 MB log, for a smoke test
#   bench/run.sh scale [--quick] [--before OLD_BINARY]
#                           issue 15: exec at 1,000 and 10,000 secrets, the audit
#                           trail's growth, import, peers (bench/scale.py)
#
# Installs nothing: a missing tool is named and its measurements are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 >/dev/null; then
    echo "bench: python3 is missing: it drives the runs and writes the tables" >&2
    exit 1
fi
echo "bench: building the release binary and the data generator" >&2
cargo build --release --quiet --bin vault --example bench_gen
if [ "${1:-}" = scale ]; then
    shift
    exec python3 bench/scale.py "$@"
fi
exec python3 bench/bench.py "$@"
