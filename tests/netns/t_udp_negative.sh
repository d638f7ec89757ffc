#!/bin/bash
# t_udp_negative: the checks can fail. A stream sent to a port nobody
# listens on must make udpx recv, on another port, report total loss and
# exit 1; reordered and duplicated streams (udpx send -f) must be caught;
# bad arguments must give exit 2.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
netns_init

COUNT=50
netns_topo_pair

# expect_fail ROLE PATTERN RECV_ARGS -- SEND_ARGS: run udpx recv in ROLE
# and udpx send in the other namespace; recv must exit 1 and its summary
# must match PATTERN
expect_fail() {
	local to=$1 pattern=$2 from=a out rc line recv_args=() send_args
	shift 2
	[ "$to" = a ] && from=b
	while [ "$1" != -- ]; do
		recv_args+=("$1")
		shift
	done
	shift
	send_args=("$@")
	out=$(mktemp)
	netns_bg "$to" "$out" "$UDPX" recv "${recv_args[@]}"
	netns_wait_udp "$to" "${recv_args[1]}" || fail "udpx recv did not bind"
	nsx "$from" "$UDPX" send "${send_args[@]}" || fail "udpx send failed"
	rc=0
	wait "$NETNS_LAST_PID" || rc=$?
	line=$(cat "$out")
	rm -f "$out"
	log "recv ${recv_args[*]} / send ${send_args[*]}: exit $rc: $line"
	[ "$rc" = 1 ] || fail "udpx recv exit $rc, expected 1 (failure): $line"
	[[ $line =~ $pattern ]] || fail "summary does not match /$pattern/: $line"
}

# to a closed port: nothing reaches the listener on the other port
expect_fail b " received=0 lost=$COUNT .*result=FAIL" \
	"$B_IP4" 5010 "$COUNT" 1500 -- "$B_IP4" 5011 "$COUNT" 200
expect_fail b " received=0 lost=$COUNT .*result=FAIL" \
	"$B_IP6" 5010 "$COUNT" 1500 -- "$B_IP6" 5011 "$COUNT" 200
# in each group of ten packets the last two swapped, or the fifth sent twice
expect_fail b " lost=0 out-of-order=$((COUNT / 10)) duplicates=0 .*result=FAIL" \
	"$B_IP4" 5012 "$COUNT" 3000 -- -f reorder "$B_IP4" 5012 "$COUNT" 200
expect_fail b " lost=0 out-of-order=0 duplicates=$((COUNT / 10)) .*result=FAIL" \
	"$B_IP6" 5012 "$COUNT" 3000 -- -f dup "$B_IP6" 5012 "$COUNT" 200

for args in "" "send" "send $B_IP4 5012" "send $B_IP4 0 1" "send nohost 1 1" \
	"recv 5012 1" "recv 5012 0 100" "recv 5012 1 -5" "send -f x $B_IP4 1 1" \
	"echo 5012 1 0" "ping $B_IP4 5012 1 1"; do
	rc=0
	# shellcheck disable=SC2086 # word splitting of args is the point
	"$UDPX" $args >/dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "udpx $args: exit $rc, expected 2 (usage)"
done
log "ok: loss, reordering, duplication and bad arguments all reported"
