#!/bin/bash
# SIP session timers (RFC 4028) and re-INVITE glare (RFC 3261 14) through
# the whole daemon, SIPp against the sim PSTN's echo number 100, with
# [sip] session_min_se = 5 so that intervals of 6 s keep the test short:
# (a) SIPp refreshes (UPDATE, re-INVITE, UPDATE) and the call outlives
#     several intervals; (b) the gateway refreshes, with UPDATE when the
#     peer allows it, else with a re-INVITE carrying its unchanged SDP;
# (c) SIPp never refreshes: the gateway's BYE carries Q.850 cause 102 and
#     so does the CDR row; (d) 422 both ways: an interval below Min-SE is
#     refused with Min-SE and the retry is answered, and the gateway as
#     UAC retries a 422 once with the larger Min-SE in the same Call-ID;
# (e) glare: SIPp re-INVITEs while the gateway's refresh is open, both get
#     491, both retries succeed.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

SF=$IT_REPO/tests/integration/sipp
LC_SIP_EXTRA="session_min_se = 5" LC_PEER_EXTRA="session_timer = 90" lc_start
rows=0
in_row() { # CAUSE
	rows=$((rows + 1))
	lc_check_cdr $rows "100,$1,1,from_sip,group:1,peer:sipp,span:1/chan:1"
}
# count NAME REGEX: lines of run NAME's message log matching REGEX
count() { lc_msgs "$1" | grep -Ec "$2"; }

# OPTIONS says we support timers: it must be true now
lc_check_sipp "OPTIONS answered" options \
	lc_sipp options "$LC_SIPP/external/pjproject__uac-options.xml"
lc_has options "^Supported:.*timer" "OPTIONS 200 lists Supported: timer"

# (a) SIPp is the refresher; the gateway would give up 4 s after the last
# refresh, the refreshes come every 2.5 s for 10 s
lc_check_sipp "(a) SIPp refreshes, the call stays up over 10 s" refresh \
	lc_sipp refresh "$SF/st-uac-refresh.xml" -s 100 -key se 6
lc_has refresh "^Session-Expires: 6;refresher=uac" \
	"(a) 200: Session-Expires: 6;refresher=uac"
lc_has refresh "^Require: timer" "(a) 200: Require: timer"
if [ "$(count refresh '^BYE ')" = 1 ]; then ok "(a) only SIPp's BYE"
else not_ok "(a) only SIPp's BYE"; fi
in_row 16

# (b) the gateway is the refresher
lc_check_sipp "(b) the gateway refreshes with UPDATE, twice" gwupd \
	lc_sipp gwupd "$SF/st-uac-gw-update.xml" -s 100 -key se 6
if [ "$(count gwupd '^UPDATE sip:')" = 2 ]; then
	ok "(b) two UPDATEs from the gateway"
else not_ok "(b) two UPDATEs from the gateway"; fi
in_row 16
lc_check_sipp "(b) the gateway refreshes with re-INVITE, twice" gwreinv \
	lc_sipp gwreinv "$SF/st-uac-gw-reinvite.xml" -s 100 -key se 6
# its two re-offers are the same description: the same o= version
o=$(lc_msgs gwreinv | grep -E "^o=trunkline " | tail -2 | sort -u | wc -l)
n=$(lc_msgs gwreinv | grep -Ec "^o=trunkline ")
if [ "$n" = 3 ] && [ "$o" = 1 ]; then
	ok "(b) the unchanged re-offer keeps its o= version"
else not_ok "(b) the unchanged re-offer keeps its o= version ($n, $o)"; fi
if [ "$(count gwreinv '^UPDATE ')" = 0 ]; then
	ok "(b) no UPDATE to a peer that does not allow it"
else not_ok "(b) no UPDATE to a peer that does not allow it"; fi
in_row 16

# (c) no refresh: BYE with cause 102 after 6 - 2 s
lc_check_sipp "(c) SIPp never refreshes: the gateway sends BYE" silent \
	lc_sipp silent "$SF/st-uac-silent.xml" -s 100 -key se 6
lc_has silent "^Reason: Q\.850;cause=102([^0-9]|\$)" \
	"(c) the BYE carries Reason: Q.850;cause=102"
in_row 102
logged() { # DESCRIPTION TEXT: the daemon's log has TEXT
	if grep -qF "$2" "$IT_DIR/daemon.log"; then ok "$1"; else not_ok "$1"; fi
}
logged "(c) the daemon logs the expiry" "no refresh came: BYE, cause 102"

# (d) 422, the gateway as UAS: 3 s is below Min-SE 5
lc_check_sipp "(d) 422 to 3 s, then the call with Min-SE" st422 \
	lc_sipp st422 "$SF/st-uac-422.xml" -s 100 -key low 3
lc_has st422 "^SIP/2.0 422 " "(d) the first INVITE gets 422"
m=$(lc_msgs st422 | tr -d '\r' |
	awk '/^SIP\/2.0 422 /{f=1} f && /^Min-SE:/{print $2; exit}')
if [ "$m" = 5 ]; then ok "(d) the 422 carries Min-SE: 5"; else
	not_ok "(d) the 422 carries Min-SE: 5 (got '$m')"; fi
lc_has st422 "^Session-Expires: 5;refresher=uac" \
	"(d) the retry is answered with Session-Expires: 5"
in_row 16

# (e) glare on the gateway's refresh
lc_check_sipp "(e) re-INVITE glare: 491 both ways, both retries succeed" \
	glare lc_sipp glare "$SF/st-uac-glare.xml" -s 100 -key se 6
if [ "$(count glare '^SIP/2.0 491 ')" = 2 ]; then
	ok "(e) one 491 each way"
else not_ok "(e) one 491 each way"; fi
logged "(e) the gateway scheduled its retry" "re-INVITE: 491, again in"
in_row 16

# (d) 422, the gateway as UAC towards [peer uas] (session_timer = 90)
lc_sipp_uas uas422 "$SF/st-uas-422.xml"
"$CTL" sim call 2 200 2125550100 >/dev/null ||
	not_ok "(d) sim call 2 200"
wait_for "(d) the retried call is answered" 15 lc_answered &&
	"$CTL" sim hangup 2 16 >/dev/null
lc_wait_uas "(d) UAC: 422, ACK, INVITE with 120 s in the same Call-ID" \
	uas422
logged "(d) the daemon retried with 120 s" "422: session interval 90 s -> 120 s"
rows=$((rows + 1))
lc_check_cdr $rows "200,16,1,to_sip,peer:uas,span:1,group:1,peer:uas"

wait_for "no calls left" 10 lc_no_calls
it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
