#!/bin/bash
# bench_cps.sh - calls per second with zero failures, Trunkline against
# Kamailio on the same rig in the same run, and Trunkline's RSS per
# concurrent call (issue 6).
#
# Systems under test (all on 127.0.0.1, UDP, distinct ports):
#   kam      SIPp uac -> Kamailio (tests/bench/cps/kamailio.cfg: tm, sl, rr,
#            maxfwd; record-routes, t_relay of every INVITE) -> SIPp uas
#   tl_sip   SIPp uac -> Trunkline B2BUA, media anchored -> SIPp uas
#            (tests/bench/cps/tl_sip.conf)
#   tl_pstn  SIPp uac -> Trunkline -> sim PSTN number 100 (echo, answers
#            after 100 ms) on sim spans (tests/bench/cps/tl_pstn.conf)
#   kam_def  (only if named in CPS_SYSTEMS) Kamailio with its default
#            8 UDP children instead of -n 1
# Calls: tests/bench/cps/uac.xml and uas.xml, INVITE with SDP, 200, ACK,
# CPS_HOLD_MS (1000) of call, BYE, 200; no RTP from SIPp.
#
# Method per system: a doubling ladder of probe points (CPS_PROBE_SECS
# each) up to the first failure, two bisection steps between the last
# pass and that failure, then confirmation points of CPS_SECS (60) at the
# best probe rate, stepping down 15% on a failure. Max CPS = the highest
# rate that passed a CPS_SECS point. A point passes when every one of its
# rate x secs calls succeeded at the UAC and at the UAS (SIPp's failed
# call counters 0, no unexpected or out-of-call messages) and SIPp kept
# the rate (finished within 10% + the call length + 3 s of the nominal
# time). The system under test runs on CPU 1, both SIPps on CPU 0.
# Trunkline's VmRSS is sampled each second in the steady part of a point
# with the number of calls in progress ("show calls"); the confirmation
# runs on a fresh process, so RSS per call = (median RSS at load - that
# process's idle RSS) / median calls; the RSS after each point (calls
# drained) and a repeat point at the same rate show whether it stays
# flat. Also per point: the SUT's CPU time (share of its core, and per
# call) and the datagrams its SIP socket dropped (/proc/net/udp).
#
#   CPS_SECS=60         confirmation point length, seconds
#   CPS_PROBE_SECS=10   probe point length, seconds
#   CPS_QUICK=1         quick run (< 2 min): SECS 8, PROBE 4, budget 90 s,
#                       probes at 100 and 400 only (CPS_FACTOR=4,
#                       CPS_MAX=400), no bisection, no repeat point
#   CPS_BUDGET=780      seconds for the whole run, shared by the systems;
#                       no point starts that would end past its share
#   CPS_START=50        first probe rate; CPS_MAX=6400 highest rate tried
#   CPS_FACTOR=2        probe ladder step
#   CPS_NICE=-20        nice of SIPp and the system under test (the machine
#                       is shared: both sides alike ahead of other work)
#   CPS_HOLD_MS=1000    call length after the answer
#   CPS_SYSTEMS="kam tl_sip tl_pstn"
#   CPS_KAM_CHILDREN=1  kamailio -n for "kam"
#   TL_TRUNKLINE=path   the daemon (default build/trunkline)
# Raw rows: build/bench/cps.rows; tables in Markdown on stdout.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cps=$repo/tests/bench/cps
daemon=${TL_TRUNKLINE:-$repo/build/trunkline}
ctl=$repo/build/trunklinectl
out=$repo/build/bench
rows=$out/cps.rows

quick=${CPS_QUICK:-0}
if [ "$quick" = 1 ]; then
	secs=${CPS_SECS:-8}
	probe=${CPS_PROBE_SECS:-4}
	budget=${CPS_BUDGET:-90}
	bisect=0
	start_rate=${CPS_START:-100}
	factor=${CPS_FACTOR:-4}
	max_rate=${CPS_MAX:-400}
	repeat=0
else
	secs=${CPS_SECS:-60}
	probe=${CPS_PROBE_SECS:-10}
	budget=${CPS_BUDGET:-780}
	bisect=2
	start_rate=${CPS_START:-50}
	factor=${CPS_FACTOR:-2}
	max_rate=${CPS_MAX:-6400}
	repeat=1
fi
nice=${CPS_NICE:--20}
hz=$(getconf CLK_TCK)
hold=${CPS_HOLD_MS:-1000}
systems=${CPS_SYSTEMS:-"kam tl_sip tl_pstn"}
kam_n=${CPS_KAM_CHILDREN:-1}

