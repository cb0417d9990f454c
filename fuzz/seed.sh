#!/usr/bin/env bash
# Seeds the fuzz corpus (not committed) with the example and every rule fixture.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/terraform_load
find examples crates/deadbolt-rules/fixtures -name '*.tf' | while read -r f; do
  cp "$f" "fuzz/corpus/terraform_load/$(echo "$f" | tr / _)"
done
echo "seeded $(ls fuzz/corpus/terraform_load | wc -l) files"
