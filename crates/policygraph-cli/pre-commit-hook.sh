#!/usr/bin/env bash
# The entry of the `policygraph-validate` pre-commit hook (see `.pre-commit-hooks.yaml`
# at the repository root). pre-commit runs it from the repository being committed to,
# with the staged programme documents as arguments. It builds the `policygraph` command
# line from this repository's checkout in pre-commit's cache (once; later runs only
# check that the build is current), then validates the documents.
set -euo pipefail

checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cargo build --quiet --release --locked \
    --manifest-path "${checkout}/Cargo.toml" \
    --target-dir "${checkout}/target" \
    --package policygraph-cli --bin policygraph
exec "${checkout}/target/release/policygraph" validate "$@"
