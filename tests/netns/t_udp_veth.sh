#!/bin/bash
# t_udp_veth: two namespaces on one veth pair exchange 200 RTP-like UDP
# packets each way, over IPv4 and over IPv6; all must arrive, in order.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
netns_init

COUNT=200
netns_topo_pair
log "topology: $NS_A ($IF_A $A_IP4 $A_IP6) -- $NS_B ($IF_B $B_IP4 $B_IP6)"

udp_stream a b "$B_IP4" 5004 "$COUNT"
udp_stream b a "$A_IP4" 5004 "$COUNT"
udp_stream a b "$B_IP6" 5006 "$COUNT"
udp_stream b a "$A_IP6" 5006 "$COUNT"
log "ok: 4 streams of $COUNT packets"
