#!/bin/bash
# SIP to SIP without decoding: SIPp as the caller (peer "sipp") calls 300,
# routed to SIPp as the callee (peer "uas", RTP echoed with -rtp_echo).
# Both legs speak PCMA with telephone-event, so once each peer's RTP has
# come in the gateway forwards the media through the userspace relay:
# "show flows" has the call's flows, engine relay, counting packets both
# ways; the callee was offered the gateway's address (media anchored) and
# its echo comes back from its own address to the gateway's socket. A
# hold re-INVITE takes the flows down (the call is decoded while held),
# the resume puts them back; the digit the caller plays as RFC 4733 is
# seen by the gateway and passed on; after the BYE the flows are gone and
# the CDR row counts the relayed packets. A second call whose RTP stops is
# released for no media (cause 41) although its sessions saw none of it.
# A third has early media: the callee's announcement after its 183
# reaches the caller before the answer, and the RTP is relayed after. In
# a fourth the caller's NAT binding changes mid-call: the flows follow.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
command -v sipp >/dev/null || {
	echo "FAIL-REASON: sipp not installed (scripts/deps.sh: sip-tester)"
	exit 1
}
[ -n "$LC_PCAP" ] || {
	echo "FAIL-REASON: SIPp's g711a.pcap not found (package sip-tester)"
	exit 1
}
UAC_MP=$((LC_PORT + 2000))
UAS_MP=$((LC_PORT + 4000))
conf=$(it_conf)
awk '/^\[/ { skip = ($0 ~ /^\[(route|peer) /) || $0 == "[cdr]" ||
	$0 == "[calls]" || $0 == "[offload]" } !skip' "$conf" >"$conf.tmp" &&
	mv "$conf.tmp" "$conf"
cat >>"$conf" <<EOC
[sip]
listen = udp:127.0.0.1:$LC_PORT
[offload]
offload = off
[peer sipp]
address = 127.0.0.1
[peer uas]
address = 127.0.0.1:$LC_UAS_PORT
identify = no
[route relay]
ingress = peer:sipp
called = 300
targets = peer:uas
[cdr]
csv = $IT_DIR/cdr.csv
sqlite = $IT_DIR/cdr.sqlite
[calls]
no_answer = 10s
media_timeout = 4s
EOC
it_start "$conf" || {
	not_ok "daemon starts with SIP, offload and a CDR"
	it_done
}

# flows FIELD-EXPR: evaluate a Python expression over the flow list F
flows() {
	"$CTL" -j show flows 2>/dev/null | python3 -c "import json,sys
F=json.load(sys.stdin)['flows']
print($1)"
}
nflows() { flows "len(F)"; }
# the RTP pair: two flows with packets, engine relay, whose local ports
# are the gateway's ports towards each peer
rtp_relayed() {
	[ "$(flows "sum(1 for f in F if f['engine']=='relay' and
		f['packets']>0 and f['to'].endswith(':$UAS_MP'))")" = 1 ] &&
		[ "$(flows "sum(1 for f in F if f['engine']=='relay' and
		f['packets']>0 and f['source'].endswith(':$UAS_MP'))")" = 1 ]
}
no_flows() { [ "$(nflows)" = 0 ]; }
# uac_start NAME SCENARIO: SIPp as the caller (peer "sipp") calling 300,
# its RTP on UAC_MP, pcap/ in reach, in the background (pid in uac_pid)
uac_start() {
	lc_sipp_dir "$1"
	(cd "$IT_DIR/$1/x" && timeout 60 sipp -sf "$LC_CALLDIR/$2" -s 300 \
		-i 127.0.0.1 -p 0 -m 1 -mi 127.0.0.1 -mp "$UAC_MP" \
		-timeout 40s -timeout_error -trace_err -trace_msg -nostdin \
		"127.0.0.1:$LC_PORT" >"$IT_DIR/$1/out" 2>&1) &
	uac_pid=$!
}
pkts() { flows "sum(f['packets'] for f in F)"; }

lc_sipp_uas uas "$LC_CALLDIR/uas-relay-echo.xml" -rtp_echo -mp "$UAS_MP"
uac_start uac uac-relay-hold.xml

# 1. answered, RTP both ways: relayed
wait_for "the call is answered" 10 lc_answered
wait_for "RTP relayed both ways (engine relay, packets counted)" 5 \
	rtp_relayed
