#!/bin/bash
# tests/vm/run.sh - the vm test tier: build Trunkline's kernel module, then
# boot one throwaway QEMU VM per scenario (tests/vm/t_*.sh, the guest
# payload) with scripts/vmrun.sh and check its exit status.
#
# usage: bash tests/vm/run.sh [NAME...]   (NAME: probe for t_probe.sh; none =
#                                          all scenarios)
# Prints PASS/FAIL per scenario and, as its last line, "N passed, N failed";
# exits 0 iff nothing failed, 77 (with "SKIP vm tier: reason" on stderr) if
# this machine cannot run the tier. Logs: build/test-logs/vm/NAME.log.
#
# A scenario declares what it needs in comment lines anywhere in its file:
#   # vm-args: ARGS     vmrun options (quoted like a shell line, no
#                       expansion); may repeat. @ROOT@ = repo root,
#                       @BUILD@ = its build/, @OUT@ = a fresh per-test
#                       directory (build/test-logs/vm/NAME.out) for -O
#   # vm-expect: N      expected vmrun exit status (default 0)
#   # vm-log: REGEX     grep -E REGEX must match the log; may repeat
#   # vm-out: FILE      @OUT@/FILE must exist and be non-empty; may repeat
# Every scenario gets -T 60 unless its vm-args say otherwise.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top" || exit 1
logdir=build/test-logs/vm
t_start=$EPOCHREALTIME

skip() {
	echo "SKIP vm tier: $*" >&2
	exit 77
}

secs_since() {
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# --- can this machine run the tier? ---------------------------------------
[ "$(id -u)" = 0 ] || skip "not root"
command -v qemu-system-x86_64 >/dev/null ||
	skip "no qemu-system-x86_64 (scripts/deps.sh installs qemu-system-x86)"
[ -x /bin/busybox ] ||
	skip "no /bin/busybox (scripts/deps.sh installs busybox-static)"
for tool in cpio depmod modprobe xz make cc; do
	command -v "$tool" >/dev/null ||
		skip "no $tool (run scripts/deps.sh)"
done
kver=$(scripts/kver.sh 2>&1) || skip "no kernel to build for and boot: $kver"
[ -d "/lib/modules/$kver/kernel" ] ||
	skip "no /lib/modules/$kver/kernel (linux-image-amd64)"
# build and guest kernel must be the same
export KVER=$kver

# --- scenarios -------------------------------------------------------------
if [ $# -gt 0 ]; then
	tests=()
	for n in "$@"; do
		[ -f "tests/vm/t_$n.sh" ] || {
			echo "vm: no scenario tests/vm/t_$n.sh" >&2
			exit 2
		}
		tests+=("tests/vm/t_$n.sh")
	done
else
	tests=(tests/vm/t_*.sh)
fi

mkdir -p "$logdir"
passed=0 failed=0

fail() {
	local name=$1 reason=$2 log=$3

	echo "FAIL $name ($reason)"
	if [ -f "$log" ]; then
		echo "--- last 30 lines of $log:"
		tail -n 30 "$log"
		echo "---"
	fi
	failed=$((failed + 1))
}

# header KEY FILE: the values of "# vm-KEY: value" lines, one per line
header() {
	sed -n "s/^# vm-$1:[[:space:]]*//p" "$2"
}

echo "vm: kernel $KVER, ${#tests[@]} scenario(s), logs in $logdir/"

t0=$EPOCHREALTIME
if scripts/build-kmod.sh build/kmod >"$logdir/kmod-build.log" 2>&1; then
	echo "vm: built build/kmod/trunkline_probe.ko ($(secs_since "$t0")s)"
else
	fail kmod-build "scripts/build-kmod.sh failed" "$logdir/kmod-build.log"
fi
# DAHDI from Debian's dahdi-source, for the TDM scenarios (cached)
t0=$EPOCHREALTIME
if scripts/build-dahdi.sh build/dahdi >"$logdir/dahdi-build.log" 2>&1; then
	echo "vm: built DAHDI modules in build/dahdi ($(secs_since "$t0")s)"
else
	fail dahdi-build "scripts/build-dahdi.sh failed" "$logdir/dahdi-build.log"
fi

probe_btr=
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	name=${name#t_}
	log=$logdir/$name.log
	out=$top/$logdir/$name.out
	rm -rf "$out"

	args=(-T 60)
	while IFS= read -r line; do
		line=${line//@ROOT@/$top}
		line=${line//@BUILD@/$top/build}
		line=${line//@OUT@/$out}
		# xargs splits like the shell (quotes, backslashes), no expansion
		mapfile -t -O "${#args[@]}" args < <(xargs -r printf '%s\n' \
			<<<"$line")
	done < <(header args "$t")
	expect=$(header expect "$t" | tail -n1)
	expect=${expect:-0}

	t0=$EPOCHREALTIME
	scripts/vmrun.sh "${args[@]}" "$t" >"$log" 2>&1
	rc=$?
	secs=$(secs_since "$t0")

	reason=
	if [ "$rc" != "$expect" ]; then
		case $rc in
		125) reason="no result: panic, oops or timeout" ;;
		126) reason="vmrun bootstrap failure" ;;
		*) reason="guest test exited $rc" ;;
		esac
		reason="$reason; expected exit $expect"
	fi
	if [ -z "$reason" ]; then
		while IFS= read -r re; do
			grep -qE -- "$re" "$log" && continue
			reason="log lacks /$re/"
			break
		done < <(header log "$t")
	fi
	if [ -z "$reason" ]; then
		while IFS= read -r f; do
			[ -s "$out/$f" ] && continue
			reason="guest left no $out/$f"
			break
		done < <(header out "$t")
	fi

	if [ -n "$reason" ]; then
		fail "$name" "$reason" "$log"
		continue
	fi
	echo "PASS $name (${secs}s)"
	passed=$((passed + 1))
	if [ "$name" = probe ]; then
		probe_btr=$(sed -n 's/.*boot-to-result \([0-9.]*s\).*/\1/p' \
			"$log")
	fi
done

[ -n "$probe_btr" ] &&
	echo "vm: probe boot-to-result $probe_btr (QEMU start to exit)"
echo "vm: tier wall time $(secs_since "$t_start")s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
