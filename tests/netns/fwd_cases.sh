# shellcheck shell=bash
# fwd_cases.sh - the forwarding case table, one list run against every
# engine with the same expectations (sourced by t_fwd_relay.sh and
# t_xdp_fwd.sh, which set ENGINE=relay|xdp).
#
# Topology (lib.sh netns_topo_gw): peer a -- gw -- peer b. The gateway
# runs build/tools/fwd_drv (a media_relay under gateway/offload, with the
# XDP engine on both gateway veths when ENGINE=xdp); the peers' veth ends
# carry tl_xdp_pass so that redirected frames are delivered. Each case
# uses ports of its own. Results: one "CASE <name> <engine> PASS|FAIL"
# line each; the test fails if any case failed.

FWD_DRV="$NETNS_REPO/build/tools/fwd_drv"
RTPX="$NETNS_REPO/build/tools/tl_rtpx"
FWD_FAILED=0

# fwd_build: the BPF objects, the driver and tl_rtpx (the Makefile will
# own these rules; until then the test builds what it needs)
fwd_build() {
	"$NETNS_REPO/scripts/build-bpf.sh" "$NETNS_REPO/build/ebpf" ||
		return 1
	netns_build_tool tl_rtpx || return 1
	[ -x "$FWD_DRV" ] && [ ! "$NETNS_REPO/tests/netns/fwd_drv.c" -nt "$FWD_DRV" ] &&
		[ ! "$NETNS_REPO/build/libtrunkline.a" -nt "$FWD_DRV" ] && return 0
	# shellcheck disable=SC2046
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
		-I"$NETNS_REPO/build/ebpf" -o "$FWD_DRV.tmp.$$" \
		"$NETNS_REPO/tests/netns/fwd_drv.c" \
		"$NETNS_REPO/gateway/offload/xdp/ofl_xdp.c" \
		"$NETNS_REPO/build/libtrunkline.a" \
		$(pkg-config --libs libsrtp2 spandsp openssl sqlite3 libbpf \
			libelf zlib liburing) || return 1
	mv -f "$FWD_DRV.tmp.$$" "$FWD_DRV"
}

# fwd_start ENGINE: topology, XDP_PASS on the peers, static neighbours
# (so that counters are exact from the first packet), full checksums
# from the peers, the driver (started with the options in FWD_DRV_OPTS)
FWD_DRV_OPTS=()
fwd_start() {
	fwd_topo
	fwd_drv_start "$1"
}

fwd_topo() {
	local mac_a mac_b
	netns_topo_gw
	nsx a ip link set dev "$IF_A" xdp obj "$NETNS_REPO/build/ebpf/tl_xdp_pass.bpf.o" sec xdp ||
		fail "cannot attach tl_xdp_pass to $IF_A"
	nsx b ip link set dev "$IF_B" xdp obj "$NETNS_REPO/build/ebpf/tl_xdp_pass.bpf.o" sec xdp ||
		fail "cannot attach tl_xdp_pass to $IF_B"
	# senders' frames must carry full UDP checksums, as from a NIC
	nsx a "$RTPX" nocsum "$IF_A" || fail "cannot turn off tx csum on $IF_A"
	nsx b "$RTPX" nocsum "$IF_B" || fail "cannot turn off tx csum on $IF_B"
	mac_a=$(nsx a cat "/sys/class/net/$IF_A/address")
	mac_b=$(nsx b cat "/sys/class/net/$IF_B/address")
	nsx gw ip neigh replace "$A_IP4" lladdr "$mac_a" dev "$IF_GW_A" nud permanent
	nsx gw ip neigh replace "$A_IP6" lladdr "$mac_a" dev "$IF_GW_A" nud permanent
	nsx gw ip neigh replace "$B_IP4" lladdr "$mac_b" dev "$IF_GW_B" nud permanent
	nsx gw ip neigh replace "$B_IP6" lladdr "$mac_b" dev "$IF_GW_B" nud permanent
}

# fwd_drv_start ENGINE: the driver as a coprocess (DRV, DRV_PID); its
# stderr is appended to FWD_LOG
fwd_drv_start() {
	coproc DRV { ip netns exec "$NS_GW" "$FWD_DRV" "$1" "${FWD_DRV_OPTS[@]}" "$IF_GW_A" "$IF_GW_B" 2>>"$FWD_LOG"; }
	NETNS_PIDS+=("$DRV_PID")
	read -r -t 10 line <&"${DRV[0]}" || fail "fwd_drv did not start"
	log "driver: $line"
	[ "$line" = "ok engine=$1" ] || fail "fwd_drv: $line"
}

