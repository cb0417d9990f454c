#!/usr/bin/env bash
# Seeds the fuzz corpora (not committed) with the example and every rule fixture: `.tf` files for
# terraform_load; YAML and JSON templates and manifests for manifest_load, each prefixed with the
# byte that makes the target read it as YAML (even) or JSON (odd).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/terraform_load fuzz/corpus/manifest_load
find examples crates/deadbolt-rules/fixtures -name '*.tf' | while read -r f; do
  cp "$f" "fuzz/corpus/terraform_load/$(echo "$f" | tr / _)"
done
find examples crates/deadbolt-rules/fixtures ../shared/corpus/kubernetes-goat \
  \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | while read -r f; do
  case "$f" in *.json) prefix='1' ;; *) prefix='0' ;; esac
  { printf '%s' "$prefix"; cat "$f"; } > "fuzz/corpus/manifest_load/$(echo "$f" | tr / _)"
done
echo "seeded $(ls fuzz/corpus/terraform_load | wc -l) Terraform and $(ls fuzz/corpus/manifest_load | wc -l) YAML/JSON files"
