# t_dahdi_pri.sh - ISDN PRI on real DAHDI: two looped dahdi_dynamic_loc
# spans configured as a T1 PRI pair (23 B + D: bchan 1-23, D channel 24;
# bchan 25-47, D channel 48). Channel N of span 1 is wired to channel
# N+24 of span 2, so the two D channels form a real PRI link.
#
#   our side:  Trunkline's TDM layer with the PRI driver, pri_cpe
#              (build/tools/tdm_drive pri) on span 1
#   exchange:  libpri in network mode (build/tools/pri_peer 48 25) on
#              span 2
#
#   link:   layer 2 comes up, our side restarts its 23 B channels (the
#           peer counts the RESTARTs) and puts them in service
#   call A: we call 5551000 (national, E.164) from +12125551234 (sent as
#           12125551234, international, E.164; allowed, verified): the
#           peer checks numbers, plans, presentation and
#           the B channel; PROGRESS with in-band information (PI 8),
#           ALERTING, CONNECT; 1004 Hz from us and
#           1500 Hz from the peer measured at the other end (Goertzel,
#           -10 dBm0 +-1.5 dB); we clear with cause 16, seen by the peer
#   call B: the peer calls 100 from 2125559876, presentation restricted,
#           redirected from 2125550001: checked on our side; we answer;
#           the peer clears (cause 16)
#   call C: the peer calls from 12125550000, international (we report
#           +12125550000), we send ALERTING, the peer clears with
#           cause 17 before answer: we report cause 17
#   down:   the peer exits; our layer 2 goes down and every B channel
#           goes out of service
#
# DAHDI channel type of the D channel: dchan (the kernel's HDLC with
# FCS). Dynamic spans have no hardware HDLC, so dahdi_cfg refuses
# hardhdlc on them ("Selected signaling not supported"; tried once
# below, for the log).
#
# Needs build/tools/{tdm_drive,pri_peer} (make all tools) and
# build/dahdi/*.ko (scripts/build-dahdi.sh).
# vm-args: -H -M 1G -T 180
# vm-args: -k @BUILD@/dahdi/dahdi.ko -k @BUILD@/dahdi/dahdi_dynamic.ko
# vm-args: -k @BUILD@/dahdi/dahdi_dynamic_loc.ko
# vm-args: -f @BUILD@/tools/tdm_drive:/usr/local/bin/tdm_drive
# vm-args: -f @BUILD@/tools/pri_peer:/usr/local/bin/pri_peer
# vm-log: ok: drive pri
# vm-log: ok: peer pri
# shellcheck shell=bash
fail=0
T=/usr/local/bin

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

modprobe dahdi auto_assign_spans=1 || { echo "FAIL: modprobe dahdi"; exit 1; }
if ! modprobe dahdi_dynamic || ! modprobe dahdi_dynamic_loc; then
	echo "FAIL: modprobe dahdi_dynamic_loc"
	exit 1
fi

# conf D_CHANNEL_TYPE: a T1 PRI pair
conf() {
	cat <<CONF
loadzone=us
defaultzone=us
dynamic=loc,1:0,24,0
dynamic=loc,1:1,24,0
bchan=1-23
$1=24
bchan=25-47
$1=48
CONF
}
conf hardhdlc >/tmp/system-hard.conf
conf dchan >/tmp/system.conf
if dahdi_cfg -c /tmp/system-hard.conf >/tmp/cfg-hard.log 2>&1; then
	echo "note: hardhdlc accepted on dynamic spans"
else
	echo "note: hardhdlc refused on dynamic spans:" \
		"$(tr '\n' ' ' </tmp/cfg-hard.log | cut -c1-160)"
fi
if ! dahdi_cfg -c /tmp/system.conf >/tmp/cfg.log 2>&1; then
	cat /tmp/cfg.log
	echo "FAIL: dahdi_cfg"
	exit 1
fi
echo "dahdi: $(find /dev/dahdi/chan -type c | wc -l) channel nodes"
grep -h . /proc/dahdi/* 2>/dev/null | grep -E 'HDLC|Clear' | head -4

t0=$EPOCHREALTIME
"$T/tdm_drive" pri >/tmp/pri.drive 2>&1 &
dp=$!
sleep 1
timeout 70 "$T/pri_peer" 48 25 >/tmp/pri.peer 2>&1
rc_p=$?
wait $dp
rc_d=$?
sed 's/^/  /' /tmp/pri.drive /tmp/pri.peer
echo "=== pri: drive rc=$rc_d peer rc=$rc_p" \
	"($(awk -v a="$t0" -v b="$EPOCHREALTIME" \
		'BEGIN { printf "%.1f", b - a }')s)"
if [ "$rc_d" = 0 ]; then ok "drive pri"; else bad "drive pri"; fi
if [ "$rc_p" = 0 ]; then ok "peer pri"; else bad "peer pri"; fi
if dmesg | grep -E 'Oops:|BUG:|WARNING:|Call Trace'; then
	bad "kernel complained"
fi
echo "dahdi pri failures: $fail"
exit $fail
