#!/bin/bash
# baresip (Debian's 1.0) as a real SIP user agent against the daemon and
# its sim PSTN, headless: its ausine module makes a tone, its sndfile
# filter records what it hears to a WAV file, and a Goertzel filter
# (call/tone.py) says which tone the recording holds. baresip calls 100
# (echo) and hears its own tone back; calls 104 and hears 1004 Hz; takes
# a "sim call" (answering by itself) and hears the PSTN side, a sim phone
# that talks back with what it hears; sends DTMF (RFC 4733) that the
# gateway turns into digits towards the PSTN, and they come back in band
# through the echo. Every call leaves one CDR row.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/call/lib_call.sh
. "$(dirname "$0")/call/lib_call.sh"

command -v baresip >/dev/null || {
	echo "FAIL-REASON: baresip not installed (scripts/deps.sh installs it)"
	exit 1
}
TONE="python3 $LC_CALLDIR/tone.py"
lc_start
rows=0

# bs_start NAME HZ SECONDS [-e COMMAND...]: baresip with a config folder
# of its own, SIP on LC_UAS_PORT (the daemon's peer "uas"), a tone of HZ
# as its microphone, no sound card (aubridge), recordings in NAME/rec;
# it answers incoming calls itself and quits after SECONDS. Its pid in
# BS_PID, its console (UDP, for key presses) on BS_CONS.
bs_start() {
	local name=$1 hz=$2 secs=$3 d=$IT_DIR/$1
	shift 3
	mkdir -p "$d/rec"
	BS_CONS=$((LC_UAS_PORT + 100 + RANDOM % 800))
	cat >"$d/config" <<EOC
sip_listen 127.0.0.1:$LC_UAS_PORT
audio_player aubridge,nil
audio_alert aubridge,nil
audio_source ausine,$hz
ausrc_srate 48000
ausrc_channels 2
rtp_ports $((LC_UAS_PORT + 1000))-$((LC_UAS_PORT + 1099))
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module sndfile.so
module_app account.so
module_app menu.so
module_app cons.so
cons_listen 127.0.0.1:$BS_CONS
snd_path $d/rec
EOC
	# the user part is the number sim calls dial: baresip takes a call
	# only for a user it has an account for
	echo "<sip:555@127.0.0.1:$LC_UAS_PORT>;regint=0;answermode=auto;audio_codecs=PCMU" \
		>"$d/accounts"
	: >"$d/contacts"
	(cd "$d" && exec timeout $((secs + 10)) baresip -f "$d" -t "$secs" \
		"$@" >"$d/out" 2>&1) &
	BS_PID=$!
}
# bs_wait NAME: wait for baresip to quit; ok if it did by itself
bs_wait() {
	if wait "$BS_PID"; then ok "$1: baresip ran and quit"; else
		not_ok "$1: baresip ran and quit"
		tail -20 "$IT_DIR/$1/out"
	fi
}
# bs_heard NAME HZ [MIN [DOMINANCE]]: the recording of what NAME heard
# holds HZ (tone.py's arguments)
bs_heard() {
	local name=$1
	shift
	$TONE "$IT_DIR/$name"/rec/*-dec.wav "$@"
}
# bs_key PRESSES: key presses on the console (a digit in a call: DTMF)
bs_key() {
	python3 -c "import socket,sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
    sys.argv[1].encode(), ('127.0.0.1', int(sys.argv[2])))" "$1" "$BS_CONS"
}
sip_row() { # CALLEE
	rows=$((rows + 1))
	lc_check_cdr $rows "$1,16,1,from_sip,group:1,peer:sipp,span:1/chan:1"
}

# 1. 600 Hz to the echo number: 600 Hz comes back, nothing of 1004 Hz
bs_start echo 600 6 -e "/dial sip:100@127.0.0.1:$LC_PORT"
bs_wait echo
check "100: the recording holds baresip's own 600 Hz tone" \
	bs_heard echo 600 0.5
if bs_heard echo 1004 0.1 >/dev/null; then
	not_ok "100: no 1004 Hz in the echo"
else ok "100: no 1004 Hz in the echo"; fi
sip_row 100

# 2. 104 answers with a 1004 Hz test tone
bs_start tone 600 6 -e "/dial sip:104@127.0.0.1:$LC_PORT"
bs_wait tone
check "104: the recording holds 1004 Hz" bs_heard tone 1004 0.5
sip_row 104

# 3. a sim PSTN phone calls baresip, which answers by itself; the sim
# phone talks back with what it hears, so baresip hears its 800 Hz
bs_start incoming 800 8
sleep 1
check "sim call 1 to baresip" "$CTL" sim call 1 555 2125550100
wait_for "baresip answered the sim call" 5 lc_answered
sleep 3
"$CTL" sim hangup 1 16 >/dev/null
bs_wait incoming
check "sim call: baresip hears the PSTN side (its 800 Hz back)" \
	bs_heard incoming 800 0.5
check "sim call: baresip got the caller's number" \
	grep -q "2125550100" "$IT_DIR/incoming/out"
rows=$((rows + 1))
lc_check_cdr $rows "555,16,1,to_sip,peer:uas,span:1,group:1,peer:uas"

# 4. DTMF: key presses in a call to 100 go out as RFC 4733 events; the
# SIP leg hands each digit to the call, which dials it on the sim line;
# the echo returns it in band (697+1336 Hz for the 2)
bs_start dtmf 600 8 -e "/dial sip:100@127.0.0.1:$LC_PORT"
wait_for "dtmf: the call to 100 is answered" 5 lc_answered
sleep 1
for k in 1 2 3 '#'; do
	bs_key "$k"
	sleep 0.6
done
# per-stream statistics of the live call ("show call ID"): baresip's
# RTP in both directions, its four digits, the jitter buffer's delay
show_call() {
	local id
	id=$("$CTL" -j show calls | python3 -c "import json,sys
c=json.load(sys.stdin)['calls']; print(c[0]['id'] if c else '')")
	[ -n "$id" ] && "$CTL" -j show call "$id"
}
show_call >"$IT_DIR/show_call.json" 2>&1
check "show call: the SIP leg's stream counts RTP both ways, 4 digits in" \
	python3 -c "import json,sys
j=json.load(open(sys.argv[1]))
leg=j['in_leg']
assert j['state'] == 'answered', j['state']
assert leg['kind'] == 'sip' and leg['codec'] != '-', leg
assert leg['rtp_in'] > 50 and leg['rtp_out'] > 50, leg
assert leg['dtmf_in'] == 4, leg['dtmf_in']
assert 0 <= leg['jb_delay_avg_ms'] < 500, leg
assert j['out_leg']['kind'] == 'tdm', j['out_leg']
" "$IT_DIR/show_call.json"
check "show call of an unknown id fails with a reason" \
	sh -c "! '$CTL' show call 999999 >/dev/null 2>&1 && '$CTL' show call 999999 2>&1 | grep -q 'no call 999999'"
bs_wait dtmf
for k in 1 2 3 '#'; do
	check "dtmf: the gateway got digit $k from baresip" \
		grep -q "DTMF $k from peer:sipp" "$IT_DIR/daemon.log"
done
check "dtmf: the 2 came back in band from the PSTN side" \
	bs_heard dtmf 697+1336 3 0.5
sip_row 100

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
