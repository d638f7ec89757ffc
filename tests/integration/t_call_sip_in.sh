#!/bin/bash
# SIP to PSTN with SIPp as the caller and the daemon's sim PSTN behind it
# (the gateway is the SIP UAS): the built-in UAC to 100 (echo); 101 busy
# gives 486 with Reason Q.850 17; 105 gives 404 with cause 1; 106 gives
# 503 with cause 34 and Retry-After; 103 gives 183 with SDP then 200; the
# Asterisk 100rel scenarios get a reliable 183 (Require: 100rel, RSeq)
# that is retransmitted until PRACKed; the hold/unhold scenario gets its
# re-INVITEs answered. Every call leaves one CDR row.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

lc_start
ext=$LC_SIPP/external
rows=0

# 1. the built-in UAC to the echo number
lc_check_sipp "uac.xml to 100 completes" uac \
	lc_sipp uac "$LC_SIPP/builtin/uac.xml" -s 100 -d 1000
rows=$((rows + 1))
lc_check_cdr $rows "100,16,1,from_sip,group:1,peer:sipp,span:1/chan:1"

# 2. rejections: status, Reason and Retry-After as RFC 3398 / 3326 say
reject() { # NUMBER STATUS CAUSE ROUTE-TARGET
	lc_check_sipp "call to $1 is rejected" "rej$1" \
		lc_sipp "rej$1" "$LC_CALLDIR/uac-final.xml" -s "$1"
	lc_has "rej$1" "^SIP/2.0 $2 " "call to $1 gets $2"
	lc_has "rej$1" "^Reason: Q\.850;cause=$3([^0-9]|\$)" \
		"the $2 carries Reason: Q.850;cause=$3"
	rows=$((rows + 1))
	lc_check_cdr $rows "$1,$3,0,from_sip,group:1,peer:sipp,span:1/chan:1"
}
reject 101 486 17
reject 105 404 1
reject 106 503 34
lc_has rej106 "^Retry-After: [0-9]+" "the 503 carries Retry-After"
if lc_msgs rej101 rej105 | grep -q "^Retry-After"; then
	not_ok "no Retry-After on 486 and 404"
else ok "no Retry-After on 486 and 404"; fi

# 3. early media: 183 with SDP, answer after 2 s
lc_check_sipp "103: 183 with SDP, then 200" early \
	lc_sipp early "$LC_CALLDIR/uac-183-sdp-200.xml" -s 103
rows=$((rows + 1))
lc_check_cdr $rows "103,16,1,from_sip,group:1,peer:sipp,span:1/chan:1"

# 4. 100rel as UAS (RFC 3262): the scenarios wait for a BYE from us, so
# the call is hung up from the gateway once it is answered
rel100() { # NAME SCENARIO (it calls "alice": route sip_named)
	lc_sipp "$1" "$2" -s 103 &
	local pid=$!
	wait_for "$1: the call is answered" 10 lc_answered
	local id
	id=$("$CTL" -j show calls | python3 -c "import json,sys
print(json.load(sys.stdin)['calls'][0]['id'])" 2>/dev/null)
	"$CTL" call hangup "${id:-0}" >/dev/null
	if wait "$pid"; then ok "$1 completes"; else
		not_ok "$1 completes"
		lc_show_fail "$1"
	fi
	lc_has "$1" "^RSeq: [0-9]+" "$1: the 183 carries RSeq"
	rows=$((rows + 1))
	lc_check_cdr $rows "103,16,1,sip_named,group:1,peer:sipp,span:1/chan:1"
}
rel100 rel_supported "$ext/asterisk-testsuite__uac-invite-supported-100rel-prack.xml"
rel100 rel_required "$ext/asterisk-testsuite__uac-invite-require-100rel-prack.xml"

# 5. hold and unhold by re-INVITE, with RTP from the SIPp pcap. The
# upstream file is run in a copy with three mistakes of its own fixed:
# its BYE reuses CSeq 2 after the INVITE with CSeq 3 (a UAS must answer
# 500, RFC 3261 12.2.2, and we do), its "unhold" re-INVITE says
# a=sendonly again with the same o= version, and SIPp 3.6.1 ends the call
# at its <nop display=...> elements when run without a terminal.
hold_xml=$IT_DIR/uac-hold-unhold.xml
python3 - "$LC_SIPP/external/sipp-by-example__uac-call-hold-unhold.xml" \
	"$hold_xml" <<'EOP'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'<nop display="[^"]*"[^>]*>\s*</nop>', '', s)
s = s.replace("CSeq: 2 BYE", "CSeq: 4 BYE")
i = s.index("CSeq: 3 INVITE")
j = s.index("</send>", i)
s = s[:i] + s[i:j].replace("a=sendonly", "a=sendrecv").replace(
    "2353687638", "2353687639") + s[j:]
open(sys.argv[2], "w").write(s)
EOP
if [ -n "$LC_PCAP" ]; then
	lc_check_sipp "hold/unhold re-INVITEs to 100" hold \
		lc_sipp hold "$hold_xml" -s 100
	lc_has hold "^a=recvonly" "our answer to a=sendonly is a=recvonly"
	if [ "$(lc_msgs hold | grep -c "^a=sendrecv")" -ge 2 ]; then
		ok "our answer to the unhold (a=sendrecv) is a=sendrecv"
	else not_ok "our answer to the unhold (a=sendrecv) is a=sendrecv"; fi
	rows=$((rows + 1))
	lc_check_cdr $rows "100,16,1,from_sip,group:1,peer:sipp,span:1/chan:1"
else
	not_ok "the SIPp pcaps (g711a.pcap) are installed"
fi

wait_for "no calls left" 3 lc_no_calls
it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
