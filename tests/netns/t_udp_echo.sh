#!/bin/bash
# t_udp_echo: udpx echo in one namespace returns every packet to its
# source; udpx ping in the other gets all of them back, in order (IPv4
# and IPv6), and an echo that outlives its timeout reports failure.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
netns_init

COUNT=200
netns_topo_pair

for addr in "$B_IP4" "$B_IP6"; do
	out=$(mktemp)
	netns_bg b "$out" "$UDPX" echo "$addr" 5020 "$COUNT" 10000
	netns_wait_udp b 5020 || fail "udpx echo did not bind [$addr]:5020"
	line=$(nsx a "$UDPX" ping "$addr" 5020 "$COUNT" 500 2000) ||
		fail "udpx ping [$addr]:5020: $line"
	log "$line"
	rc=0
	wait "$NETNS_LAST_PID" || rc=$?
	log "$(cat "$out")"
	[ "$rc" = 0 ] || fail "udpx echo exit $rc: $(cat "$out")"
	rm -f "$out"
done

rc=0
line=$(nsx b "$UDPX" echo "$B_IP4" 5021 1 300) || rc=$?
log "idle echo: exit $rc: $line"
[ "$rc" = 1 ] || fail "idle udpx echo exit $rc, expected 1: $line"
log "ok: echo and ping, v4 and v6"
