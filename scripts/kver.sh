#!/bin/bash
# kver.sh - print the Debian kernel version that Trunkline builds its kernel
# module against and boots in the vm test tier: the newest installed kernel
# that has both an image (/boot/vmlinuz-V) and headers (/lib/modules/V/build).
#
# usage: scripts/kver.sh
# env:   KVER - use this version instead (checked the same way)
#
# Never `uname -r`: the running (host or container) kernel is not the one we
# build for and may have no module support or headers at all.
set -euo pipefail

usable() {
	[ -e "/boot/vmlinuz-$1" ] && [ -e "/lib/modules/$1/build/Makefile" ]
}

if [ -n "${KVER:-}" ]; then
	if usable "$KVER"; then
		echo "$KVER"
		exit 0
	fi
	echo "kver: KVER=$KVER lacks /boot/vmlinuz-$KVER or" \
		"/lib/modules/$KVER/build (headers)" >&2
	exit 1
fi

best=
for d in /lib/modules/*/; do
	[ -d "$d" ] || continue
	v=$(basename "$d")
	usable "$v" || continue
	if [ -z "$best" ] ||
	   [ "$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n1)" = "$v" ]; then
		best=$v
	fi
done

if [ -z "$best" ]; then
	echo "kver: no installed kernel has both /boot/vmlinuz-V and" \
		"/lib/modules/V/build; install linux-image-amd64 and" \
		"linux-headers-amd64 (scripts/deps.sh)" >&2
	exit 1
fi
echo "$best"
