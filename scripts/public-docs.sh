#!/usr/bin/env bash
# Every public declaration of the products for outside use (docs/architecture.md, "Products
# for outside use": DMASim, OpScript, Pipeline, Journal) has a doc comment. Extracts their
# symbol graphs from the modules `swift build` left (public symbols; members a type only
# inherits are left out) and lists the declarations without one
# (scripts/undocumented-public.swift); any fails the check. Document it, or make it
# `package` when only a sibling module calls it. .ci/run calls this after `swift test`, so
# the build is done and this takes seconds.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
modules=(DMASim OpScript Pipeline Journal)
swift build >/dev/null
bin=$(swift build --show-bin-path)
triple=$(basename "$(dirname "$bin")")
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
maps=()
for map in Sources/C*/module.modulemap; do maps+=(-Xcc "-fmodule-map-file=$map"); done
for module in "${modules[@]}"; do
    swift-symbolgraph-extract -module-name "$module" -I "$bin/Modules" -target "$triple" \
        -minimum-access-level public -skip-synthesized-members -output-dir "$graphs" "${maps[@]}"
done
undocumented=$(swift scripts/undocumented-public.swift "$graphs" "${modules[@]}" | sed '/^$/d')
if [ -n "$undocumented" ]; then
    echo "public-docs: public declarations of ${modules[*]} without a doc comment (document them, or make them package if only a sibling module calls them):" >&2
    echo "$undocumented" | sed 's/^/  /' >&2
    exit 1
fi
echo "public-docs: every public declaration of ${modules[*]} is documented"
