#!/bin/bash
# SDES-SRTP on calls (RFC 4568) and the SIP leg's INVITE checks, against
# real peers. A peer "srtp" (127.0.0.1:SRTP_PORT, srtp = mandatory) is
# where baresip with mediaenc=srtp-mand and some SIPp runs call from;
# peer "sipp" (any other port) stays plain.
#   1. baresip (SRTP) calls 100 (echo on the sim PSTN) and hears its own
#      tone back: SRTP <-> TDM both ways; the CDR says srtp=1
#   2. baresip (SRTP) calls 555, routed to a plain baresip (peer uas):
#      each hears the other's tone: SRTP <-> RTP interworking between
#      two SIP legs, both ways
#   3. SIPp offers RTP/SAVP with keys under tags 7 and 9: the 200 answers
#      RTP/SAVP with a=crypto under one of them
#   4. a plain RTP offer from the mandatory peer: 488 with a Warning
#   5. Accept without application/sdp: 406; an SDP that does not parse:
#      400 whose Warning names the fault
#   6. the finals the gateway sends itself reach the CDR's sip_status:
#      486 for 101 (busy), 404 for 105 (unallocated), 200 for (1)
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

command -v baresip >/dev/null &&
	[ -f /usr/lib/baresip/modules/srtp.so ] || {
	echo "FAIL-REASON: baresip with its srtp module not installed" \
		"(scripts/deps.sh installs it)"
	exit 1
}
TONE="python3 $LC_CALLDIR/tone.py"
SRTP_PORT=$((LC_UAS_PORT + 2000))
SCEN=$IT_REPO/tests/integration/sipp
# the mandatory peer, and routes for its calls (after [peer uas] in the
# config lib_call.sh writes)
LC_PEER_EXTRA="
[peer srtp]
address = 127.0.0.1:$SRTP_PORT
srtp = mandatory
[route srtp_to_uas]
ingress = peer:srtp
called = 555
targets = peer:uas
[route srtp_pstn]
ingress = peer:srtp
called = _10X
targets = group:1"
lc_start
rows=0

