#!/bin/bash
# A daemon listening on the wildcard address (udp:0.0.0.0:PORT) must never
# put 0.0.0.0 where a peer would send to: its own INVITE (PSTN to SIP:
# Via, Contact, SDP c=) and its answer to one (SIP to PSTN: Contact and
# SDP c= of the 200) name the address the kernel routes from, here
# 127.0.0.1. Calls through SIPp, both directions.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

LC_LISTEN=0.0.0.0 lc_start

# 1. PSTN to SIP: a sim line calls 200, routed to SIPp as UAS
lc_sipp_uas out "$LC_SIPP/builtin/uas.xml"
"$CTL" sim call 1 200 2125550100 >/dev/null || not_ok "sim call 1 200"
wait_for "out: the call is answered" 10 lc_answered &&
	"$CTL" sim hangup 1 16 >/dev/null
lc_wait_uas "out: SIPp's uas.xml completes" out
# one message of SIPp's -trace_msg log: from its first line to the next
# separator line
first_msg() { awk -v re="$1" '$0 ~ re { p = 1 } p && /^-----/ { exit } p'; }
inv=$(lc_msgs out | first_msg '^INVITE sip:')
printf '%s\n' "$inv" >"$IT_DIR/out_invite.txt"
check "out: the INVITE's Via names 127.0.0.1" \
	grep -Eq '^Via: SIP/2\.0/UDP 127\.0\.0\.1:[0-9]+' "$IT_DIR/out_invite.txt"
check "out: the INVITE's Contact names 127.0.0.1" \
	grep -Eq '^Contact: .*@127\.0\.0\.1:[0-9]+' "$IT_DIR/out_invite.txt"
check "out: the offer's c= is 127.0.0.1" \
	grep -Eq '^c=IN IP4 127\.0\.0\.1' "$IT_DIR/out_invite.txt"
check "out: no 0.0.0.0 in the INVITE" \
	sh -c "! grep -q '0\\.0\\.0\\.0' '$IT_DIR/out_invite.txt'"

# 2. SIP to PSTN: SIPp's uac.xml calls 100 (the sim echo)
lc_sipp in "$LC_SIPP/builtin/uac.xml" -s 100 ||
	not_ok "in: SIPp's uac.xml calling 100 completes"
ok200=$(lc_msgs in | first_msg '^SIP/2\\.0 200 ')
printf '%s\n' "$ok200" >"$IT_DIR/in_200.txt"
check "in: the 200's Contact names 127.0.0.1" \
	grep -Eq '^Contact: .*@127\.0\.0\.1:[0-9]+' "$IT_DIR/in_200.txt"
check "in: the answer's c= is 127.0.0.1" \
	grep -Eq '^c=IN IP4 127\.0\.0\.1' "$IT_DIR/in_200.txt"
check "in: no 0.0.0.0 in the 200" \
	sh -c "! grep -q '0\\.0\\.0\\.0' '$IT_DIR/in_200.txt'"

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
