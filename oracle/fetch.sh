#!/usr/bin/env bash
# Fetch and unpack what the kernel oracle needs, from Debian's archive, pinned by version and
# SHA256 (packages.lock). Reuses what the cache already has; prints nothing on stdout.
#
# usage: oracle/fetch.sh [kernel] [headers] [busybox] [modules]     (default: the first three)
#
#   kernel   -> $TREE/vmlinuz, config, System.map              (linux-binary, linux-base)
#   headers  -> $TREE/headers/usr/src/linux-headers-$KVER      (linux-headers, -common, linux-kbuild;
#               the kbuild host tools wrapped to run under trixie's loader when the host's glibc
#               is older than they need: libc6, libelf1t64, zlib1g, libzstd1 into $TREE/hostlibs)
#   busybox  -> $TREE/busybox                                  (busybox-static)
#   modules  -> $TREE/modules/                                 (linux-modules: virtio_iommu.ko)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- kernel headers busybox
command -v dpkg-deb >/dev/null || die "dpkg-deb (dpkg) is needed"

unpack() {  # unpack ROLE DIR: every package of ROLE into DIR
  local deb
  mkdir -p "$2"
  for deb in $(fetch_role "$1"); do dpkg-deb -x "$deb" "$2"; done
}

glibc_of() {  # the highest GLIBC_x.y an ELF file needs
  objdump -T "$1" 2>/dev/null | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sed 's/GLIBC_//' | sort -V | tail -1
}

for what in "$@"; do
  case $what in
  kernel)
    [ -s "$TREE/vmlinuz" ] && continue
    rm -rf "$TREE/kernel-root"; unpack kernel "$TREE/kernel-root"
    kd=$TREE/kernel-root/usr/lib/modules/$KVER
    [ -s "$kd/vmlinuz" ] || die "linux-binary has no usr/lib/modules/$KVER/vmlinuz"
    cp "$kd/config" "$TREE/config"; cp "$kd/System.map" "$TREE/System.map" 2>/dev/null || true
    cp "$kd/vmlinuz" "$TREE/vmlinuz.tmp"; mv "$TREE/vmlinuz.tmp" "$TREE/vmlinuz"
    rm -rf "$TREE/kernel-root"
    log "kernel $KVER ready" ;;
  modules)
    [ -e "$TREE/modules/.ready" ] && continue
    rm -rf "$TREE/modules"; unpack modules "$TREE/modules-root"
    mv "$TREE/modules-root/usr/lib/modules/$KVER" "$TREE/modules"; rm -rf "$TREE/modules-root"
    touch "$TREE/modules/.ready"
    log "modules of $KVER ready" ;;
  busybox)
    [ -x "$TREE/busybox" ] && continue
    rm -rf "$TREE/bb"; unpack busybox "$TREE/bb"
    cp "$TREE/bb/bin/busybox" "$TREE/busybox"; rm -rf "$TREE/bb"
    log "busybox ready" ;;
  headers)
    [ -e "$TREE/headers/.ready" ] && continue
    rm -rf "$TREE/headers"; unpack headers "$TREE/headers"
    hdir=$TREE/headers/usr/src/linux-headers-$KVER
    # Debian's Makefile includes /usr/src/linux-headers-<ver>-common/Makefile: point it here
    common=$(sed -n 's|^include /usr/src/\(linux-headers-[^/]*\)/Makefile$|\1|p' "$hdir/Makefile")
    [ -n "$common" ] || die "unexpected $hdir/Makefile"
    printf 'KBUILD_OUTPUT=%s\ninclude %s/usr/src/%s/Makefile\n' "$hdir" "$TREE/headers" "$common" > "$hdir/Makefile"
    # The kbuild host tools (modpost, objtool, ...) are trixie binaries: glibc 2.38 symbols
    # (__isoc23_strtoul). On an older host, run each under trixie's own loader and libraries.
    command -v objdump >/dev/null || die "objdump (binutils) is needed"
    hostv=$(ldd --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)$/\1/p'); hostv=${hostv:-0}
    kb=$(cd "$hdir" && cd "$(dirname "$(readlink scripts)")" && pwd)
    wrap=()
    while IFS= read -r f; do
      head -c 4 "$f" | grep -q 'ELF' || continue
      need=$(glibc_of "$f"); [ -n "$need" ] || continue
      [ "$(printf '%s\n%s\n' "$need" "$hostv" | sort -V | tail -1)" = "$hostv" ] && continue
      wrap+=("$f")
    done < <(find "$kb" -type f)
    if [ ${#wrap[@]} -gt 0 ]; then
      unpack hostlibs "$TREE/hostlibs"
      lp=$TREE/hostlibs/usr/lib/x86_64-linux-gnu
      for f in "${wrap[@]}"; do
        log "wrap ${f#$TREE/headers/} (needs glibc $(glibc_of "$f"), host has $hostv): runs under trixie's loader"
        mv "$f" "$f.bin"
        printf '#!/bin/sh\n# needs glibc %s, the host has %s: trixie'"'"'s loader and libraries\nexec %s --library-path %s %s.bin "$@"\n' \
          "$(glibc_of "$f.bin")" "$hostv" "$lp/ld-linux-x86-64.so.2" "$lp" "$f" > "$f"
        chmod 755 "$f"
      done
    fi
    touch "$TREE/headers/.ready"
    log "headers of $KVER ready" ;;
  *) die "unknown part '$what' (kernel, headers, busybox, modules)" ;;
  esac
done
