#!/usr/bin/env bash
# Every public declaration of the products for outside use (docs/architecture.md, "Products
# for outside use": DMASim, OpScript, Pipeline, Journal) has a doc comment. Extracts their
# symbol graphs from the modules `swift build` left (public symbols; members a type only
# inherits are left out) and lists the declarations without one
# (scripts/undocumented-public.swift). scripts/undocumented-public.txt holds those not yet
# documented: a new undocumented declaration fails, and so does a line of that list that is
# documented now (take it out), so the list only shrinks. .ci/run calls this after
# `swift test`, so the build is done and this takes seconds.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
modules=(DMASim OpScript Pipeline Journal)
swift build >/dev/null
bin=$(swift build --show-bin-path)
triple=$(basename "$(dirname "$bin")")
graphs=$(mktemp -d)
found=$(mktemp)
trap 'rm -rf "$graphs" "$found"' EXIT
maps=()
for map in Sources/C*/module.modulemap; do maps+=(-Xcc "-fmodule-map-file=$map"); done
for module in "${modules[@]}"; do
    swift-symbolgraph-extract -module-name "$module" -I "$bin/Modules" -target "$triple" \
        -minimum-access-level public -skip-synthesized-members -output-dir "$graphs" "${maps[@]}"
done
swift scripts/undocumented-public.swift "$graphs" "${modules[@]}" | sed '/^$/d' | sort -u > "$found"
known=scripts/undocumented-public.txt
new=$(comm -23 "$found" <(sort -u "$known"))
gone=$(comm -13 "$found" <(sort -u "$known"))
status=0
if [ -n "$new" ]; then
    echo "public-docs: public declarations without a doc comment (document them, or make them package if only a sibling module calls them):" >&2
    echo "$new" | sed 's/^/  /' >&2
    status=1
fi
if [ -n "$gone" ]; then
    echo "public-docs: documented or gone now, take them out of $known:" >&2
    echo "$gone" | sed 's/^/  /' >&2
    status=1
fi
if [ $status -eq 0 ]; then
    echo "public-docs: none new; $(wc -l < "$found" | tr -d ' ') public declarations of ${modules[*]} still undocumented ($known)"
fi
exit $status
