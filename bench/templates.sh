#!/usr/bin/env bash
# Template rendering (issue #13): `vault inject` on templates of 10,000, 100,000
# and 1,000,000 lines, each line holding one reference, timed (hyperfine if
# present, else one timed run) with GNU time's peak memory. Linear time shows as
# a 10x step per row; the memory is the template's text plus a little per line.
#
#   bench/templates.sh                 builds the release binary, prints a Markdown table
#   VAULT_BIN=path bench/templates.sh  times that binary instead
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${VAULT_BIN:-}"
if [ -z "$bin" ]; then
    cargo build --release --quiet --bin vault
    bin="${CARGO_TARGET_DIR:-target}/release/vault"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export VAULT_FILE="$work/vault.toml" VAULT_PASSPHRASE=bench
"$bin" init --kdf-memory-mib 8 --kdf-iterations 1 2>/dev/null >/dev/null
"$bin" create secret db -e USER=app -g PASSWORD=32 >/dev/null
eval "$("$bin" unlock --ttl 10m)"
echo "| lines | template | median | peak memory |"
echo "| ---: | ---: | ---: | ---: |"
for lines in 10000 100000 1000000; do
    template="$work/t$lines.tpl"
    awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++)
        printf "line %d: password: {{ secret(\"db\", \"PASSWORD\") | json }}\n", i }' >"$template"
    size="$(du -h "$template" | cut -f1)"
    if command -v hyperfine >/dev/null; then
        hyperfine -N --runs 5 --warmup 1 --export-json "$work/h.json" \
            "$bin inject -i $template -o $work/out --force" >/dev/null
        median="$(python3 -c "import json; print('%.0f ms' % (json.load(open('$work/h.json'))['results'][0]['median'] * 1000))")"
    else
        start=$(date +%s%N)
        "$bin" inject -i "$template" -o "$work/out" --force
        median="$(( ($(date +%s%N) - start) / 1000000 )) ms (1 run)"
    fi
    rss="n/a"
    if [ -x /usr/bin/time ]; then
        rss="$(/usr/bin/time -f %M "$bin" inject -i "$template" -o "$work/out" --force 2>&1 | tail -1)"
        rss="$(( rss / 1024 )) MB"
    fi
    echo "| $lines | $size | $median | $rss |"
done
"$bin" lock
