#!/usr/bin/env bash
# Fuzzes the parsers and decoders that take untrusted input, SECONDS (default 600) each:
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# Targets: scenario, http_request, jwt, share_link, commands, rsa_keys (all by default). Needs the nightly
# toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`). Crashes land in
# fuzz/artifacts/TARGET/; each one found becomes a regression test in the normal suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario http_request jwt share_link commands rsa_keys)

# Seeds: the shipped scenarios, typical requests, a token, share-link states and commands.
seed() { mkdir -p "fuzz/corpus/$1"; printf '%s' "$3" > "fuzz/corpus/$1/$2"; }
mkdir -p fuzz/corpus/scenario && cp static/scenarios/*.json fuzz/corpus/scenario/
mkdir -p fuzz/corpus/rsa_keys && for k in data/demo-keys/*.pem; do cp "$k" "fuzz/corpus/rsa_keys/$(basename "$k")"; done
seed http_request imds $'GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\n\r\n'
seed http_request form $'POST /tenant/oauth2/v2.0/token HTTP/1.1\r\nHost: login.microsoftonline.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\ngrant_type=client_credentials'
seed jwt token 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImtleSJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2ln'
seed share_link shipped '{"scenario":"lifecycle","step":2,"whatIfs":[0]}'
seed share_link edits '{"scenario":"vm-keyvault-system-assigned","edits":[{"command":"AdvanceClock","seconds":60},{"command":"DisableSystemAssigned","resource":"vm-web"}]}'
seed share_link fragment 'v1.q1YqSs5OLUrOz0nJzEtXslIqSk0vys9NzFPSUUouSk0sSk0BUSZGJmZKtQA'
seed commands list '[{"command":"EnableSystemAssigned","resource":"vm-onprem"},{"command":"AddRoleAssignment","principal":"vm-web","role":"Reader","scope":"rg-web","condition":null},{"command":"AdvanceClock","seconds":600}]'

for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=65536
done
