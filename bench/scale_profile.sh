#!/usr/bin/env bash
# Issue 15: where `vault exec` and `get secret` spend their instructions, by
# callgrind (exact instruction counts: steadier than times on a busy machine).
#
#   bench/scale_profile.sh VAULT_BINARY BENCH_GEN [EXECS]
#
# Makes a vault of 1,000 secrets × 5 with BENCH_GEN, runs EXECS (default 50)
# `vault exec --no-mask -- true` to give it a trail, then profiles
# `exec --no-mask -- true`, `exec --dry-run -- true` and `get secret svc-00500`
# with a session, printing each one's total and its costliest functions
# (inclusive). Run it with an old and a new binary to see what a change bought.
set -euo pipefail
vault=$(realpath "$1") gen=$(realpath "$2") execs=${3:-50}
command -v valgrind >/dev/null || { echo "scale_profile: valgrind is missing" >&2; exit 1; }
work=$(mktemp -d /tmp/vault-profile-XXXXXX)
trap 'rm -rf "$work"' EXIT
export VAULT_FILE="$work/vault.toml"
VAULT_PASSPHRASE=profile "$gen" vault "$VAULT_FILE" 1000 8 1
VAULT_SESSION=$(VAULT_PASSPHRASE=profile "$vault" unlock --ttl 1h | sed 's/.*VAULT_SESSION=//')
export VAULT_SESSION
for _ in $(seq "$execs"); do "$vault" exec --no-mask -- true; done
echo "trail: $(stat -c %s "$VAULT_FILE.audit") bytes after $execs execs"
profile() {
    local name=$1; shift
    valgrind --tool=callgrind --trace-children=no --callgrind-out-file="$work/$name.out" \
        "$vault" "$@" >/dev/null 2>"$work/$name.err" || true
    echo
    echo "== vault $* =="
    callgrind_annotate --inclusive=yes "$work/$name.out" 2>/dev/null \
        | grep -E "PROGRAM TOTALS|^ *[0-9,]+ \([ 0-9.]+%\)" \
        | grep -v -E "std::rt::|lang_start|libc_start|below main|\?\?\?:main$|0x0000|core::ops::function|std::sys::backtrace|vault::main$|commands::run$|commands::dispatch$" \
        | sed -E 's/ \[[^]]*\]$//' | cut -c1-150 | head -24
}
profile exec-no-mask exec --no-mask -- true
profile exec-dry-run exec --dry-run -- true
profile get-secret get secret svc-00500