mkdir -p "$out"
dir=$(mktemp -d "$out/cps.XXXXXX")
sut_pid=
uas_pid=
uac_pid=

# stop SIPP/kamailio/daemon we started, by pid; kamailio's children
# (its main process forks them) are listed before it is signalled
stop_pid() {
	local p=$1 kids
	[ -n "$p" ] || return 0
	kids=$(ps -o pid= --ppid "$p" 2>/dev/null)
	kill "$p" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$p" $kids 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}
cleanup() {
	stop_pid "$uac_pid"
	stop_pid "$uas_pid"
	stop_pid "$sut_pid"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for t in sipp kamailio taskset; do
	command -v $t >/dev/null || {
		echo "$t missing (scripts/deps.sh installs sip-tester, kamailio)"
		exit 1
	}
done
[ -x "$daemon" ] && [ -x "$ctl" ] || {
	echo "no daemon at $daemon or no $ctl (make -j2)"
	exit 1
}
# run copies: a rebuild during the run must not swap the binaries
cp "$daemon" "$dir/trunkline" && cp "$ctl" "$dir/trunklinectl" || exit 1
daemon=$dir/trunkline
ctl=$dir/trunklinectl
if [ "$(nproc)" -ge 2 ]; then
	cpu_sut=1
	cpu_sipp=0
else
	echo "note: one CPU only, SIPp and the system under test share it"
	cpu_sut=0
	cpu_sipp=0
fi
# SIP ports: 4 in a row (sut, uas, uac, uac), below the RTP range
base=$((21000 + (RANDOM % 2000) * 4))
sut_port=$base
uas_port=$((base + 1))
uac_port=$((base + 2))
npoint=0
export TRUNKLINE_CTL=$dir/ctl.sock

# sstat FILE COLUMN: the last (cumulative) value of a SIPp statistics column
sstat() {
	awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
		END { if (c in h) print $h[c] + 0; else print -1 }' "$1" 2>/dev/null
}

calls_now() {
	"$ctl" -T 2 -j show calls 2>/dev/null | grep -o '"id":' | wc -l
}

rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# CPU time (ms) of the system under test: the process and its children
# (kamailio's workers; the daemon's threads are in its own figure)
sut_cpu_ms() {
	local p sum=0 v
	for p in $sut_pid $(ps -o pid= --ppid "$sut_pid" 2>/dev/null); do
		v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null |
			awk '{ print $12 + $13 }')
		sum=$((sum + ${v:-0}))
	done
	echo $((sum * 1000 / hz))
}

# datagrams dropped (full receive buffer) on the SUT's SIP socket: the
# last column of /proc/net/udp for 127.0.0.1:sut_port
udp_drops() {
	awk -v a="$(printf '0100007F:%04X' "$sut_port")" \
		'$2 == a { d += $NF } END { print d + 0 }' /proc/net/udp
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}

tl_conf() { # TEMPLATE SPANS -> $dir/tl.conf
	sed "s|@DIR@|$dir|; s|@TL_PORT@|$sut_port|;
	     s|@UAS_PORT@|$uas_port|; s|@SPANS@|$2|" "$cps/$1" >"$dir/tl.conf"
	local s
	for s in $(seq 1 "$2"); do
		printf '[span %d]\nchannels = %d-%d\nsignalling = pri_cpe\n' \
			"$s" $(((s - 1) * 31 + 1)) $((s * 31))
		printf 'group = 1\necho_cancel = no\n'
	done >>"$dir/tl.conf"
}

# start_sut SYSTEM: kamailio or the daemon on CPU cpu_sut; 0 when it
# answers
start_sut() {
	local sys=$1 n
	case $sys in
	kam | kam_def)
		n=$kam_n
		[ "$sys" = kam_def ] && n=8
		mkdir -p "$dir/kam"
		(cd "$dir/kam" && exec nice -n "$nice" taskset -c $cpu_sut kamailio \
			-f "$cps/kamailio.cfg" -DD -E -n "$n" -m 256 -M 16 \
			-l "udp:127.0.0.1:$sut_port" \
			-A "UAS_URI=\"sip:127.0.0.1:$uas_port\"" \
			-P "$dir/kam/kamailio.pid" -Y "$dir/kam" -w "$dir/kam") \
			>"$dir/sut.log" 2>&1 &
		sut_pid=$!
		for _ in $(seq 50); do
			ss -Hnul "sport = :$sut_port" 2>/dev/null | grep -q . &&
				break
			sleep 0.1
		done
		;;
	tl_sip | tl_pstn)
		if [ "$sys" = tl_sip ]; then
			tl_conf tl_sip.conf 0
		else
			# enough sim channels for max_rate x (call + answer + 1 s)
			n=$(((max_rate * (hold + 1100) / 1000 + 30) / 31))
			[ "$n" -gt 128 ] && n=128
			tl_conf tl_pstn.conf "$n"
		fi
		nice -n "$nice" taskset -c $cpu_sut "$daemon" -f -c "$dir/tl.conf" \
			>"$dir/sut.log" 2>&1 &
		sut_pid=$!
		for _ in $(seq 100); do
			"$ctl" -T 1 status >/dev/null 2>&1 && break
			sleep 0.1
		done
		;;
	esac
	sleep 0.5
	kill -0 "$sut_pid" 2>/dev/null && return 0
	echo "$sys did not start:"
	tail -20 "$dir/sut.log"
	return 1
}