# drv CMD...: one command to the driver; its answer in $REPLY_LINE
drv() {
	echo "$*" >&"${DRV[1]}"
	read -r -t 10 REPLY_LINE <&"${DRV[0]}" || fail "fwd_drv: no answer to $*"
	[[ $REPLY_LINE == ok* ]] || fail "fwd_drv: $*: $REPLY_LINE"
}

# stat LOCAL KEY: one counter of the flow keyed on LOCAL
stat() {
	drv stats "$1"
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$REPLY_LINE"
}

# stream FROM TO SRC SPORT DST DPORT RADDR RPORT COUNT PT SEQ0: send with
# tl_rtpx, receive in TO on RADDR:RPORT; the receiver's output in $RX
stream() {
	local out
	out=$(mktemp)
	netns_bg "$2" "$out" "$RTPX" recv "$7" "$8" "$9" 1500
	netns_wait_udp "$2" "$8" || fail "receiver did not bind $7:$8"
	nsx "$1" "$RTPX" send "$3" "$4" "$5" "$6" "$9" "${10}" "${11}" 200 >/dev/null ||
		fail "send failed"
	wait "$NETNS_LAST_PID" || true
	RX=$(cat "$out")
	rm -f "$out"
}

# expect WHAT COND: record one expectation of the current case
expect() {
	if eval "$2"; then
		return 0
	fi
	log "  expectation failed: $1 ($2)"
	CASE_OK=0
}

case_begin() { CASE_NAME=$1 CASE_OK=1; log "case $1"; }
case_end() {
	echo "CASE $CASE_NAME $ENGINE $([ $CASE_OK = 1 ] && echo PASS || echo FAIL)"
	[ $CASE_OK = 1 ] || FWD_FAILED=$((FWD_FAILED + 1))
}