call_media=$("$CTL" -j show calls | python3 -c "import json,sys
c=json.load(sys.stdin)['calls'][0]
print(c['media'], c['relayed'])")
if [ "${call_media%% *}" = relay ] && [ "${call_media##* }" -gt 0 ]; then
	ok "show calls: media relay, ${call_media##* } packets"
else not_ok "show calls: media relay with packets (got '$call_media')"; fi
p1=$(pkts)
sleep 1
p2=$(pkts)
if [ "${p2:-0}" -gt "${p1:-0}" ]; then ok "the counters grow ($p1 -> $p2)"
else not_ok "the counters grow ($p1 -> $p2)"; fi
# anchored: the callee was offered the gateway's socket, the one whose
# flow forwards the callee's echo back (source = the callee's port)
gw_port=$(lc_msgs uas | awk '/^INVITE /{i=1} i && /^m=audio/{print $2; exit}')
if [ -n "$gw_port" ] && [ "$(flows "sum(1 for f in F if
	f['local']=='127.0.0.1:$gw_port' and
	f['source']=='127.0.0.1:$UAS_MP' and f['packets']>0)")" = 1 ]; then
	ok "the callee sends to the gateway's address (127.0.0.1:$gw_port)"
else
	not_ok "the callee sends to the gateway's address ('$gw_port')"
fi
wait_for "the RFC 4733 digit is seen while relayed" 5 \
	grep -q "DTMF 1 from" "$IT_DIR/daemon.log"
wait_for "the digit reached the callee (its echo is seen)" 5 \
	grep -q "DTMF 1 from peer:uas" "$IT_DIR/daemon.log"
if [ "$(flows "sum(f['punts'] for f in F)")" -gt 0 ]; then
	ok "telephone-events go to the slow path"
else not_ok "telephone-events go to the slow path"; fi

# 2. hold (sendonly): the flows go, the call goes on decoded
wait_for "hold: the flows are removed" 8 no_flows
check "hold: the call is still up" lc_answered
held=$("$CTL" -j show calls | python3 -c "import json,sys
print(json.load(sys.stdin)['calls'][0]['media'])")
check "hold: show calls says decoded" [ "$held" = decoded ]
# 3. resume: the flows come back and count again
wait_for "resume: the flows are installed again and count" 8 rtp_relayed
grep -q "media relayed by relay" "$IT_DIR/daemon.log" &&
	ok "the engine is logged per call" ||
	not_ok "the engine is logged per call"

# 4. BYE: flows gone, both SIPp done, the CDR counts the relayed packets
if wait "$uac_pid"; then ok "uac: call, hold, resume, BYE"; else
	not_ok "uac: call, hold, resume, BYE"
	lc_show_fail uac
fi
lc_wait_uas "uas: answered, RTP echoed, BYE" uas
wait_for "after the BYE no flows are left" 5 no_flows
wait_for "no call is left" 5 lc_no_calls
for _ in $(seq 1 50); do lc_cdr_rows 1 && break; sleep 0.1; done
relayed=$(python3 -c "import sqlite3,sys
r=sqlite3.connect(sys.argv[1]).execute(
    'SELECT media, relayed_pkts FROM cdr').fetchone()
print('%s %d' % r)" "$IT_DIR/cdr.sqlite" 2>/dev/null)
if [ "${relayed%% *}" = relay ] && [ "${relayed##* }" -gt 0 ] 2>/dev/null
then ok "CDR: media relay, ${relayed##* } packets"; else
	not_ok "CDR: media relay with packets counted (got '$relayed')"; fi
csv=$(python3 -c "import csv,sys
r=list(csv.DictReader(open(sys.argv[1])))[0]
print(r['media'], r['relayed_pkts'])" "$IT_DIR/cdr.csv" 2>/dev/null)
if [ -n "$csv" ] && [ "$csv" = "$relayed" ]; then
	ok "CSV CDR agrees ($csv)"
else
	not_ok "CSV CDR: got '$csv', want '$relayed'"; fi

# 5. media timeout while relayed: the caller goes silent after 7 s of
# audio, the callee only echoes, so nothing reaches the gateway; the
# sessions see nothing while relayed, the flows' last packet time counts
lc_sipp_uas uas2 "$LC_CALLDIR/uas-relay-echo.xml" -rtp_echo -mp "$UAS_MP"
uac_start uac2 uac-relay-silent.xml
wait_for "timeout case: relayed" 10 rtp_relayed
if wait "$uac_pid"; then ok "timeout case: the gateway sends BYE"; else
	not_ok "timeout case: the gateway sends BYE"
	lc_show_fail uac2
fi
lc_wait_uas "timeout case: the callee gets BYE" uas2
check "timeout case: released for no media" \
	grep -q "no media for .*cause 41" "$IT_DIR/daemon.log"
wait_for "timeout case: no flows left" 5 no_flows
for _ in $(seq 1 50); do lc_cdr_rows 2 && break; sleep 0.1; done
row2=$(python3 -c "import sqlite3,sys
r=sqlite3.connect(sys.argv[1]).execute(
    'SELECT cause, media, relayed_pkts FROM cdr ORDER BY rowid').fetchall()
print('%d %s %d' % r[1])" "$IT_DIR/cdr.sqlite" 2>/dev/null)
if [[ $row2 =~ ^41\ relay\ [1-9] ]]; then ok "CDR row 2: $row2"; else
	not_ok "CDR row 2: cause 41, relay, packets (got '$row2')"; fi

# 6. early media: the callee sends 183 with SDP and 3 s of announcement
# before its 200. The gateway passes the 183 on with its own address in
# the SDP and sends the callee's audio to the caller before the answer
# (decoded: the caller's source is not confirmed yet); once answered and
# both peers send, the RTP is relayed.
lc_sipp_uas uas3 "$LC_CALLDIR/uas-relay-early.xml" -rtp_echo -mp "$UAS_MP"
uac_start uac3 uac-relay-early.xml
# early_media: "STATE RTP_TO_CALLER RTP_FROM_CALLEE" of the one call
early_media() {
	local id
	id=$("$CTL" -j show calls 2>/dev/null | python3 -c "import json,sys
print(json.load(sys.stdin)['calls'][0]['id'])" 2>/dev/null) || return 1
	"$CTL" -j show call "$id" 2>/dev/null | python3 -c "import json,sys
c=json.load(sys.stdin)
print(c['state'], c['in_leg']['rtp_out'], c['out_leg']['rtp_in'])"
}
early_heard() {
	local st to from
	read -r st to from < <(early_media) || return 1
	[ "$st" = early ] && [ "${to:-0}" -gt 25 ] && [ "${from:-0}" -gt 25 ]
}
wait_for "early media: before the answer the callee's audio reaches the caller" \
	3 early_heard
got183=$(lc_msgs uac3 | awk '/^SIP\/2.0 183/{s=1} s && /^m=audio/{print $2; exit}')
if [ -n "$got183" ] && [ "$got183" != "$UAS_MP" ]; then
	ok "early media: the caller's 183 offers the gateway's port ($got183)"
else
	not_ok "early media: the caller's 183 offers the gateway's port ('$got183')"
fi
check "early media: nothing is relayed before the answer" no_flows
wait_for "early media: answered" 6 lc_answered
wait_for "early media: after the answer the RTP is relayed both ways" 6 \
	rtp_relayed
if wait "$uac_pid"; then ok "early media: uac got 183 with SDP, 200, BYE"
else
	not_ok "early media: uac got 183 with SDP, 200, BYE"
	lc_show_fail uac3
fi
lc_wait_uas "early media: uas sent 183, 200, got BYE" uas3
wait_for "early media: no flows left" 5 no_flows

# 7. NAT rebinding: the caller's media comes from rtp_send.py, 3 s from
# one port and then from another (same SSRC, sequence running on), as a
# NAT that changes its binding mid-call. The gateway latches to the
# first, relays; when that goes silent and the new one persists it
# re-latches, takes the flows out and installs them for the new source.
NAT1=$((UAC_MP + 20)) NAT2=$((UAC_MP + 30))
lc_sipp_uas uas4 "$LC_CALLDIR/uas-relay-echo.xml" -rtp_echo -mp "$UAS_MP"
uac_start uac4 uac-relay-nat.xml
# from_relayed PORT: the caller's flow, from 127.0.0.1:PORT, relays
from_relayed() {
	[ "$(flows "sum(1 for f in F if f['engine']=='relay' and
		f['packets']>0 and f['source']=='127.0.0.1:$1')")" = 1 ] &&
		rtp_relayed
}
wait_for "NAT: answered" 10 lc_answered
gw_a=$(lc_msgs uac4 | awk '/^SIP\/2.0 200/{s=1} s && /^m=audio/{print $2; exit}')
python3 "$LC_CALLDIR/rtp_send.py" 127.0.0.1 "${gw_a:-0}" "$NAT1:3" \
	"$NAT2:4" >"$IT_DIR/rtp_send.out" 2>&1 &
sender=$!
wait_for "NAT: relayed from the first binding (:$NAT1)" 3 from_relayed "$NAT1"
wait_for "NAT: after the rebinding, relayed from the new one (:$NAT2)" 4 \
	from_relayed "$NAT2"
check "NAT: the re-latch is logged" grep -q \
	"RTP re-latched from 127.0.0.1:$NAT1 to 127.0.0.1:$NAT2" \
	"$IT_DIR/daemon.log"
if wait "$sender"; then ok "NAT: $(cat "$IT_DIR/rtp_send.out")"; else
	not_ok "NAT: rtp_send.py to gateway port '$gw_a' failed"; fi
if wait "$uac_pid"; then ok "NAT: uac answered, BYE"; else
	not_ok "NAT: uac answered, BYE"
	lc_show_fail uac4
fi
lc_wait_uas "NAT: uas answered, echoed, got BYE" uas4
wait_for "NAT: no flows left" 5 no_flows

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
