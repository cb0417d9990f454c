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

# The responsibility map's HTML page is tested in headless Chromium (Debian's package).
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian) for the HTML test ..." >&2
  apt-get install -y -q chromium >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } ||
    echo "could not install chromium: the HTML test will fail; install it with: apt-get install chromium" >&2
fi

# The DuckDB dialect of the log detections is tested by DuckDB itself (PyPI duckdb, in a venv that
# outlives the clone, like the build directory).
duckdb_venv="$HOME/.cache/deadbolt/venv-duckdb"
if ! "$duckdb_venv/bin/python" -c "import duckdb" >/dev/null 2>&1; then
  echo "installing duckdb (PyPI) into $duckdb_venv for the SQL dialect test ..." >&2
  python3 -m venv "$duckdb_venv" &&
    "$duckdb_venv/bin/pip" install -q "duckdb==2.0.1" >&2 ||
    echo "could not install duckdb: the DuckDB dialect test will fail" >&2
fi
export DEADBOLT_DUCKDB_PYTHON="$duckdb_venv/bin/python"

# `deadbolt scan --aws` is tested against moto's standalone AWS server (PyPI moto[server], with
# boto3 for the seed script), in a venv that outlives the clone. The test starts and stops it.
moto_venv="$HOME/.cache/deadbolt/venv-moto"
if ! "$moto_venv/bin/python" -c "import moto.server, boto3" >/dev/null 2>&1; then
  echo "installing moto[server] (PyPI) into $moto_venv for the live AWS test ..." >&2
  python3 -m venv "$moto_venv" &&
    "$moto_venv/bin/pip" install -q "moto[server]==5.2.5" >&2 ||
    echo "could not install moto: the live AWS test will fail" >&2
fi
export DEADBOLT_MOTO_PYTHON="$moto_venv/bin/python"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --all-features --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# cargo prints one result line per test binary, the last ones for (mostly empty) doc tests: close
# with the totals over all of them.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
