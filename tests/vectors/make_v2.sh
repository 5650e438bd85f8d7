#!/bin/sh
# Regenerates v2.toml and its identities (see README.md). Run from this
# directory with a debug build: sh make_v2.sh
set -eu
V=${VAULT_BIN:-../../target/debug/vault}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VAULT_FILE="$work/v2.toml" XDG_RUNTIME_DIR="$work" HOME="$work" USER=tester
export VAULT_PASSPHRASE=test-vector-passphrase
rm -f v2.toml v2-alice.txt v2-ci.txt v2-ssh v2-ssh.pub
"$V" init --kdf-memory-mib 8 --kdf-iterations 1 2>/dev/null
"$V" create secret shared -e SHARED_TOKEN=vector-shared-token --description "Every project"
"$V" create secret aws --allow-project blue -e AWS_SECRET_ACCESS_KEY=vector-aws-secret
"$V" create secret db -p blue -e DB_PASSWORD=vector-blue-db
"$V" create secret cache -p red -e CACHE_URL=vector-red-cache
"$V" keygen -o v2-alice.txt >"$work/alice.pub" 2>/dev/null
"$V" keygen -o v2-ci.txt >"$work/ci.pub" 2>/dev/null
ssh-keygen -q -t ed25519 -N "" -C "bob@laptop" -f v2-ssh
"$V" member add alice --recipient "$(cat "$work/alice.pub")"
"$V" member add bob --recipient @v2-ssh.pub
"$V" member add ci --recipient "$(cat "$work/ci.pub")" --project blue
cp "$VAULT_FILE" v2.toml
