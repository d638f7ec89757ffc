#!/bin/bash
# t_xdp_call: a real SIP to SIP call whose media the daemon hands to XDP.
# The daemon runs in namespace gw with `offload = xdp` on its two veths;
# SIPp calls from namespace a (198.18.1.2) to SIPp answering in namespace
# b (198.18.2.2, RTP echoed with -rtp_echo), both legs PCMA, audio played
# from SIPp's g711a.pcap. Checks: "show flows" has the call's RTP pair on
# engine xdp, counting in the fast engine and growing; the RTP reaches b
# (its echo comes back from b's media port to the gateway's socket, and
# b's veth counts the packets); the hold and resume of the caller take
# the flows out and put them back; after the BYE the flows are gone and
# the CDR says xdp.
set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/fwd_cases.sh
. "$(dirname "$0")/fwd_cases.sh"
netns_init

TRUNKLINE=${TL_TRUNKLINE:-$NETNS_REPO/build/trunkline}
CTL=$NETNS_REPO/build/trunklinectl
CALLDIR=$NETNS_REPO/tests/integration/call
PCAP=/usr/share/sip-tester
command -v sipp >/dev/null || fail "sipp not installed (sip-tester)"
[ -f "$PCAP/g711a.pcap" ] || fail "no $PCAP/g711a.pcap (sip-tester)"
[ -x "$TRUNKLINE" ] && [ -x "$CTL" ] || fail "build the daemon first"
"$NETNS_REPO/scripts/build-bpf.sh" "$NETNS_REPO/build/ebpf" >/dev/null ||
	fail "cannot build the BPF objects"
netns_build_tool tl_rtpx || fail "cannot build tl_rtpx"

FAILS=0
ok() { log "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	FAILS=$((FAILS + 1))
}
# wait_for DESCRIPTION SECONDS COMMAND...: poll until COMMAND succeeds
wait_for() {
	local d=$1 n=$(($2 * 10))
	shift 2
	for _ in $(seq 1 "$n"); do
		if "$@" >/dev/null 2>&1; then ok "$d"; return 0; fi
		sleep 0.1
	done
	not_ok "$d"
	return 1
}

# peers with XDP_PASS on their veths, full UDP checksums, static
# neighbours on the gateway (fwd_cases.sh)
fwd_topo
DIR=$(mktemp -d /tmp/tl-xdpcall.XXXXXX)
trap 'rc=$?; rm -rf "$DIR"; (exit $rc); netns_cleanup' EXIT
export TRUNKLINE_CTL=$DIR/ctl.sock
UAC_MP=16000
UAS_MP=26000
cat >"$DIR/gw.conf" <<EOC
[general]
name = xdp-call
log_level = info
[control]
socket = $TRUNKLINE_CTL
[sip]
listen = udp:$GW_A_IP4:5060, udp:$GW_B_IP4:5060
[offload]
offload = xdp
interfaces = $IF_GW_A, $IF_GW_B
; ip netns exec hides /sys/fs/bpf: nothing pinned
pin_dir =
[peer sipp]
address = $A_IP4
[peer uas]
address = $B_IP4:5060
identify = no
[route relay]
ingress = peer:sipp
called = 300
targets = peer:uas
[cdr]
csv = $DIR/cdr.csv
sqlite = $DIR/cdr.sqlite
[calls]
no_answer = 10s
EOC
netns_bg gw "$DIR/daemon.log" "$TRUNKLINE" -f -c "$DIR/gw.conf"
GW_PID=$NETNS_LAST_PID
up=
for _ in $(seq 1 100); do
	"$CTL" -T 2 status >/dev/null 2>&1 && up=1 && break
	kill -0 "$GW_PID" 2>/dev/null || break
	sleep 0.1
done
[ -n "$up" ] || { cat "$DIR/daemon.log"; fail "the daemon did not start"; }
if "$CTL" -j show flows | grep -q '"engine": *"xdp"'; then
	ok "the offload layer runs XDP"
else
	cat "$DIR/daemon.log"
	fail "the offload layer did not take XDP"
fi

