#!/bin/bash
# bench_sip_options.sh - OPTIONS handling rate of the daemon: SIPp (UAC,
# UDP, loopback) sends OPTIONS at rising rates, SIPP_STEP_S (30) seconds per
# step; the result is the highest rate at which every call got its 200
# (SIPp's own count of failed calls is 0). The daemon runs on CPU 0, SIPp
# on CPU 1. Every step is bounded in calls and time; the whole run takes
# under 8 minutes.
#   TL_TRUNKLINE=path  a daemon built with the sip module (default build/)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
daemon=${TL_TRUNKLINE:-$repo/build/trunkline}
scen=$repo/../shared/conformance/sipp/external/pjproject__uac-options.xml
step_s=${SIPP_STEP_S:-30}
rates=${SIPP_RATES:-"1000 2000 4000 8000 12000 16000 24000 32000"}
dir=$(mktemp -d /tmp/tl-bench-sip.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

command -v sipp >/dev/null || { echo "sipp missing (sip-tester)"; exit 1; }
[ "$(nproc)" -ge 2 ] || echo "note: one CPU only, daemon and SIPp share it"
port=$((20000 + RANDOM % 20000))
cat >"$dir/b.conf" <<EOC
[general]
log_level = warning
[control]
socket = $dir/ctl.sock
[sip]
listen = udp:127.0.0.1:$port
EOC
taskset -c 0 "$daemon" -f -c "$dir/b.conf" >"$dir/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
	TRUNKLINE_CTL=$dir/ctl.sock "$repo/build/trunklinectl" -T 1 status \
		>/dev/null 2>&1 && break
	sleep 0.1
done
if ! kill -0 "$pid" 2>/dev/null; then
	echo "daemon did not start:"
	cat "$dir/daemon.log"
	exit 1
fi

best=0
printf '%-10s %-10s %-10s %-10s %s\n' "rate/s" "calls" "ok" "failed" "verdict"
SECONDS=0
for r in $rates; do
	[ $SECONDS -lt 420 ] || { echo "time budget spent"; break; }
	n=$((r * step_s))
	(cd "$dir" && timeout $((step_s + 15)) taskset -c 1 sipp -sf "$scen" \
		-t u1 -i 127.0.0.1 -p 0 -r "$r" -m "$n" -l $((r * 2)) \
		-timeout $((step_s + 10))s -recv_timeout 2000 -nostdin \
		-trace_stat -stf "$dir/stat.csv" -fd 100 \
		"127.0.0.1:$port" >/dev/null 2>&1)
	rc=$?
	# last line of the statistics file: cumulative counters
	okc=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} END{print $h["SuccessfulCall(C)"]}' "$dir/stat.csv" 2>/dev/null)
	failc=$(awk -F';' 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} END{print $h["FailedCall(C)"]}' "$dir/stat.csv" 2>/dev/null)
	rm -f "$dir/stat.csv"
	verdict=pass
	if [ "$rc" != 0 ] || [ "${failc:-1}" != 0 ] || [ "${okc:-0}" != "$n" ]; then
		verdict="fail (sipp exit $rc)"
	fi
	printf '%-10s %-10s %-10s %-10s %s\n' "$r" "$n" "${okc:-?}" "${failc:-?}" "$verdict"
	[ "$verdict" = pass ] || break
	best=$r
done
echo "highest OPTIONS rate with zero failed calls over ${step_s} s: $best/s"
kill -0 "$pid" 2>/dev/null || { echo "daemon died"; exit 1; }
