# t_call_dahdi.sh - whole calls through the real daemon on real DAHDI:
# SIPp -> build/trunkline -> looped dahdi_dynamic_loc span -> the far end
# (build/tools/dahdi_peer), and back. DAHDI is set up as in
# t_dahdi_analog.sh: channel N of span 1 is wired to N+24 of span 2. The
# daemon has two spans of its own on DAHDI span 1: FXS port 1 (fxoks,
# group 1: a phone, dahdi_peer "answer" on 25) and FXO port 13 (fxsks,
# group 2: an exchange line, dahdi_peer "exchange"/"co" on 37). The SIP
# side's audio is build/tools/rtp_tone at the port SIPp's SDP names: it
# sends 1004 Hz and measures 1500 Hz; the far end the other way round.
#
#   sip-bye:  SIPp calls 201 as "SIPP CALLER" <5551000>; the phone is rung
#             with that caller ID, answers (and is not rung again), audio
#             both ways; SIPp hangs up (BYE): the phone hears reorder
#   pstn-bye: the same call, but the phone hangs up: SIPp gets a BYE with
#             Reason Q.850 cause 16 (caller ID is not checked again here:
#             sip-bye checks it, and under host steal the TCG guest
#             sometimes loses a burst)
#   sip-fxo:  SIPp calls 95551234: the daemon seizes the exchange line and
#             dials 5551234 (DTMF, checked by the exchange); audio both
#             ways; the exchange drops loop current: BYE with cause 16
#   pstn-in:  the exchange rings the FXO port with caller ID 2125551234
#             "CO LINE"; the daemon calls the SIPp UAS (extension 100),
#             which checks From, answers; audio both ways; loop current
#             drop: the UAS gets a BYE with Reason cause 16
#   cdr:      one CSV row per call: direction, numbers, ingress, egress,
#             cause 16, answered, billsec >= 1, duration >= billsec
#
# A SIP-to-PSTN call that fails while SIPp's watchdog saw the guest stand
# still for a second or more is made once more (call_out); the second
# call's result is the verdict, and its CDR row is expected too.
#
# The userspace echo canceller is off: under TCG it starves the guest
# (docs/vm-tier.md). About 70 s in the guest.
#
# Needs build/trunkline, build/trunklinectl, build/tools/{dahdi_peer,
# rtp_tone} (make -j2) and build/dahdi/*.ko (scripts/build-dahdi.sh).
# vm-args: -H -M 1G -T 300
# vm-args: -k @BUILD@/dahdi/dahdi.ko -k @BUILD@/dahdi/dahdi_dynamic.ko
# vm-args: -k @BUILD@/dahdi/dahdi_dynamic_loc.ko
# vm-args: -f @BUILD@/tools/dahdi_peer:/usr/local/bin/dahdi_peer
# vm-args: -f @BUILD@/tools/rtp_tone:/usr/local/bin/rtp_tone
# vm-args: -f @BUILD@/trunkline:/usr/local/bin/trunkline
# vm-args: -f @BUILD@/trunklinectl:/usr/local/bin/trunklinectl
# vm-args: -f @ROOT@/tests/vm/sipp:/usr/local/share/trunkline-vm/sipp
# vm-log: ok: sip-bye peer
# vm-log: ok: sip-bye sipp
# vm-log: ok: sip-bye rtp
# vm-log: ok: pstn-bye peer
# vm-log: ok: pstn-bye sipp
# vm-log: ok: pstn-bye rtp
# vm-log: ok: sip-fxo peer
# vm-log: ok: sip-fxo sipp
# vm-log: ok: sip-fxo rtp
# vm-log: ok: pstn-in peer
# vm-log: ok: pstn-in sipp
# vm-log: ok: pstn-in rtp
# vm-log: ok: cdr rows
# vm-log: ok: daemon exits cleanly
# shellcheck shell=bash
fail=0
T=/usr/local/bin
SC=/usr/local/share/trunkline-vm/sipp
CTL="$T/trunklinectl -s /tmp/tl.ctl"
t0=$EPOCHREALTIME

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# Helpers between calls use bash builtins only: each program started
# in the guest is read over 9p and costs about half a second under TCG.
# elapsed: seconds since the start, one decimal
elapsed() {
	local d=$(((${EPOCHREALTIME/./} - ${t0/./}) / 100000))
	echo "$((d / 10)).$((d % 10))"
}

