#!/bin/bash
# deps.sh - install every Debian package that Trunkline's build, tests and
# benchmarks need. Installs only what is missing; silent when all is there.
#
# usage: scripts/deps.sh [--check]   (--check: list what is missing, exit 1 if any)
set -euo pipefail

PKGS=(
	# build
	build-essential pkg-config clang llvm lld bpftool libbpf-dev libelf-dev
	zlib1g-dev libssl-dev libsrtp2-dev libspandsp-dev libsqlite3-dev
	libtonezone-dev libpri-dev check libclang-rt-14-dev liburing-dev
	# kernel module, DAHDI and the VM tier
	linux-headers-amd64 linux-image-amd64 dahdi dahdi-source
	qemu-system-x86 busybox-static xz-utils cpio kmod bzip2
	# test peers and tools
	sip-tester baresip iproute2 valgrind bc procps psmisc python3
	# benchmarks: reference parsers, media anchor, proxy
	libosip2-dev libsofia-sip-ua-dev rtpengine-daemon kamailio
)

missing=()
for p in "${PKGS[@]}"; do
	# dpkg-query is fast (no apt lock, no network): one call per package
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ "${1:-}" = --check ]; then
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "deps: missing: ${missing[*]}"
	exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: these Debian packages are missing: ${missing[*]}" >&2
	echo "deps: run as root (or: sudo $0) to install them" >&2
	exit 1
fi

echo "deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# services from these packages (kamailio, rtpengine) must not start on install:
# tests and benchmarks start their own instances on their own ports
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e $policy ]; then
	printf '#!/bin/sh\nexit 101\n' > $policy
	chmod +x $policy
	own_policy=1
fi
trap '[ $own_policy = 1 ] && rm -f $policy' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/trunkline-deps.log 2>&1 || {
	tail -30 /tmp/trunkline-deps.log >&2
	echo "deps: apt-get install failed (full log: /tmp/trunkline-deps.log)" >&2
	exit 1
}
echo "deps: done"