mkdir -p "$DIR/uas" "$DIR/uac"
ln -sfn "$PCAP" "$DIR/uac/pcap"
(cd "$DIR/uas" && exec ip netns exec "$NS_B" timeout 60 sipp \
	-sf "$CALLDIR/uas-relay-echo.xml" -i "$B_IP4" -p 5060 -m 1 \
	-mi "$B_IP4" -mp "$UAS_MP" -rtp_echo -timeout 50s -timeout_error \
	-trace_err -trace_msg -nostdin >"$DIR/uas/out" 2>&1) &
uas_pid=$!
NETNS_PIDS+=("$uas_pid")
netns_wait_udp b 5060 || fail "the SIPp UAS did not bind"
(cd "$DIR/uac" && exec ip netns exec "$NS_A" timeout 60 sipp \
	-sf "$CALLDIR/uac-relay-hold.xml" -s 300 -i "$A_IP4" -p 5062 -m 1 \
	-mi "$A_IP4" -mp "$UAC_MP" -timeout 50s -timeout_error -trace_err \
	-nostdin "$GW_A_IP4:5060" >"$DIR/uac/out" 2>&1) &
uac_pid=$!
NETNS_PIDS+=("$uac_pid")

flows() {
	"$CTL" -j show flows 2>/dev/null | python3 -c "import json,sys
F=json.load(sys.stdin)['flows']
print($1)"
}
# the RTP pair on XDP, forwarded there both ways
rtp_xdp() {
	[ "$(flows "sum(1 for f in F if f['engine']=='xdp' and f['fast']>0
		and f['to']=='$B_IP4:$UAS_MP')")" = 1 ] &&
		[ "$(flows "sum(1 for f in F if f['engine']=='xdp' and
		f['fast']>0 and f['source']=='$B_IP4:$UAS_MP')")" = 1 ]
}
no_flows() { [ "$(flows "len(F)")" = 0 ]; }
fast() { flows "sum(f['fast'] for f in F)"; }

wait_for "the call's RTP pair is on XDP, both ways" 10 rtp_xdp
f1=$(fast)
rx1=$(netns_if_stat b "$IF_B" rx_packets)
sleep 1
f2=$(fast)
rx2=$(netns_if_stat b "$IF_B" rx_packets)
if [ "${f2:-0}" -gt "${f1:-0}" ]; then ok "XDP counters grow ($f1 -> $f2)"
else not_ok "XDP counters grow ($f1 -> $f2)"; fi
# b's veth takes what XDP redirected to it (SIPp's echo proves the
# payload reached its socket: rtp_xdp's second flow)
if [ $((rx2 - rx1)) -gt 0 ]; then ok "the RTP arrives at b (+$((rx2 - rx1)))"
else not_ok "the RTP arrives at b"; fi
grep -q "media relayed by xdp" "$DIR/daemon.log" &&
	ok "the call log names the engine" || not_ok "the call log names xdp"
wait_for "hold: the flows are removed" 8 no_flows
wait_for "resume: the pair is back on XDP" 8 rtp_xdp
if wait "$uac_pid"; then ok "uac: call, hold, resume, BYE"; else
	not_ok "uac: call, hold, resume, BYE"
	tail -20 "$DIR/uac/out"
fi
if wait "$uas_pid"; then ok "uas: answered, echoed, BYE"; else
	not_ok "uas: answered, echoed, BYE"
	tail -20 "$DIR/uas/out"
fi
wait_for "after the BYE no flows are left" 5 no_flows
media=
for _ in $(seq 1 50); do
	media=$(python3 -c "import csv,sys
r=list(csv.DictReader(open(sys.argv[1])))
print(r[0]['media'], r[0]['relayed_pkts'])" "$DIR/cdr.csv" 2>/dev/null) &&
		[ -n "$media" ] && break
	sleep 0.1
done
if [ "${media%% *}" = xdp ] && [ "${media##* }" -gt 0 ] 2>/dev/null; then
	ok "CDR: media xdp, $media packets"
else not_ok "CDR: media xdp with packets (got '$media')"; fi
kill -TERM "$GW_PID"
wait "$GW_PID" && ok "the daemon stops cleanly" ||
	not_ok "the daemon stops cleanly"
if [ "$FAILS" != 0 ]; then
	cat "$DIR/daemon.log"
	fail "$FAILS checks failed"
fi
echo "all checks passed"
