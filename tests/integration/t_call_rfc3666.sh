#!/bin/bash
# RFC 3666 (SIP PSTN call flows) on the sim backend, one case per flow a
# SIP-to-ISDN gateway takes part in (../shared/conformance/rfc3666-flows.md).
# SIP to PSTN (gateway is the UAS): 2.1 183 with SDP on ACM, 200 on ANM,
# BYE -> REL 16; 2.2 180 on alerting without in-band, 200, BYE; 2.3 no
# circuit -> 503 with Retry-After so a proxy overflows; 2.5 183 with an
# announcement, CANCEL -> 200 + 487, REL 16; 2.6 REL 1 -> 404; 2.7 the
# gateway's no-answer timer -> 480 and REL to the PSTN. PSTN to SIP
# (gateway is the UAC): 3.1 INVITE with the caller in From, 180, 200,
# REL -> BYE; 3.2 fast answer (200 without 180); 3.4 604 -> REL 1; 3.5
# 600 -> REL 17; 3.7 REL after a 100 -> CANCEL; 3.8 REL with no
# provisional -> no CANCEL; 3.9 REL while ringing -> CANCEL, 487, ACK.
# Not here: 2.4 (no PSTN leg), 3.3 (MF trunk signalling), 3.6 (ISUP
# interworking indicator), section 4 (two gateways).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

LC_NO_ANSWER=3s LC_SIP_EXTRA="t1 = 100ms" lc_start
D=$LC_CALLDIR
rows=0
line=0

# sip_row CALLEE CAUSE ANSWERED: next CDR row, a call from SIPp
sip_row() {
	rows=$((rows + 1))
	lc_check_cdr $rows "$1,$2,$3,from_sip,group:1,peer:sipp,span:1/chan:1"
}
# pstn_row CAUSE ANSWERED: next CDR row, a sim call to the SIPp UAS
pstn_row() {
	rows=$((rows + 1))
	lc_check_cdr $rows "200,$1,$2,to_sip,peer:uas,span:1,group:1,peer:uas"
}
# sim_call NAME SCENARIO [ARGS]: SIPp UAS, then a new sim line calls 200
sim_call() {
	local name=$1 sf=$2
	shift 2
	line=$((line + 1))
	lc_sipp_uas "$name" "$sf" "$@"
	"$CTL" sim call $line 200 3145551111 >/dev/null ||
		not_ok "$name: sim call $line 200"
}

echo "# 2.1 successful SIP to PSTN call: 183(SDP) on ACM, 200 on ANM"
lc_check_sipp "2.1: 100, 183 with SDP, 200, ACK, BYE, 200" f21 \
	lc_sipp f21 "$D/uac-183-sdp-200.xml" -s 103
wait_for "2.1: BYE -> the PSTN channel is released with 16" 3 \
	lc_chan_idle 1 16
sip_row 103 16 1

echo "# 2.2 successful SIP to ISDN PBX call: 180 on alerting, 200"
lc_check_sipp "2.2: 180, 200, ACK, BYE, 200" f22 \
	lc_sipp f22 "$LC_SIPP/builtin/uac.xml" -s 100 -d 500
lc_has f22 "^SIP/2.0 180 " "2.2: alerting without in-band info gives 180"
wait_for "2.2: BYE -> DISCONNECT with 16" 3 lc_chan_idle 1 16
sip_row 100 16 1

echo "# 2.3 no circuit: 503 with Retry-After, the proxy overflows"
lc_check_sipp "2.3: INVITE answered 503, ACK" f23 \
	lc_sipp f23 "$D/uac-final.xml" -s 106
lc_has f23 "^SIP/2.0 503 " "2.3: 503 Service Unavailable"
lc_has f23 "^Retry-After: [0-9]+" "2.3: the 503 carries Retry-After"
lc_has f23 "^Reason: Q\.850;cause=34([^0-9]|\$)" "2.3: Reason cause 34"
sip_row 106 34 0

echo "# 2.5 treatment from the PSTN: 183 announcement, caller CANCELs"
lc_check_sipp "2.5: 183 with SDP, CANCEL, 200, 487, ACK" f25 \
	lc_sipp f25 "$D/uac-183-cancel.xml" -s 103