# indent PREFIX [FILE...]: the files (or stdin) with PREFIX on each line
indent() {
	local p=$1 l f
	shift
	if [ $# = 0 ]; then set -- /dev/stdin; fi
	for f in "$@"; do
		[ -r "$f" ] || continue
		while IFS= read -r l || [ -n "$l" ]; do
			printf '%s%s\n' "$p" "$l"
		done <"$f"
	done
}

command -v sipp >/dev/null || { echo "FAIL: no sipp on the host"; exit 1; }
modprobe dahdi auto_assign_spans=1 || { echo "FAIL: modprobe dahdi"; exit 1; }
if ! modprobe dahdi_dynamic || ! modprobe dahdi_dynamic_loc; then
	echo "FAIL: modprobe dahdi_dynamic_loc"
	exit 1
fi
cat >/tmp/system.conf <<'CONF'
loadzone=us
defaultzone=us
dynamic=loc,1:0,24,0
dynamic=loc,1:1,24,0
fxoks=1-12
fxsks=13-24
fxsks=25-36
fxoks=37-48
CONF
if ! dahdi_cfg -c /tmp/system.conf >/tmp/cfg.log 2>&1; then
	cat /tmp/cfg.log
	echo "FAIL: dahdi_cfg"
	exit 1
fi
echo "dahdi: $(find /dev/dahdi/chan -type c | wc -l) channel nodes" \
	"($(elapsed)s)"

cat >/tmp/tl.conf <<'CONF'
[general]
name = vm-call-dahdi
log_level = info
[control]
socket = /tmp/tl.ctl
[tdm]
backend = dahdi
tone_zone = us
; only the channels the calls use: each open channel costs CPU under TCG
; FXS port: a phone (dahdi_peer answer on 25)
[span 1]
channels = 1
signalling = fxo_ks
group = 1
callerid = bell
; the userspace canceller starves a TCG guest (docs/vm-tier.md)
echo_cancel = no
; FXO port: a line to the exchange (dahdi_peer exchange/co on 37)
[span 2]
channels = 13
signalling = fxs_ks
group = 2
callerid = bell
echo_cancel = no
[sip]
listen = udp:127.0.0.1:5060
; the SIPp UAS that calls from the exchange go to
[peer sipp]
address = 127.0.0.1:5070
identify = no
keepalive = 0
; an analog line brings no called number: it rings extension 100
[route from_pstn]
ingress = span:2
called_prepend = 100
targets = peer:sipp
[route to_phones]
called = _2XX
targets = group:1
; 9 for an outside line: dialled on the exchange line without the 9
[route to_exchange]
called = _9X.
called_strip = 1
targets = group:2
[cdr]
csv = /tmp/cdr.csv
sqlite =
[calls]
no_answer = 30s
CONF
"$T/trunkline" -f -c /tmp/tl.conf >/tmp/daemon.log 2>&1 &
tl_pid=$!
up=
for _ in $(seq 1 150); do
	if $CTL -T 2 status >/dev/null 2>&1; then up=1; break; fi
	kill -0 $tl_pid 2>/dev/null || break
	sleep 0.2
done
if [ -z "$up" ]; then
	cat /tmp/daemon.log
	echo "FAIL: the daemon did not start"
	exit 1
fi
echo "daemon up ($(elapsed)s)"
$CTL show channels

# cpu_report WHAT: CPU seconds the daemon has used so far and the share
# of the guest's one vCPU that was idle since the last report (TCG is
# slow: a starved daemon loses TDM blocks, which shows as gaps in audio)
cpu_last=
cpu_report() {
	local st up idle
	read -r -a st </proc/$tl_pid/stat
	read -r up idle </proc/uptime
	# centiseconds; 10#: "029" is not octal
	up=$((10#${up/./})) idle=$((10#${idle/./}))
	if [ -n "$cpu_last" ]; then
		# shellcheck disable=SC2086 # two numbers
		set -- "$1" $cpu_last
		echo "cpu: $1: daemon $(((st[13] + st[14]) / 100)).$(((st[13] +
			st[14]) % 100 / 10))s so far; the guest was idle" \
			"$((100 * (idle - $3) / (up - $2)))% of the time"
	fi
	cpu_last="$up $idle"
}

