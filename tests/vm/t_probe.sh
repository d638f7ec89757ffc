# t_probe.sh - guest payload: load Trunkline's probe module, check what it
# exposes, unload it, and check that the kernel log stayed clean.
# vm-args: -k @BUILD@/kmod/trunkline_probe.ko
# vm-log: trunkline_probe: loaded: seed=40503 digest=0x
# shellcheck shell=bash

mod=trunkline_probe
sysdir=/sys/kernel/$mod
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

gone() {
	[ ! -e "/sys/module/$mod" ] && [ ! -e "$sysdir" ]
}

# FNV-1a 32 over the four little-endian bytes of $1, as the module does
fnv1a() {
	local v=$1 h=2166136261 i

	for i in 0 1 2 3; do
		h=$(( ((h ^ ((v >> (8 * i)) & 0xff)) * 16777619) & 0xffffffff ))
	done
	printf '0x%08x\n' "$h"
}

# load_check SEED COMMAND...: load with COMMAND seed=SEED, check the
# parameter, the digest and the log line, then unload
load_check() {
	local seed=$1 want got

	shift
	want=$(fnv1a "$seed")
	expect "load: $* seed=$seed" "$@" "seed=$seed"
	got=$(cat "/sys/module/$mod/parameters/seed" 2>&1)
	expect "parameter seed is '$got', want $seed" test "$got" = "$seed"
	got=$(cat "$sysdir/digest" 2>&1)
	expect "digest is '$got', want $want" test "$got" = "$want"
	expect "log line for seed $seed" \
		grep -q "$mod: loaded: seed=$seed digest=$want\$" <<<"$(dmesg)"
	expect "rmmod $mod" rmmod "$mod"
	expect "nothing left after rmmod" gone
}

modinfo "$mod" | grep -E '^(filename|license|vermagic|parm):'
expect "vermagic matches $(uname -r)" \
	grep -q "^$(uname -r) " <<<"$(modinfo -F vermagic "$mod")"
expect "license GPL" test "$(modinfo -F license "$mod")" = GPL

# twice: a second load only works if the first unload cleaned up sysfs
load_check 40503 modprobe "$mod"
load_check 7 insmod "/lib/modules/$(uname -r)/extra/$mod.ko"

# a bad parameter must fail the load and leave nothing behind
expect "load with seed=notanumber refused" \
	test "$(modprobe "$mod" seed=notanumber 2>&1 >/dev/null; echo $?)" != 0
expect "nothing left after the refused load" gone
expect "unload logged" grep -q "$mod: unloaded" <<<"$(dmesg)"

# no oops, BUG or WARN splat in the kernel log, and no taint beyond
# out-of-tree (O, 4096) and unsigned module (E, 8192)
splats=$(dmesg | grep -E 'Oops|BUG|WARNING|Call Trace|general protection')
[ -z "$splats" ] || echo "$splats"
expect "kernel log clean" test -z "$splats"
taint=$(cat /proc/sys/kernel/tainted)
expect "taint $taint is O/E only" test $((taint & ~(4096 | 8192))) -eq 0

# the module's own log lines, for the log (pr_info is below the console
# loglevel) and the runner's vm-log check
dmesg | grep "$mod:"
echo "probe: $fail failure(s)"
[ "$fail" -eq 0 ]
