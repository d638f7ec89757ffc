#!/bin/bash
# t_xdp_crash: a daemon killed without cleanup leaves its XDP program
# attached and its maps pinned, and that program goes on forwarding the
# dead daemon's calls. The next daemon, finding the pinned maps, must
# flush them before anything else, so that those flows stop at once.
#
# The pins live on a bpffs mounted for this test: `ip netns exec`
# remounts /sys, hiding /sys/fs/bpf.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/fwd_cases.sh
. "$(dirname "$0")/fwd_cases.sh"
netns_init
ENGINE=xdp
FWD_LOG=$(mktemp)
PIN_MNT=$(mktemp -d)

crash_cleanup() {
	local rc=$?
	[ $rc = 0 ] || sed 's/^/  fwd_drv: /' "$FWD_LOG"
	umount -l "$PIN_MNT" 2>/dev/null || true
	rmdir "$PIN_MNT" 2>/dev/null || true
	rm -f "$FWD_LOG"
	return $rc
}
trap 'crash_cleanup; netns_cleanup' EXIT

# drv_pid: the running fwd_drv (inside this test's gateway namespace)
drv_pid() {
	local pid
	for pid in $(ip netns pids "$NS_GW"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = fwd_drv ] &&
			echo "$pid" && return 0
	done
	return 1
}

# pinned_flows: entries in the pinned tl_flows map
pinned_flows() {
	bpftool -j map dump pinned "$PIN_MNT/trunkline/tl_flows" |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

mount -t bpf bpf "$PIN_MNT" || fail "cannot mount a bpffs"
FWD_DRV_OPTS=("--pin=$PIN_MNT/trunkline")
fwd_build || fail "cannot build the BPF objects or fwd_drv"
fwd_topo
fwd_drv_start xdp
N=50

case_begin crash_leaves_state
pair 40000 30000 30002 50000 4
stream a b "$A_IP4" 40000 "$GW_A_IP4" 30000 "$B_IP4" 50000 $N 0 1
expect "forwarded while alive" '[ "$(rx got)" = $N ]'
pid=$(drv_pid) || fail "no fwd_drv process"
kill -9 "$pid"
wait "$DRV_PID" 2>/dev/null || true
expect "maps pinned after the crash" '[ "$(pinned_flows)" = 2 ]'
expect "program still attached" 'nsx gw ip link show "$IF_GW_A" | grep -q " xdp"'
# nobody in userspace now: what arrives is the orphaned program's work
stream a b "$A_IP4" 40000 "$GW_A_IP4" 30000 "$B_IP4" 50000 $N 0 100
expect "stale flow still forwarded" '[ "$(rx got)" = $N ]'
case_end

case_begin successor_flushes
fwd_drv_start xdp
expect "flush logged" 'grep -q "flushed 2 stale flows" "$FWD_LOG"'
expect "pinned map empty" '[ "$(pinned_flows)" = 0 ]'
stream a b "$A_IP4" 40000 "$GW_A_IP4" 30000 "$B_IP4" 50000 $N 0 200
expect "stale flow no longer forwarded" '[ "$(rx got)" = 0 ]'
# and the successor forwards its own calls through the reused maps
pair 40010 30010 30012 50010 4
stream a b "$A_IP4" 40010 "$GW_A_IP4" 30010 "$B_IP4" 50010 $N 0 1
expect "new flow forwarded" '[ "$(rx got)" = $N ]'
expect "by XDP" '[ "$(stat "$GW_A_IP4:30010" fast)" = $N ]'
case_end
[ "$FWD_FAILED" = 0 ] || fail "$FWD_FAILED crash cases failed"