# verdict NAME WHAT RC LOG: one ok/FAIL line, the log indented
verdict() {
	indent "  [$1 $2] " "$4"
	if [ "$3" = 0 ]; then ok "$1 $2"; else bad "$1 $2 (rc=$3)"; fi
}

# sipp_logs NAME: SIPp's screen (its last 25 lines with text), errors
# and its scenario log lines
sipp_logs() {
	local l lines=()
	while IFS= read -r l; do
		[[ $l =~ ^\ *$|^- ]] || lines+=("$l")
	done </tmp/"$1"/out
	printf '%s\n' "${lines[@]: -25}" | indent "  [$1 sipp] "
	indent "  [$1 sipp-log] " /tmp/"$1"/*_errors.log /tmp/"$1"/*_logs.log
}

# stall NAME: the longest stall of the guest in ms that SIPp's watchdog
# saw during scenario NAME (0 if none): the whole guest, the daemon and
# DAHDI's timing included, stood still that long (TCG on a host that
# steals its CPU)
stall() {
	cat /tmp/"$1"/*_errors.log 2>/dev/null |
		grep -o 'watchdog timer [0-9]*ms has been tripped ([0-9]*)' |
		sed 's/.*(\([0-9]*\))/\1/' | sort -n | tail -1 | grep . || echo 0
}

# the CDR rows the calls should leave, one per call made (with retries)
want_rows=()

# call_out NAME CALLED BYE ROW PEER_ARGS...: SIPp calls CALLED with
# dahdi_peer PEER_ARGS on the far end; BYE=1: SIPp hangs up 4 s after
# the answer, 0: it waits for the far end to hang up; ROW: the CDR row
# the call leaves. A call that fails while the guest stood still for a
# second or more (stall) is made once more: caller ID and tones are
# timed signals that a frozen line cannot carry, and the verdict is the
# second call's (both calls' logs are shown).
call_out() {
	local name=$1 called=$2 bye=$3 row=$4 try s
	shift 4
	for try in 1 2; do
		call_once "$name" "$called" "$bye" "$@"
		want_rows+=("$row")
		s=$(stall "$name")
		if [ "$try" = 1 ] && [ "$((rc_s | rc_p | rc_r))" != 0 ] &&
			[ "$s" -ge 1000 ]; then
			echo "$name: failed while the guest stood still for" \
				"$s ms (SIPp's watchdog): the call is made again"
			indent "  [$name first try, peer] " /tmp/"$name".peer
			indent "  [$name first try, rtp] " /tmp/"$name".rtp
			sipp_logs "$name"
			rm -rf /tmp/"$name"
			continue
		fi
		break
	done
	verdict "$name" peer "$rc_p" /tmp/"$name".peer
	verdict "$name" rtp "$rc_r" /tmp/"$name".rtp
	sipp_logs "$name"
	if [ "$rc_s" = 0 ]; then ok "$name sipp"
	else bad "$name sipp (rc=$rc_s)"; fi
}

# call_once NAME CALLED BYE PEER_ARGS...: one call of call_out; sets
# rc_s, rc_p, rc_r (SIPp's, the peer's, rtp_tone's exit codes)
call_once() {
	local name=$1 called=$2 bye=$3
	shift 3
	echo "=== $name ($(elapsed)s)"
	mkdir -p /tmp/"$name"
	timeout 60 "$T/rtp_tone" 40000 1004 1500 30 >/tmp/"$name".rtp 2>&1 &
	local rp=$!
	timeout 60 "$T/dahdi_peer" "$@" >/tmp/"$name".peer 2>&1 &
	local pp=$!
	sleep 0.3
	echo "$name: sipp starts at $(elapsed)s"
	(cd /tmp/"$name" && timeout 60 sipp -sf $SC/uac-tone.xml -s "$called" \
		-i 127.0.0.1 -p 5061 -m 1 -nostdin -key rtpport 40000 \
		-set bye "$bye" -d 4000 -timeout 50s -timeout_error \
		-trace_err -trace_logs 127.0.0.1:5060 >out 2>&1)
	rc_s=$?
	local t_s t_p
	t_s=$(elapsed)
	wait $pp
	rc_p=$?
	t_p=$(elapsed)
	wait $rp
	rc_r=$?
	echo "$name: sipp done at ${t_s}s, peer at ${t_p}s, rtp at $(elapsed)s"
	cpu_report "$name"
}

cpu_report start
ok_end="16;answered;billsec>=1;duration>=billsec"
phone="sip->pstn;5551000;SIPP CALLER;201;peer:unknown;span:1/chan:1;$ok_end"
call_out sip-bye 201 1 "$phone" answer 25 5551000 "SIPP CALLER" wait
call_out pstn-bye 201 0 "$phone" answer 25 - - hangup
call_out sip-fxo 95551234 0 \
	"sip->pstn;5551000;SIPP CALLER;5551234;peer:unknown;span:2/chan:13;$ok_end" \
	exchange 37 5551234
want_rows+=("pstn->sip;2125551234;CO LINE;100;span:2,group:2;peer:sipp;$ok_end")

# PSTN to SIP with caller ID
name=pstn-in
echo "=== $name ($(elapsed)s)"
mkdir -p /tmp/"$name"
(cd /tmp/"$name" && exec timeout 60 sipp -sf $SC/uas-cid.xml -i 127.0.0.1 \
	-p 5070 -m 1 -nostdin -key rtpport 40010 -timeout 50s \
	-timeout_error -trace_err -trace_logs >out 2>&1) &
sp=$!
timeout 60 "$T/rtp_tone" 40010 1004 1500 40 >/tmp/"$name".rtp 2>&1 &
rp=$!
sleep 1
echo "$name: the exchange rings at $(elapsed)s"
timeout 60 "$T/dahdi_peer" co 37 sip >/tmp/"$name".peer 2>&1
rc_p=$?
t_p=$(elapsed)
wait $sp
rc_s=$?
t_s=$(elapsed)
wait $rp
rc_r=$?
echo "$name: peer done at ${t_p}s, sipp at ${t_s}s, rtp at $(elapsed)s"
cpu_report $name
verdict $name peer $rc_p /tmp/"$name".peer
verdict $name rtp $rc_r /tmp/"$name".rtp
sipp_logs $name
if [ $rc_s = 0 ]; then ok "$name sipp"; else bad "$name sipp (rc=$rc_s)"; fi
echo "calls done ($(elapsed)s)"

# --- CDR ---------------------------------------------------------------------
for _ in $(seq 1 50); do
	[ "$(wc -l </tmp/cdr.csv 2>/dev/null)" -gt "${#want_rows[@]}" ] && break
	sleep 0.1
done
echo "cdr.csv:"
indent "  " /tmp/cdr.csv
# one line per row: direction;caller;name;callee;ingress;egress;cause;
# answered;billsec >= 1 (whole seconds answered);duration >= billsec
rows=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    b, d = int(r["billsec"] or 0), int(r["duration"] or 0)
    print(";".join([
        "pstn->sip" if r["ingress"].startswith("span:") else "sip->pstn",
        r["caller"], r["caller_name"], r["callee"], r["ingress"],
        r["egress"], r["cause"],
        "answered" if r["answer"] else "unanswered",
        "billsec>=1" if b >= 1 else "billsec=%d" % b,
        "duration>=billsec" if d >= b else "duration=%d" % d]))
' /tmp/cdr.csv 2>&1)
want=$(printf '%s\n' "${want_rows[@]}")
echo "cdr rows (direction;caller;name;callee;ingress;egress;cause;...):"
indent "  " <<<"$rows"
if [ "$rows" = "$want" ]; then ok "cdr rows"; else
	bad "cdr rows: want"
	indent "  " <<<"$want"
fi

$CTL show channels
kill -TERM $tl_pid
wait $tl_pid
rc=$?
grep -E 'call|chan|ERR|WARN' /tmp/daemon.log | tail -40 | sed 's/^/  [daemon] /'
if [ $rc = 0 ]; then ok "daemon exits cleanly"; else bad "daemon rc=$rc"; fi
if dmesg | grep -E 'Oops:|BUG:|WARNING:|Call Trace'; then
	bad "kernel complained"
fi
echo "call dahdi failures: $fail ($(elapsed)s)"
exit $fail
