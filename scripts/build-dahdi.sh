#!/bin/bash
# build-dahdi.sh - build the DAHDI kernel modules the vm tier needs from
# Debian's dahdi-source (/usr/src/dahdi.tar.bz2) against the kernel that
# scripts/kver.sh picks.
#
# usage: scripts/build-dahdi.sh [OUTDIR]      (default: build/dahdi)
# env:   KVER - kernel to build for (default: scripts/kver.sh's choice)
#
# Result in OUTDIR: dahdi.ko, dahdi_dynamic.ko, dahdi_dynamic_loc.ko,
# dahdi_echocan_oslec.ko, echo.ko (OSLEC itself) and Module.symvers.
# Cached: nothing is rebuilt when OUTDIR/stamp names the same tarball
# (size and mtime) and kernel and every module is there. The source is
# unpacked in OUTDIR/src, so nothing lands in the checkout; the compiler's
# chatter (DAHDI 2.11 warns a lot on 6.x kernels) goes to OUTDIR/build.log.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$top/build/dahdi}
tarball=/usr/src/dahdi.tar.bz2
mods=(dahdi dahdi_dynamic dahdi_dynamic_loc dahdi_echocan_oslec echo)

[ -r "$tarball" ] || {
	echo "build-dahdi: no $tarball (install dahdi-source:" \
		"scripts/deps.sh)" >&2
	exit 1
}
mkdir -p "$out"
out=$(cd "$out" && pwd)
case $out/ in
"$top"/|"$top"/scripts/*|"$top"/tdm/*|"$top"/gateway/*)
	echo "build-dahdi: refusing to build into the source tree ($out)" >&2
	exit 2
	;;
esac

KVER=$("$top/scripts/kver.sh")
kdir=/lib/modules/$KVER/build
stamp="$KVER $(stat -c '%s %Y' "$tarball")"

have_all() {
	for m in "${mods[@]}"; do
		[ -s "$out/$m.ko" ] || return 1
	done
}
if have_all && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "build-dahdi: up to date ($KVER) in $out"
	exit 0
fi

rm -rf "$out/src"
mkdir -p "$out/src"
tar -C "$out/src" -xjf "$tarball"
src=$out/src/modules/dahdi
[ -d "$src/drivers/dahdi" ] || {
	echo "build-dahdi: unexpected layout in $tarball" >&2
	exit 1
}
echo "build-dahdi: $KVER -> $out"
# Only the core, the dynamic span driver with its local loopback, and
# OSLEC: the card drivers are of no use in a VM and take most of the time.
make -s -C "$kdir" -j"$(nproc)" KBUILD_EXTMOD="$src/drivers/dahdi" \
	DAHDI_INCLUDE="$src/include" CONFIG_DAHDI=m CONFIG_DAHDI_DYNAMIC=m \
	CONFIG_DAHDI_DYNAMIC_LOC=m CONFIG_DAHDI_ECHOCAN_OSLEC=m \
	CONFIG_ECHO=m modules >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	echo "build-dahdi: make failed (log: $out/build.log)" >&2
	exit 1
}
for m in "${mods[@]}"; do
	ko=$(find "$src/drivers" -name "$m.ko" | head -n1)
	[ -n "$ko" ] || {
		echo "build-dahdi: $m.ko was not built" >&2
		exit 1
	}
	cp "$ko" "$out/"
done
cp "$src/drivers/dahdi/Module.symvers" "$out/"
echo "$stamp" >"$out/stamp"
ls "$out"/*.ko
