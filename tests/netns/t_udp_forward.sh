#!/bin/bash
# t_udp_forward: peer a -> gateway -> peer b and back, routed by the
# gateway's kernel (IPv4 and IPv6 forwarding), 200 packets each way;
# the gateway's egress counters prove the packets went through it.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
netns_init

COUNT=200
netns_topo_gw
log "topology: $NS_A ($A_IP4 $A_IP6) -- $NS_GW -- $NS_B ($B_IP4 $B_IP6)"

# through_gw IFNAME CMD...: run CMD, then check that the gateway sent
# at least COUNT packets out of its IFNAME meanwhile
through_gw() {
	local ifname=$1 before after
	shift
	before=$(netns_if_stat gw "$ifname" tx_packets)
	"$@"
	after=$(netns_if_stat gw "$ifname" tx_packets)
	log "gateway $ifname tx_packets: +$((after - before))"
	[ $((after - before)) -ge "$COUNT" ] ||
		fail "only $((after - before)) packets left the gateway on $ifname"
}

through_gw "$IF_GW_B" udp_stream a b "$B_IP4" 5004 "$COUNT"
through_gw "$IF_GW_A" udp_stream b a "$A_IP4" 5004 "$COUNT"
through_gw "$IF_GW_B" udp_stream a b "$B_IP6" 5006 "$COUNT"
through_gw "$IF_GW_A" udp_stream b a "$A_IP6" 5006 "$COUNT"
log "ok: 4 forwarded streams of $COUNT packets"
