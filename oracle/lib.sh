# Shared by the oracle's scripts (sourced, not run). Where things are and how a pinned
# Debian package is fetched and checked.
#
#   DMAJOURNAL_ORACLE_CACHE  downloads and unpacked trees (default $XDG_CACHE_HOME/dmajournal-oracle,
#                            else ~/.cache/dmajournal-oracle); a second run downloads nothing
#   DEBIAN_MIRROR            the archive (default http://deb.debian.org/debian)
KVER=7.3.4+deb13-amd64
ORACLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${DMAJOURNAL_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmajournal-oracle}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DL=$CACHE/dl                   # verified .deb files, by their pool file names
TREE=$CACHE/dmaoracle-$KVER    # what they unpack to, and the module builds
mkdir -p "$DL" "$TREE"

log() { echo "[oracle] $*" >&2; }
die() { echo "[oracle] error: $*" >&2; exit 1; }

# lock_lines ROLE -> "package version path sha256" for each pinned package of ROLE
lock_lines() {
  awk -v r="$1" '$1 == r { print $2, $3, $4, $5 }' "$ORACLE_DIR/packages.lock"
}

# fetch_pinned PACKAGE VERSION PATH SHA256 -> prints the path of the verified .deb
fetch_pinned() {
  local pkg=$1 ver=$2 path=$3 sha=$4 out
  out=$DL/$(basename "$path")
  if [ -s "$out" ] && echo "$sha  $out" | sha256sum -c --quiet - >/dev/null 2>&1; then
    echo "$out"; return 0
  fi
  command -v curl >/dev/null || die "curl is needed to download $pkg (apt-get install curl)"
  log "download $pkg $ver ($(basename "$path"))"
  if ! curl -sSfL --retry 3 -o "$out.tmp" "$MIRROR/$path"; then
    rm -f "$out.tmp"
    die "$pkg $ver is no longer at $MIRROR/$path (the archive drops superseded versions): pin a current version in $ORACLE_DIR/packages.lock"
  fi
  echo "$sha  $out.tmp" | sha256sum -c --quiet - >/dev/null 2>&1 \
    || { rm -f "$out.tmp"; die "$pkg: SHA256 of the download is not the pinned $sha"; }
  mv "$out.tmp" "$out"
  echo "$out"
}

# fetch_role ROLE -> prints the verified .deb of every package pinned for ROLE
fetch_role() {
  local pkg ver path sha
  while read -r pkg ver path sha; do fetch_pinned "$pkg" "$ver" "$path" "$sha"; done < <(lock_lines "$1")
}