rx() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$RX" | tail -1; }
rx_first() { grep '^first' <<<"$RX" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# pair PORT_A PORT_GA PORT_GB PORT_B V [OPTS...]: flows a<->b via the gw
pair() {
	local pa=$1 pga=$2 pgb=$3 pb=$4 v=$5 ga gb a b
	shift 5
	if [ "$v" = 6 ]; then
		ga="[$GW_A_IP6]" gb="[$GW_B_IP6]" a="[$A_IP6]" b="[$B_IP6]"
	else
		ga=$GW_A_IP4 gb=$GW_B_IP4 a=$A_IP4 b=$B_IP4
	fi
	drv flow 1 "$ga:$pga" "$a:$pa" "$gb:$pgb" "$b:$pb" "$@"
	drv flow 2 "$gb:$pgb" "$b:$pb" "$ga:$pga" "$a:$pa" "$@"
	drv install
}

# the fast share: all of it for xdp, none for the relay
want_fast() { [ "$ENGINE" = xdp ] && echo "$1" || echo 0; }

N=100

fwd_case_both_ways() {
	case_begin both_ways_ipv4
	pair 40000 30000 30002 50000 4
	stream a b "$A_IP4" 40000 "$GW_A_IP4" 30000 "$B_IP4" 50000 $N 0 100
	expect "b got all" '[ "$(rx got)" = $N ]'
	expect "from gw b" '[ "$(rx_first from)" = "$GW_B_IP4:30002" ]'
	expect "checksums" '[ "$(rx csum_bad)" = 0 ] && [ "$(rx csum_ok)" -ge "$(want_fast $N)" ]'
	stream b a "$B_IP4" 50000 "$GW_B_IP4" 30002 "$A_IP4" 40000 $N 0 100
	expect "a got all" '[ "$(rx got)" = $N ]'
	expect "from gw a" '[ "$(rx_first from)" = "$GW_A_IP4:30000" ]'
	expect "checksums back" '[ "$(rx csum_bad)" = 0 ]'
	expect "counter a->b" '[ "$(stat "$GW_A_IP4:30000" packets)" = $N ]'
	expect "bytes a->b" '[ "$(stat "$GW_A_IP4:30000" bytes)" = $((N * 172)) ]'
	expect "fast share" '[ "$(stat "$GW_B_IP4:30002" fast)" = "$(want_fast $N)" ]'
	case_end
}

fwd_case_rewrite() {
	case_begin ssrc_seq_ts_rewrite
	pair 40010 30010 30012 50010 4 ssrc=0xabcd0001 seq=1000 ts=8000
	stream a b "$A_IP4" 40010 "$GW_A_IP4" 30010 "$B_IP4" 50010 $N 0 65000
	expect "b got all" '[ "$(rx got)" = $N ]'
	expect "ssrc" '[ "$(rx_first ssrc)" = abcd0001 ]'
	expect "seq wraps" '[ "$(rx_first seq)" = $(((65000 + 1000) % 65536)) ]'
	expect "ts" '[ "$(rx_first ts)" = 8000 ]'
	expect "checksums" '[ "$(rx csum_bad)" = 0 ]'
	case_end
}

fwd_case_rtcp() {
	case_begin rtcp_mux
	pair 40020 30020 30022 50020 4 mux ssrc=0xabcd0002
	stream a b "$A_IP4" 40020 "$GW_A_IP4" 30020 "$B_IP4" 50020 $N 200 1
	expect "b got all" '[ "$(rx got)" = $N ]'
	expect "rtcp untouched" '[ "$(rx_first ssrc)" = 5eed0001 ]'
	expect "checksums" '[ "$(rx csum_bad)" = 0 ]'
	case_end
}

fwd_case_ipv6() {
	case_begin both_ways_ipv6
	pair 40030 30030 30032 50030 6 seq=7
	stream a b "$A_IP6" 40030 "$GW_A_IP6" 30030 "$B_IP6" 50030 $N 0 1
	expect "b got all" '[ "$(rx got)" = $N ]'
	expect "from gw b" '[ "$(rx_first from)" = "$GW_B_IP6:30032" ]'
	expect "seq" '[ "$(rx_first seq)" = 8 ]'
	expect "checksums" '[ "$(rx csum_bad)" = 0 ] && [ "$(rx csum_ok)" -ge "$(want_fast $N)" ]'
	stream b a "$B_IP6" 50030 "$GW_B_IP6" 30032 "$A_IP6" 40030 $N 0 1
	expect "a got all" '[ "$(rx got)" = $N ]'
	expect "fast share" '[ "$(stat "[$GW_A_IP6]:30030" fast)" = "$(want_fast $N)" ]'
	case_end
}

fwd_case_pass_up() {
	local s0
	case_begin pass_up_unknown_source_pt
	pair 40040 30040 30042 50040 4 pt_user=101
	drv slow
	s0=${REPLY_LINE#ok slow=}
	stream a b "$A_IP4" 40041 "$GW_A_IP4" 30040 "$B_IP4" 50040 20 0 1
	expect "wrong source not forwarded" '[ "$(rx got)" = 0 ]'
	stream a b "$A_IP4" 40040 "$GW_A_IP4" 30040 "$B_IP4" 50040 20 101 1
	expect "telephone-event not forwarded" '[ "$(rx got)" = 0 ]'
	stream a b "$A_IP4" 40040 "$GW_A_IP4" 30040 "$B_IP4" 50040 20 1000 1
	expect "rtp v1 not forwarded" '[ "$(rx got)" = 0 ]'
	expect "punt source" '[ "$(stat "$GW_A_IP4:30040" punt_source)" = 20 ]'
	expect "punt pt" '[ "$(stat "$GW_A_IP4:30040" punt_pt)" = 20 ]'
	expect "punt malformed" '[ "$(stat "$GW_A_IP4:30040" punt_malformed)" = 20 ]'
	expect "forwarded none" '[ "$(stat "$GW_A_IP4:30040" packets)" = 0 ]'
	drv slow
	expect "all 60 reached userspace" '[ $((${REPLY_LINE#ok slow=} - s0)) = 60 ]'
	case_end
}

fwd_case_remove() {
	case_begin removed_flow_stops
	pair 40050 30050 30052 50050 4
	stream a b "$A_IP4" 40050 "$GW_A_IP4" 30050 "$B_IP4" 50050 20 0 1
	expect "before" '[ "$(rx got)" = 20 ]'
	drv remove "$GW_A_IP4:30050" "$GW_B_IP4:30052"
	stream a b "$A_IP4" 40050 "$GW_A_IP4" 30050 "$B_IP4" 50050 20 0 21
	expect "after: nothing" '[ "$(rx got)" = 0 ]'
	case_end
}

# peer b's MAC changes (a failover, a replaced host): XDP caches the next
# hop per flow, and must follow the change within its hop TTL (1 s); the
# relay follows the kernel's neighbour table at once
fwd_case_neigh_change() {
	local old new=02:00:5e:10:00:0b
	case_begin neighbour_change
	pair 40070 30070 30072 50070 4
	stream a b "$A_IP4" 40070 "$GW_A_IP4" 30070 "$B_IP4" 50070 20 0 1
	expect "before" '[ "$(rx got)" = 20 ]'
	# a counters read gives the flow its cached hop (XDP)
	drv stats "$GW_A_IP4:30070"
	old=$(nsx b cat "/sys/class/net/$IF_B/address")
	nsx b ip link set dev "$IF_B" address "$new"
	nsx gw ip neigh replace "$B_IP4" lladdr "$new" dev "$IF_GW_B" nud permanent
	sleep 1.5
	stream a b "$A_IP4" 40070 "$GW_A_IP4" 30070 "$B_IP4" 50070 20 0 21
	expect "after the change" '[ "$(rx got)" = 20 ]'
	# a counters read re-resolves a stale hop; forwarding goes on
	drv stats "$GW_A_IP4:30070"
	stream a b "$A_IP4" 40070 "$GW_A_IP4" 30070 "$B_IP4" 50070 20 0 41
	expect "after re-resolving" '[ "$(rx got)" = 20 ]'
	expect "all by the fast engine" '[ "$(stat "$GW_A_IP4:30070" fast)" = "$(want_fast 60)" ]'
	nsx b ip link set dev "$IF_B" address "$old"
	nsx gw ip neigh replace "$B_IP4" lladdr "$old" dev "$IF_GW_B" nud permanent
	case_end
}

# udpx checks loss, order and duplicates by payload index while the pair
# moves between the relay and XDP under a running stream
fwd_case_handoff() {
	local out i rc=0 line
	case_begin handoff_no_loss_no_dup
	drv flow 1 "$GW_A_IP4:30060" any "$GW_B_IP4:30062" "$B_IP4:50060" seq=5
	drv flow 2 "$GW_B_IP4:30062" any "$GW_A_IP4:30060" "$A_IP4:40060" seq=5
	drv install
	[ "$ENGINE" = xdp ] && drv offload off "$GW_A_IP4:30060" "$GW_B_IP4:30062"
	out=$(mktemp)
	netns_bg b "$out" "$UDPX" recv "$B_IP4" 50060 2000 8000
	netns_wait_udp b 50060 || fail "udpx recv did not bind"
	nsx a "$UDPX" send "$GW_A_IP4" 30060 2000 1000 >/dev/null &
	local snd=$!
	for i in 1 2 3 4 5 6; do
		sleep 0.25
		if [ "$ENGINE" = xdp ]; then
			[ $((i % 2)) = 1 ] && drv offload on "$GW_A_IP4:30060" "$GW_B_IP4:30062"
			[ $((i % 2)) = 0 ] && drv offload off "$GW_A_IP4:30060" "$GW_B_IP4:30062"
		fi
	done
	wait "$snd" || true
	wait "$NETNS_LAST_PID" || rc=$?
	line=$(cat "$out")
	rm -f "$out"
	log "  $line"
	expect "udpx exact" '[ $rc = 0 ] && [[ $line == *"lost=0 out-of-order=0 duplicates=0 bad=0"* ]]'
	drv stats "$GW_A_IP4:30060"
	log "  $REPLY_LINE"
	expect "counted once" '[ "$(stat "$GW_A_IP4:30060" packets)" = 2000 ]'
	if [ "$ENGINE" = xdp ]; then
		expect "both engines carried it" '[ "$(stat "$GW_A_IP4:30060" fast)" -gt 0 ] && [ "$(stat "$GW_A_IP4:30060" slow)" -gt 0 ]'
	fi
	case_end
}

fwd_run_all() {
	fwd_case_both_ways
	fwd_case_rewrite
	fwd_case_rtcp
	fwd_case_ipv6
	fwd_case_pass_up
	fwd_case_remove
	fwd_case_neigh_change
	fwd_case_handoff
	[ "$FWD_FAILED" = 0 ] || fail "$FWD_FAILED forwarding cases failed ($ENGINE)"
}
