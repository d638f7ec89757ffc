#!/bin/bash
# PSTN to SIP: "sim call" on a sim line is routed to the peer "uas", where
# SIPp answers as the UAS (the gateway is the SIP UAC): the built-in UAS
# (180, 200, then our BYE when the sim line hangs up, with its Q.850
# Reason); 180 then 486 with Reason cause 17 (the sim line is cleared
# with 17); 183 with early media then a 200 from another fork; a reliable
# 183 we must PRACK; ringing then the sim caller gives up (CANCEL, 487);
# and a peer that never sends the 487 after our CANCEL (Timer C / 64*T1:
# the call still ends); a first target that refuses its TCP connection
# (503 at once, failover to the next). Every call leaves one CDR row.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

# T1 of 100 ms: the transaction timeouts of the off-nominal case end in
# 6.4 s instead of 32 s. Peer "tcpdown": TCP to a port nobody listens
# on (a TCP listener of ours too, for the Via), first target of calls to
# 250 (case 7): the non-blocking connect is refused after it started.
DEAD_PORT=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LC_PEER_EXTRA="[peer tcpdown]
address = 127.0.0.1:$DEAD_PORT
transport = tcp
identify = no
[route to_dead]
ingress = span:1
called = 250
targets = peer:tcpdown, peer:uas"
LC_SIP_EXTRA="t1 = 100ms
listen = tcp:127.0.0.1:$LC_PORT" lc_start
ext=$LC_SIPP/external
rows=0
line=0

# call NAME SCENARIO [SIPP-ARGS...]: SIPp as UAS, then a new sim line
# calls ${CALLED:-200} (each case on its own line so a line not yet idle
# is seen)
call() {
	local name=$1 sf=$2
	shift 2
	line=$((line + 1))
	lc_sipp_uas "$name" "$sf" "$@"
	"$CTL" sim call $line "${CALLED:-200}" 2125550100 >/dev/null ||
		not_ok "$name: sim call $line ${CALLED:-200}"
}
hangup_when_answered() { # NAME
	wait_for "$1: the call is answered" 10 lc_answered &&
		"$CTL" sim hangup $line 16 >/dev/null
}
row() { # CAUSE ANSWERED
	rows=$((rows + 1))
	lc_check_cdr $rows "200,$1,$2,to_sip,peer:uas,span:1,group:1,peer:uas"
}

# 1. the built-in UAS: 180, 200, ACK; the sim line hangs up -> BYE
call uas "$LC_SIPP/builtin/uas.xml"
hangup_when_answered uas
lc_wait_uas "uas.xml: 180, 200, ACK, BYE from the gateway" uas
lc_has uas "^BYE sip:" "uas: the gateway sent BYE"
lc_has uas "^Reason: Q\.850;cause=16([^0-9]|\$)" "the BYE carries Q.850 16"
lc_has uas "^From: \"?[^<]*<sip:2125550100@" "From carries the caller"
row 16 1
check "CDR sip_status of the answered call is the peer's 200" \
	[ "$(lc_cdr_status $rows)" = 200 ]

# 2. 180 then 486 with Reason cause 17: the sim caller hears busy (17)
call busy "$ext/asterisk-testsuite__uas-180-then-486-q850-17.xml"
lc_wait_uas "180 then 486 (Q.850 17): the gateway ACKs" busy
wait_for "the sim line is cleared with cause 17" 3 lc_chan_idle $line 17
row 17 0
check "CDR sip_status of the busy call is the peer's 486" \
	[ "$(lc_cdr_status $rows)" = 486 ]

# 3. 183 with early media, then 200 with another To tag (a forked
# answer): the gateway must take the 200's dialog, ACK and later BYE it
call early "$ext/asterisk-testsuite__uas-183-early-media-then-200.xml" \
	-d 1000
hangup_when_answered early
lc_wait_uas "183 early media then 200 from another fork" early
row 16 1

# 4. reliable 183 (RSeq 3000): we PRACK with RAck 3000 1 INVITE; the UAS
# then answers and hangs up itself. Run from a copy: upstream, its 200 to
# the PRACK repeats the To tag and is retransmitted until a message comes
# in, which only happens with a peer that drops that 200 and sends its
# PRACK again; we take the 200, so SIPp would wait forever. Its BYE is
# sent to [remote_ip], so SIPp gets the gateway's address.
rel_xml=$IT_DIR/uas-183-100rel.xml
python3 - "$ext/asterisk-testsuite__uas-183-100rel-expect-prack.xml" \
	"$rel_xml" <<'EOP'
import sys
s = open(sys.argv[1]).read()
i = s.index('<recv request="PRACK"')
j = s.index('<send retrans="500">', i)
s = s[:j] + "<send>" + s[j + len('<send retrans="500">'):]
open(sys.argv[2], "w").write(s)
EOP
call rel "$rel_xml" -d 1000 "127.0.0.1:$LC_PORT"
lc_wait_uas "reliable 183: PRACK, 200, ACK, BYE from the UAS" rel
lc_has rel "^RAck: 3000 1 INVITE" "the PRACK carries RAck: 3000 1 INVITE"
wait_for "the sim line is cleared with cause 16" 3 lc_chan_idle $line 16
row 16 1

# 5. ringing, then the sim caller gives up before the answer: CANCEL
call cancel "$ext/asterisk-testsuite__uas-180-wait-cancel-487.xml"
sleep 1
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "180, CANCEL from the gateway, 200, 487" cancel
lc_has cancel "^CANCEL sip:" "the gateway sent CANCEL"
if lc_msgs cancel | awk '/^CANCEL /,/^\r?$/' |
	grep -Eq "^Reason: Q\.850;cause=16([^0-9]|\$)"; then
	ok "the CANCEL carries Reason: Q.850;cause=16 (RFC 3326)"
else not_ok "the CANCEL carries Reason: Q.850;cause=16 (RFC 3326)"; fi
wait_for "no calls after the CANCEL" 10 lc_no_calls
row 16 0

# 6. off-nominal: 200 to the CANCEL but never a 487: the INVITE's
# transaction times out (64*T1 after the CANCEL) and the call still ends
call no487 "$ext/pjproject__uas-ringing-cancel-no-487.xml"
sleep 1
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "ringing, CANCEL, 200, no 487" no487
wait_for "the call ends without a 487" 15 lc_no_calls
check "the sim line is idle" lc_chan_idle $line 16
row 16 0

# 7. the first target refuses the TCP connection (after the non-blocking
# connect started): the INVITE queued on it fails at once with 503 (RFC
# 3261 8.1.3.1; cause 41, in the failover set) rather than after Timer
# B, and the call fails over to the next target
t0=$SECONDS
CALLED=250 call failover "$LC_SIPP/builtin/uas.xml"
hangup_when_answered failover
lc_wait_uas "TCP peer refused: the call failed over to the UAS" failover
if ((SECONDS - t0 < 6)); then
	ok "failed over in $((SECONDS - t0)) s (Timer B would be 6.4 s)"
else not_ok "failed over in $((SECONDS - t0)) s, not at once"; fi
check "the transport failure fails the INVITE (503) and is logged" \
	grep -q "TCP 127.0.0.1:$DEAD_PORT: Connection refused: 1 request(s) failed (503)" \
	"$IT_DIR/daemon.log"
check "the failed target's cause is 41 (503), not a timeout" grep -q \
	"peer:tcpdown: cause 41: failover to the next target" "$IT_DIR/daemon.log"
rows=$((rows + 1))
lc_check_cdr $rows "250,16,1,to_dead,peer:uas,span:1,group:1,peer:uas"

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
