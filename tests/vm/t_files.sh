# t_files.sh - harness self-test: -b copies a host binary with its shared
# libraries, -f copies files and directories (modes kept), and -O hands a
# host directory to the guest at /out, where results come back from.
# vm-args: -b ls -b sha256sum
# vm-args: -f @ROOT@/kmod:/opt/trunkline/kmod
# vm-args: -f @ROOT@/scripts/kver.sh:/usr/local/bin/tl-kver
# vm-args: -O @OUT@
# vm-out: files.txt
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

# -b: the host's GNU ls, not busybox's applet, and it runs (its libraries,
# e.g. libselinux, came along)
expect "ls is /usr/bin/ls" test "$(command -v ls)" = /usr/bin/ls
expect "ls is GNU coreutils" grep -q 'GNU coreutils' <<<"$(ls --version)"
expect "ls runs" ls -l /opt/trunkline/kmod

# -f: a directory and a file, content and mode
expect "directory copied" \
	grep -q 'MODULE_LICENSE("GPL")' /opt/trunkline/kmod/tl_probe.c
expect "file copied, still executable" test -x /usr/local/bin/tl-kver
expect "file content" \
	test "$(head -n1 /usr/local/bin/tl-kver)" = "#!/bin/bash"

# -O: write a result the host side can read back
expect "/out is mounted" grep -q ' /out 9p ' /proc/mounts
sha256sum /opt/trunkline/kmod/tl_probe.c >/out/files.txt
expect "wrote /out/files.txt" test -s /out/files.txt

echo "files: $fail failure(s)"
[ "$fail" -eq 0 ]
