#!/bin/bash
# build-kmod.sh - build Trunkline's kernel module(s) out of the source tree.
#
# usage: scripts/build-kmod.sh [OUTDIR]     (default: build/kmod)
# env:   KVER - kernel to build for (default: scripts/kver.sh's choice)
#
# Copies the top-level Kbuild and kmod/ into OUTDIR and runs Kbuild there
# (make -C /lib/modules/$KVER/build M=OUTDIR modules), so every object, .cmd
# and .ko lands in OUTDIR and none in the checkout. Files are copied only when
# their content changed: unchanged sources keep their mtime and are not
# rebuilt, changed ones always are (even if older, e.g. after a checkout).
# Result: OUTDIR/trunkline_probe.ko (and OUTDIR/Module.symvers).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-build/kmod}
mkdir -p "$out"
out=$(cd "$out" && pwd)

case $out/ in
"$top"/|"$top"/kmod/*|"$top"/scripts/*)
	echo "build-kmod: refusing to build into the source tree ($out)" >&2
	exit 2
	;;
esac

KVER=$("$top/scripts/kver.sh")
kdir=/lib/modules/$KVER/build

sync_file() {
	local src=$1 dst=$2

	cmp -s "$src" "$dst" 2>/dev/null && return 0
	mkdir -p "$(dirname "$dst")"
	cp "$src" "$dst"
}

sync_file "$top/Kbuild" "$out/Kbuild"
while IFS= read -r -d '' f; do
	sync_file "$f" "$out/${f#"$top"/}"
done < <(cd "$top" && find "$top/kmod" -type f \
	\( -name '*.c' -o -name '*.h' -o -name Kbuild \) -print0)

echo "build-kmod: $KVER -> $out"
make -s -C "$kdir" M="$out" -j"$(nproc)" modules
ls "$out"/*.ko
