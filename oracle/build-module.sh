#!/usr/bin/env bash
# Build oracle/module (dmaoracle.ko) out of tree against the pinned kernel's own headers;
# prints the .ko's path. A build is kept per hash of the sources, so an unchanged module is
# not rebuilt.
#
# The kernel was built with gcc-14; the host may have an older gcc (bookworm: gcc-12), which
# lacks -fmin-function-alignment: CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= then makes Kbuild use
# -falign-functions=16 instead (the same alignment). Without pahole, module BTF is skipped.
# ORACLE_CC picks the compiler (default gcc-14, else gcc-13, gcc-12, gcc).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$ORACLE_DIR/fetch.sh" headers
hdir=$TREE/headers/usr/src/linux-headers-$KVER
src=$ORACLE_DIR/module
hash=$(cat "$src"/Kbuild "$src"/*.[ch] | sha256sum | cut -c1-16)
build=$TREE/build-$hash
if [ -s "$build/dmaoracle.ko" ]; then echo "$build/dmaoracle.ko"; exit 0; fi

cc=${ORACLE_CC:-}
if [ -z "$cc" ]; then
  for c in gcc-14 gcc-13 gcc-12 gcc; do command -v $c >/dev/null && { cc=$c; break; }; done
fi
[ -n "$cc" ] || die "no C compiler (apt-get install gcc make)"
command -v make >/dev/null || die "make is needed"
extra=()
echo 'int x;' | $cc -fmin-function-alignment=16 -c -x c -o /dev/null - 2>/dev/null \
  || extra+=(CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=)
command -v pahole >/dev/null || extra+=(CONFIG_DEBUG_INFO_BTF_MODULES=)
log "building dmaoracle.ko with $($cc --version | head -1) ${extra[*]}"
rm -rf "$build.tmp"; mkdir -p "$build.tmp"
cp "$src"/Kbuild "$src"/*.[ch] "$build.tmp/"
make -s -C "$hdir" M="$build.tmp" CC="$cc" "${extra[@]}" modules >&2
vm=$(strings "$build.tmp/dmaoracle.ko" | grep '^vermagic=' || true)
[ "${vm#vermagic=$KVER }" != "$vm" ] || die "vermagic '$vm' is not $KVER's"
rm -rf "$build"; mv "$build.tmp" "$build"
log "built $build/dmaoracle.ko ($vm)"
echo "$build/dmaoracle.ko"
