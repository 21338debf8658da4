#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test dmajournal: the headers of
# liblz4, zlib, SQLite, xxHash and libpq (the runtime libraries alone are not enough to link
# against), the lz4 and sqlite3 command-line tools the interoperability tests call, and
# the PostgreSQL server the fleet-store tests push to (.ci/run starts a throwaway cluster
# with scripts/pg-test-cluster.sh; Debian's postgresql also starts its own cluster, which
# the tests do not use).
set -euo pipefail
needed=(liblz4-dev zlib1g-dev libsqlite3-dev libxxhash-dev lz4 sqlite3 libpq-dev postgresql)
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The man page and shell completions, for people (CI has no use for them).
if [ -z "${CI:-}" ]; then
    bash "$(dirname "$0")/install-cli.sh"
fi