lc_has f25 "^SIP/2.0 487 " "2.5: the INVITE ends with 487"
lc_has f25 "^SIP/2.0 200 OK.*" "2.5: the CANCEL gets 200"
wait_for "2.5: CANCEL -> REL 16 (RFC 3398 7.2.3)" 3 lc_chan_idle 1 16
sip_row 103 16 0

echo "# 2.6 REL with cause 1 from the PSTN: 404"
lc_check_sipp "2.6: INVITE answered 404, ACK" f26 \
	lc_sipp f26 "$D/uac-final.xml" -s 105
lc_has f26 "^SIP/2.0 404 " "2.6: REL 1 -> 404 Not Found"
lc_has f26 "^Reason: Q\.850;cause=1([^0-9]|\$)" "2.6: Reason cause 1"
sip_row 105 1 0

echo "# 2.7 ANM timeout: the gateway's no-answer timer (3 s here)"
lc_check_sipp "2.7: 180, then 480 when no answer comes, ACK" f27 \
	lc_sipp f27 "$D/uac-final.xml" -s 102
lc_has f27 "^SIP/2.0 480 " "2.7: 480 Temporarily Unavailable"
lc_has f27 "^Reason: Q\.850;cause=1[89]([^0-9]|\$)" \
	"2.7: Reason cause 18 or 19 (no answer)"
wait_for "2.7: the PSTN channel is released" 3 lc_chan_idle 1 19
sip_row 102 19 0

echo "# 3.1 successful PSTN to SIP call: INVITE, 180, 200, REL -> BYE"
sim_call f31 "$LC_SIPP/builtin/uas.xml"
wait_for "3.1: 200 -> ANM (the call is answered)" 10 lc_answered
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "3.1: 180, 200, ACK, BYE, 200" f31
lc_has f31 "^From: \"?[^<]*<sip:3145551111@" "3.1: From has the calling number"
lc_has f31 "^INVITE sip:200@" "3.1: the Request-URI has the called number"
lc_has f31 "^Reason: Q\.850;cause=16([^0-9]|\$)" "3.1: REL 16 -> BYE, Reason 16"
pstn_row 16 1

echo "# 3.2 fast answer: 200 without 180"
sim_call f32 "$D/uas-200-fast.xml"
wait_for "3.2: 200 -> ANM without ACM" 10 lc_answered
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "3.2: 100, 200, ACK, BYE, 200" f32
pstn_row 16 1

echo "# 3.4 604 Does Not Exist Anywhere -> REL 1"
sim_call f34 "$D/uas-604.xml"
lc_wait_uas "3.4: 100, 604, ACK" f34
wait_for "3.4: the PSTN caller gets REL 1" 3 lc_chan_idle $line 1
pstn_row 1 0

echo "# 3.5 600 Busy Everywhere -> REL 17"
sim_call f35 "$D/uas-600.xml"
lc_wait_uas "3.5: 100, 600, ACK" f35
wait_for "3.5: the PSTN caller gets REL 17" 3 lc_chan_idle $line 17
pstn_row 17 0

echo "# 3.7 ACM timeout: REL after a 100 -> CANCEL"
sim_call f37 "$D/uas-100-cancel.xml"
sleep 1
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "3.7: 100, CANCEL, 200, 487, ACK" f37
wait_for "3.7: the call ends" 5 lc_no_calls
pstn_row 16 0

echo "# 3.8 ACM timeout, stateless proxy: no provisional -> no CANCEL"
sim_call f38 "$D/uas-no-answer.xml"
sleep 1
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "3.8: no CANCEL without a provisional response" f38
wait_for "3.8: the call ends" 10 lc_no_calls
pstn_row 16 0

echo "# 3.9 caller abandonment: REL while ringing -> CANCEL, 487, ACK"
sim_call f39 "$D/uas-180-cancel.xml"
sleep 1
"$CTL" sim hangup $line 16 >/dev/null
lc_wait_uas "3.9: 100, 180, CANCEL, 200, 487, ACK" f39
wait_for "3.9: the call ends" 5 lc_no_calls
pstn_row 16 0

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
