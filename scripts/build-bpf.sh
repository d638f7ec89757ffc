#!/bin/bash
# build-bpf.sh - build the XDP programs and their libbpf skeletons.
#
# usage: scripts/build-bpf.sh [OUTDIR]     (default: build/ebpf)
#
# For each ebpf/NAME.bpf.c: OUTDIR/NAME.bpf.o (clang -target bpf) and
# OUTDIR/NAME.skel.h (bpftool gen skeleton). Generated files live in the
# build folder only, never in the source tree. Each output is written to
# a temporary name and renamed, so a concurrent build never reads half a
# file.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-build/ebpf}
mkdir -p "$out"
cd "$top"
CLANG=${CLANG:-clang}
BPFTOOL=${BPFTOOL:-bpftool}

for src in ebpf/*.bpf.c; do
	name=$(basename "$src" .bpf.c)
	obj="$out/$name.bpf.o"
	skel="$out/$name.skel.h"
	"$CLANG" -O2 -g -target bpf -D__TARGET_ARCH_x86 \
		-I/usr/include/x86_64-linux-gnu -Ikmod/uapi -Iebpf \
		-Wall -Werror -c "$src" -o "$obj.tmp.$$"
	mv -f "$obj.tmp.$$" "$obj"
	"$BPFTOOL" gen skeleton "$obj" name "$name" >"$skel.tmp.$$"
	mv -f "$skel.tmp.$$" "$skel"
done
