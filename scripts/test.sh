#!/usr/bin/env bash
# The whole test suite: every crate, every feature, with the lock file as committed.
# Reuses a build directory outside the clone when one exists (CI runs right after a session on the
# same machine); a cold machine builds from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/deadbolt/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Snapshot tests compare, never write, in the suite.
export INSTA_UPDATE=no
cargo test --workspace --all-features --locked