# bs_start NAME PORT HZ SECONDS MEDIAENC [-e COMMAND...]: baresip with a
# config folder of its own listening (and calling from) 127.0.0.1:PORT,
# a tone of HZ as its microphone, recordings in NAME/rec, MEDIAENC ""
# (plain RTP) or "srtp-mand"; it answers calls itself and quits after
# SECONDS. Its pid in BS_PID.
bs_start() {
	local name=$1 port=$2 hz=$3 secs=$4 enc=$5 d=$IT_DIR/$1
	shift 5
	mkdir -p "$d/rec"
	cat >"$d/config" <<EOC
sip_listen 127.0.0.1:$port
audio_player aubridge,nil
audio_alert aubridge,nil
audio_source ausine,$hz
ausrc_srate 48000
ausrc_channels 2
rtp_ports $((port + 1000))-$((port + 1099))
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module sndfile.so
module srtp.so
module_app account.so
module_app menu.so
snd_path $d/rec
EOC
	echo "<sip:555@127.0.0.1:$port>;regint=0;answermode=auto;audio_codecs=PCMU${enc:+;mediaenc=$enc}" \
		>"$d/accounts"
	: >"$d/contacts"
	(cd "$d" && exec timeout $((secs + 10)) baresip -f "$d" -t "$secs" \
		"$@" >"$d/out" 2>&1) &
	BS_PID=$!
}
bs_wait() { # NAME PID
	if wait "$2"; then ok "$1: baresip ran and quit"; else
		not_ok "$1: baresip ran and quit"
		tail -20 "$IT_DIR/$1/out"
	fi
}
bs_heard() { # NAME HZ [MIN]
	local name=$1
	shift
	$TONE "$IT_DIR/$name"/rec/*-dec.wav "$@"
}
# srtp_sipp NAME SCENARIO ARGS...: SIPp as the mandatory peer
srtp_sipp() {
	local name=$1 sf=$2
	shift 2
	lc_sipp_dir "$name"
	(cd "$IT_DIR/$name/x" && timeout 60 sipp -sf "$sf" -i 127.0.0.1 \
		-p "$SRTP_PORT" -m 1 -timeout 30s -timeout_error -trace_err \
		-trace_msg -nostdin -mi 127.0.0.1 "$@" "127.0.0.1:$LC_PORT" \
		>"$IT_DIR/$name/out" 2>&1)
}
# cdr_col N COLUMN: COLUMN of CDR row N in the SQLite table
cdr_col() {
	python3 -c "import sqlite3,sys
r=sqlite3.connect(sys.argv[1]).execute(
    'SELECT ' + sys.argv[3] + ' FROM cdr ORDER BY rowid').fetchall()
print(r[int(sys.argv[2]) - 1][0] if len(r) >= int(sys.argv[2]) else '')" \
		"$IT_DIR/cdr.sqlite" "$1" "$2"
}
# check_col N COLUMN WANT: CDR row N (waited for) has COLUMN = WANT
check_col() {
	local got
	for _ in $(seq 1 50); do
		lc_cdr_rows "$1" && break
		sleep 0.1
	done
	got=$(cdr_col "$1" "$2")
	if [ "$got" = "$3" ]; then ok "CDR row $1: $2 = $3"
	else not_ok "CDR row $1: $2 = '$got', want '$3'"; fi
}

# 1. SRTP to the echo number: baresip hears its 600 Hz back through the
# sim PSTN, so both directions were encrypted and decrypted
bs_start echo "$SRTP_PORT" 600 6 srtp-mand -e "/dial sip:100@127.0.0.1:$LC_PORT"
bs_wait echo "$BS_PID"
check "SRTP 100: the recording holds baresip's own 600 Hz" \
	bs_heard echo 600 0.5
rows=$((rows + 1))
lc_check_cdr $rows "100,16,1,srtp_pstn,group:1,peer:srtp,span:1/chan:1"
check_col $rows srtp 1
# the caller hung up an answered call: the status we sent was the 200
check_col $rows sip_status 200

# 2. SRTP caller, plain callee, both SIP: 600 Hz one way, 800 Hz the other
bs_start callee "$LC_UAS_PORT" 800 9 ""
CALLEE_PID=$BS_PID
sleep 1
bs_start caller "$SRTP_PORT" 600 6 srtp-mand -e "/dial sip:555@127.0.0.1:$LC_PORT"
bs_wait caller "$BS_PID"
bs_wait callee "$CALLEE_PID"
check "SRTP -> RTP: the SRTP caller hears the plain callee's 800 Hz" \
	bs_heard caller 800 0.5
check "RTP -> SRTP: the plain callee hears the SRTP caller's 600 Hz" \
	bs_heard callee 600 0.5
rows=$((rows + 1))
lc_check_cdr $rows "555,16,1,srtp_to_uas,peer:uas,peer:srtp,peer:uas"
check_col $rows srtp 1

# 3. an SDES offer from SIPp: the answer keys under one of its tags
lc_check_sipp "SIPp RTP/SAVP offer: 200 with a=crypto under our tag" \
	crypto srtp_sipp crypto "$SCEN/uac-invite-crypto.xml" -s 100
lc_has crypto "a=crypto:(7|9) AES_CM_128_HMAC_SHA1_(80|32) inline:" \
	"the answer's a=crypto line is in SIPp's log"
rows=$((rows + 1))
check_col $rows srtp 1

# 4. a plain offer from the mandatory peer: 488, and a Warning why
lc_check_sipp "plain RTP offer to the srtp = mandatory peer is refused" \
	plain srtp_sipp plain "$LC_CALLDIR/uac-final.xml" -s 100
lc_has plain "SIP/2.0 488 " "the refusal is 488"
lc_has plain "Warning: 399 [^ ]+ \"SRTP required" \
	"the 488 has a Warning: SRTP required"

# 5. INVITE checks (from peer sipp)
lc_check_sipp "Accept without application/sdp: 406" accept \
	lc_sipp accept "$SCEN/uac-invite-406.xml" -s 100
lc_check_sipp "unparsable SDP: 400 with a Warning naming the fault" badsdp \
	lc_sipp badsdp "$SCEN/uac-invite-bad-sdp.xml" -s 100
lc_has badsdp "Warning: 399 [^ ]+ \"bad SDP: line 6: bad m= port\"" \
	"the 400's Warning names line 6 and its fault"
if lc_msgs badsdp | grep -q "no common media"; then
	not_ok "the 400 does not say \"no common media\""
else ok "the 400 does not say \"no common media\""; fi

# 6. the status the gateway sent goes into the CDR
lc_check_sipp "101 from the SRTP peer: busy" busy \
	srtp_sipp busy "$SCEN/uac-invite-crypto.xml" -s 101
lc_has busy "SIP/2.0 486 " "101 gets 486"
rows=$((rows + 1))
check_col $rows sip_status 486
check_col $rows cause 17
lc_check_sipp "105: unallocated" unalloc \
	lc_sipp unalloc "$LC_CALLDIR/uac-final.xml" -s 105
lc_has unalloc "SIP/2.0 404 " "105 gets 404"
rows=$((rows + 1))
check_col $rows sip_status 404
check_col $rows srtp 0

wait_for "no calls left" 5 lc_no_calls
it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
