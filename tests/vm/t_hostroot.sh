# t_hostroot.sh - harness self-test for host-root mode (-H): the guest's
# root is the host's / (read-only 9p) under a tmpfs overlay, so host
# binaries, the dpkg database and the host's module tree are all usable,
# and writes land in the overlay only.
# vm-args: -H
# shellcheck shell=bash

fail=0

# expect DESC COMMAND...: run COMMAND, count a failure if it fails
expect() {
	local desc=$1

	shift
	if "$@"; then
		echo "ok: $desc"
	else
		echo "FAIL: $desc"
		fail=$((fail + 1))
	fi
}

expect "host userland: /etc/debian_version" test -s /etc/debian_version
expect "host dpkg database" dpkg-query -W qemu-system-x86
expect "host module tree" test -d "/lib/modules/$(uname -r)/kernel"
expect "modprobe veth from the host tree" modprobe veth
expect "veth loaded" test -d /sys/module/veth
expect "writes go to the overlay" touch /usr/share/.trunkline-vm-overlay
expect "root is an overlay" grep -q '^overlay / ' <<<"$(cat /proc/mounts)"

echo "hostroot: $fail failure(s)"
[ "$fail" -eq 0 ]