# point SYSTEM PHASE RATE SECS: one run; appends a row, prints it, returns
# 0 on a pass
point() {
	local sys=$1 phase=$2 r=$3 t=$4
	local n=$((r * t)) lim svc dest t0 t1 el rc_uac rc_uas=0 uac_p f
	local idle load_med calls_med after v fail c0 c1 cpu_pc us_call d0
	lim=$((r * (hold + 5000) / 1000 + 50))
	svc=555
	[ "$sys" = tl_pstn ] && svc=100
	rm -f "$dir"/uac.csv "$dir"/uas.csv "$dir"/*_errors.log
	idle=-
	case $sys in tl_*) idle=$(rss_kb "$sut_pid") ;; esac
	if [ "$sys" != tl_pstn ]; then
		(cd "$dir" && exec timeout -k 3 $((t + hold / 1000 + 30)) \
			nice -n "$nice" taskset -c $cpu_sipp \
			sipp -sf "$cps/uas.xml" \
			-t u1 -i 127.0.0.1 -p "$uas_port" -m "$n" \
			-timeout $((t + hold / 1000 + 25))s -nostdin -trace_stat \
			-stf "$dir/uas.csv" -fd 1 -trace_err \
			-error_file "$dir/uas_errors.log" \
			-buff_size 4194304) >/dev/null 2>&1 &
		uas_pid=$!
		sleep 0.3
	fi
	dest=127.0.0.1:$sut_port
	# alternate the UAC's port: a late retransmission meant for the last
	# point's UAC is not an out-of-call message to this one
	npoint=$((npoint + 1))
	uac_p=$((uac_port + npoint % 2))
	c0=$(sut_cpu_ms)
	d0=$(udp_drops)
	t0=$(date +%s%N)
	(cd "$dir" && exec timeout -k 3 $((t + hold / 1000 + 25)) \
		nice -n "$nice" taskset -c $cpu_sipp \
		sipp -sf "$cps/uac.xml" \
		-s $svc -t u1 -i 127.0.0.1 -p "$uac_p" -r "$r" -m "$n" \
		-l "$lim" -d "$hold" -recv_timeout 5000 \
		-timeout $((t + hold / 1000 + 20))s -nostdin -trace_stat \
		-stf "$dir/uac.csv" -fd 1 -trace_err \
		-error_file "$dir/uac_errors.log" -buff_size 4194304 \
		"$dest") >/dev/null 2>&1 &
	uac_pid=$!
	# steady part: after ramp-up (call length + 2 s) until 1 s before
	# the last call is placed; RSS and calls each second
	: >"$dir/samples"
	sleep $(((hold + 2000) / 1000))
	local s_end=$((t - 1))
	for _ in $(seq $(((hold + 2000) / 1000)) "$s_end"); do
		kill -0 "$uac_pid" 2>/dev/null || break
		case $sys in tl_*)
			echo "$(rss_kb "$sut_pid") $(calls_now)" >>"$dir/samples"
			;;
		esac
		sleep 1
	done
	wait "$uac_pid"
	rc_uac=$?
	uac_pid=
	t1=$(date +%s%N)
	c1=$(sut_cpu_ms)
	if [ -n "$uas_pid" ]; then
		wait "$uas_pid"
		rc_uas=$?
		uas_pid=
	fi
	el=$(((t1 - t0) / 1000000))
	# the SUT's CPU over the point: share of its core, and per call made
	cpu_pc=$(((c1 - c0) * 100 / (el > 0 ? el : 1)))
	us_call=$(((c1 - c0) * 1000 / n))
	# calls drained: the idle RSS after the point
	after=-
	case $sys in tl_*)
		for _ in $(seq 100); do
			[ "$(calls_now)" = 0 ] && break
			sleep 0.2
		done
		sleep 1
		after=$(rss_kb "$sut_pid")
		;;
	esac
	load_med=-
	calls_med=-
	if [ -s "$dir/samples" ]; then
		load_med=$(awk '{ print $1 }' "$dir/samples" | median)
		calls_med=$(awk '{ print $2 }' "$dir/samples" | median)
	fi

	local ok fl rt unx ooc ok_s=- unx_s=0 ooc_s=0
	ok=$(sstat "$dir/uac.csv" "SuccessfulCall(C)")
	fl=$(sstat "$dir/uac.csv" "FailedCall(C)")
	rt=$(sstat "$dir/uac.csv" "Retransmissions(C)")
	unx=$(sstat "$dir/uac.csv" "FailedUnexpectedMessage(C)")
	ooc=$(sstat "$dir/uac.csv" "OutOfCallMsgs(C)")
	if [ "$sys" != tl_pstn ]; then
		ok_s=$(sstat "$dir/uas.csv" "SuccessfulCall(C)")
		unx_s=$(sstat "$dir/uas.csv" "FailedUnexpectedMessage(C)")
		ooc_s=$(sstat "$dir/uas.csv" "OutOfCallMsgs(C)")
		rt=$((rt + $(sstat "$dir/uas.csv" "Retransmissions(C)")))
	fi
	fail=
	[ "$rc_uac" = 0 ] || fail="$fail uac-exit-$rc_uac"
	[ "$ok" = "$n" ] || fail="$fail uac-ok-$ok/$n"
	[ "$fl" = 0 ] || fail="$fail uac-failed-$fl"
	[ "$unx" = 0 ] || fail="$fail unexpected-$unx"
	[ "$ooc" = 0 ] || fail="$fail out-of-call-$ooc"
	if [ "$sys" != tl_pstn ]; then
		[ "$rc_uas" = 0 ] || fail="$fail uas-exit-$rc_uas"
		[ "$ok_s" = "$n" ] || fail="$fail uas-ok-$ok_s/$n"
		[ "$unx_s" = 0 ] || fail="$fail uas-unexpected-$unx_s"
		[ "$ooc_s" = 0 ] || fail="$fail uas-out-of-call-$ooc_s"
	fi
	# SIPp throttles at -l or when it cannot keep up: a late run did not
	# offer the rate
	[ "$el" -le $((t * 1100 + hold + 3000)) ] || fail="$fail slow-${el}ms"
	kill -0 "$sut_pid" 2>/dev/null || fail="$fail sut-died"
	v=pass
	[ -z "$fail" ] || v="fail:$(echo "${fail# }" | tr ' ' ,)"
	local row="$sys $phase $r $t $n $ok $fl $rt $((unx + unx_s + ooc + ooc_s)) $(($(udp_drops) - d0)) $el $cpu_pc $us_call $idle $load_med $calls_med $after $v"
	echo "$row" >>"$rows.new"
	printf '%-8s %-7s %6s %4s %7s %7s %6s %7s %5s %5s %7s %4s %5s %8s %8s %6s %8s %s\n' $row >&2
	if [ -z "$fail" ]; then
		return 0
	fi
	# keep what failed, for the report
	# keep the start of what failed (SIPp's error logs grow to megabytes)
	for f in "$dir"/uac_errors.log "$dir"/uas_errors.log "$dir"/sut.log; do
		[ -s "$f" ] &&
			head -c 262144 "$f" >"$out/cps-$sys-$r-$(basename "$f")"
	done
	return 1
}

# wait until the system under test is idle again after a failing point
settle() {
	case $1 in tl_*)
		for _ in $(seq 150); do
			[ "$(calls_now)" = 0 ] && return 0
			sleep 0.2
		done
		;;
	*) sleep 3 ;;
	esac
}

# fits SECONDS [RESERVE]: whether a point of that length fits the
# system's share, leaving RESERVE seconds for later points
fits() {
	[ $((SECONDS + $1 + hold / 1000 + 4 + ${2:-0})) -le "$deadline" ]
}

# ladder SYSTEM: probe ladder, bisection, confirmation; sets best
ladder() {
	local sys=$1 r=$start_rate lo=0 hi=0 mid c keep
	best=0
	# probes leave room for the confirmation (and repeat) point, and for
	# one failing probe's overrun
	local reps=$repeat
	case $sys in kam*) reps=0 ;; esac
	keep=$(((1 + reps) * (secs + hold / 1000 + 4)))
	[ "$quick" = 1 ] || keep=$((keep + 15))
	while [ "$r" -le "$max_rate" ] && fits "$probe" "$keep"; do
		if point "$sys" probe "$r" "$probe"; then
			lo=$r
			r=$((r * factor))
		else
			hi=$r
			settle "$sys"
			break
		fi
	done
	for _ in $(seq 1 $bisect); do
		[ "$hi" -gt 0 ] && [ "$lo" -gt 0 ] || break
		mid=$(((lo + hi) / 2))
		[ $((hi - lo)) -ge $((lo / 8 + 1)) ] || break
		fits "$probe" "$keep" || break
		if point "$sys" bisect "$mid" "$probe"; then
			lo=$mid
		else
			hi=$mid
			settle "$sys"
		fi
	done
	# confirmation on a fresh process: its idle RSS is the baseline, not
	# the high-water mark the probes left
	stop_pid "$sut_pid"
	sut_pid=
	start_sut "$sys" || return 0
	c=$lo
	while [ "$c" -ge "$start_rate" ] && fits "$secs"; do
		if point "$sys" confirm "$c" "$secs"; then
			best=$c
			# once more at the same rate: RSS flat across repeated points
			if [ "$repeat" = 1 ] && [ "$sys" != kam ] &&
				[ "$sys" != kam_def ] && fits "$secs"; then
				point "$sys" repeat "$c" "$secs" || best=0
			fi
			break
		fi
		settle "$sys"
		c=$((c * 85 / 100))
	done
}

# the run, in a function: bash reads a script as it goes, and a whole
# function before it runs it, so an edit to this file during a run is
# not half-read
main() {
	uptime_before=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "machine: $(nproc) CPUs, $(uname -r), load average before: $uptime_before"
	echo "rig: loopback UDP; $(sipp -v 2>/dev/null | grep -o 'SIPp v[0-9.]*' | head -1), $(kamailio -v 2>/dev/null | head -1); SUT on CPU $cpu_sut, SIPp on CPU $cpu_sipp"
	echo "call: INVITE/SDP, 200, ACK, ${hold} ms, BYE, 200; no RTP from SIPp; probe ${probe} s, confirm ${secs} s, budget ${budget} s"
	: >"$rows.new"
	rm -f "$out"/cps-*_errors.log "$out"/cps-*-sut.log
	printf '%-8s %-7s %6s %4s %7s %7s %6s %7s %5s %5s %7s %4s %5s %8s %8s %6s %8s %s\n' \
		system phase rate secs calls ok failed retrans unexp drops ms \
		cpu% us/c rss_idle rss_load calls rss_after verdict >&2
	declare -A best_of
	nsys=$(echo "$systems" | wc -w)
	SECONDS=0
	left=$nsys
	for sys in $systems; do
		share=$(((budget - SECONDS) / left))
		deadline=$((SECONDS + share))
		left=$((left - 1))
		best=0
		if start_sut "$sys"; then
			ladder "$sys"
		fi
		best_of[$sys]=$best
		stop_pid "$sut_pid"
		sut_pid=
		sleep 1
	done
	mv "$rows.new" "$rows"
	load_after=$(cut -d' ' -f1-3 /proc/loadavg)

	echo
	echo "run: ${SECONDS} s; load average before $uptime_before, after $load_after"
	echo
	echo "#### points"
	echo
	echo "| system | phase | rate cps | s | calls | ok | failed | retrans | unexpected | SIP socket drops | ms | SUT CPU % | SUT CPU us/call | RSS idle kB | RSS load kB | calls up | RSS after kB | verdict |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	awk '{ printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i
		printf "\n" }' "$rows"
	echo
	echo "#### max CPS (zero failures over ${secs} s)"
	echo
	echo "| system | max cps | vs kam |"
	echo "| --- | --- | --- |"
	kb=${best_of[kam]:-0}
	for sys in $systems; do
		b=${best_of[$sys]}
		ratio=-
		if [ "$kb" -gt 0 ] && [ "$sys" != kam ]; then
			ratio=$(awk -v a="$b" -v k="$kb" 'BEGIN { printf "%.2fx", a / k }')
		fi
		echo "| $sys | $b | $ratio |"
	done
	echo
	echo "#### Trunkline RSS per concurrent call (confirm/repeat points)"
	echo
	echo "| system | phase | rate cps | calls up | RSS fresh idle kB | RSS load kB | kB per call | RSS after kB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	# per call against the fresh process's idle RSS (its first confirm
	# point), so a repeat point shows growth rather than hiding it
	awk '$1 ~ /^tl_/ && $2 ~ /^(confirm|repeat)$/ && $16 != "-" && $16 > 0 {
		if (!($1 in fresh)) fresh[$1] = $14
		printf "| %s | %s | %s | %s | %s | %s | %.1f | %s |\n", $1, $2, $3,
			$16, fresh[$1], $15, ($15 - fresh[$1]) / $16, $17 }' "$rows"
}

main "$@"; exit 0
