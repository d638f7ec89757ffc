# t_dahdi_analog.sh - Trunkline's dahdi backend and analog signalling on
# real DAHDI: two looped dahdi_dynamic_loc spans, Trunkline's TDM layer
# (build/tools/tdm_drive) on span 1 and the far end (build/tools/dahdi_peer)
# on span 2. Channel N of span 1 is wired to channel N+24 of span 2.
#
#   fxs:      phone off-hook on our FXS port (1 <-> 25): dial tone measured,
#             DTMF 12 + pulse 34 collected as 1234 (digitmap key: complete
#             at once), reorder after refusal,
#             rung back with Bell caller ID the phone demodulates, 1004 Hz
#             and 1500 Hz exchanged and measured (Goertzel)
#   fxo-kewl: the exchange rings our FXO port (13 <-> 37) with caller ID
#             after the first ring; we answer, audio both ways; it drops
#             loop current (kewlstart disconnect): we release within 2 s
#   fxo-busy: the same on 14 <-> 38, but the exchange only plays busy
#             tone: we release within 2 s
#   (echo cancellation is measured by t_dahdi_echo.sh)
#
# Needs build/tools/{tdm_drive,dahdi_peer} (make all tools) and
# build/dahdi/*.ko (scripts/build-dahdi.sh).
# vm-args: -H -M 1G -T 240
# vm-args: -k @BUILD@/dahdi/dahdi.ko -k @BUILD@/dahdi/dahdi_dynamic.ko
# vm-args: -k @BUILD@/dahdi/dahdi_dynamic_loc.ko
# vm-args: -f @BUILD@/tools/tdm_drive:/usr/local/bin/tdm_drive
# vm-args: -f @BUILD@/tools/dahdi_peer:/usr/local/bin/dahdi_peer
# vm-log: ok: drive fxs
# vm-log: ok: drive fxo-kewl
# vm-log: ok: fxo-busy release on busy tone
# shellcheck shell=bash
fail=0
# host-root mode: the checkout is at its host path; find it from the tools
T=/usr/local/bin

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

modprobe dahdi auto_assign_spans=1 || { echo "FAIL: modprobe dahdi"; exit 1; }
modprobe dahdi_dynamic && modprobe dahdi_dynamic_loc ||
	{ echo "FAIL: modprobe dahdi_dynamic_loc"; exit 1; }
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
echo "dahdi: $(find /dev/dahdi/chan -type c | wc -l) channel nodes"

# run NAME DRIVE_ARGS -- PEER_ARGS: both ends at once, logs kept
run() {
	local name=$1 dargs=() pargs=() rc_d rc_p
	shift
	while [ "$1" != -- ]; do dargs+=("$1"); shift; done
	shift
	pargs=("$@")
	echo "=== $name: tdm_drive ${dargs[*]} / dahdi_peer ${pargs[*]}"
	local t0=$EPOCHREALTIME
	"$T/tdm_drive" "${dargs[@]}" >/tmp/$name.drive 2>&1 &
	local dp=$!
	sleep 0.5
	timeout 60 "$T/dahdi_peer" "${pargs[@]}" >/tmp/$name.peer 2>&1
	rc_p=$?
	wait $dp
	rc_d=$?
	sed 's/^/  /' /tmp/$name.drive /tmp/$name.peer
	echo "=== $name: drive rc=$rc_d peer rc=$rc_p" \
		"($(awk -v a="$t0" -v b="$EPOCHREALTIME" \
			'BEGIN { printf "%.1f", b - a }')s)"
	if [ "$rc_d" = 0 ]; then ok "drive $name"; else bad "drive $name"; fi
	if [ "$rc_p" = 0 ]; then ok "peer $name"; else bad "peer $name"; fi
}

# release_delay NAME: seconds from the exchange's disconnect to our release
release_delay() {
	local t_dis t_rel
	t_dis=$(sed -n 's/.*DISCONNECT t=\([0-9.]*\).*/\1/p' /tmp/$1.peer)
	t_rel=$(sed -n 's/.*RELEASE t=\([0-9.]*\).*/\1/p' /tmp/$1.drive)
	[ -n "$t_dis" ] && [ -n "$t_rel" ] || { echo 999; return; }
	awk -v a="$t_dis" -v b="$t_rel" 'BEGIN { printf "%.2f", b - a }'
}

run fxs fxs 1 -- phone 25
run fxo-kewl fxo 13 -- co 37 kewl
d=$(release_delay fxo-kewl)
echo "fxo-kewl: released ${d}s after the loop current dropped"
awk -v d="$d" 'BEGIN { exit !(d >= 0 && d < 2.0) }' &&
	ok "fxo-kewl release within 2 s" || bad "fxo-kewl release within 2 s"
run fxo-busy fxo 14 -- co 38 busy
d=$(release_delay fxo-busy)
echo "fxo-busy: released ${d}s after the busy tone started"
awk -v d="$d" 'BEGIN { exit !(d >= 0 && d < 2.0) }' &&
	ok "fxo-busy release on busy tone" || bad "fxo-busy release on busy tone"
if dmesg | grep -E 'Oops:|BUG:|WARNING:|Call Trace'; then
	bad "kernel complained"
fi
echo "dahdi analog failures: $fail"
exit $fail
