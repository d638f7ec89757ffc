#!/bin/bash
# SIP to PSTN through the whole daemon: SIPp's built-in UAC scenario
# (INVITE with SDP, 200, ACK, BYE) calls 100 on the sim PSTN, which
# answers and echoes; the call shows in "show calls" while it lasts and
# leaves one CDR row (CSV and SQLite) with the SIP side as ingress, the
# sim channel as egress, cause 16 and the codec.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# TL_TRUNKLINE: a daemon built with the call module, while modules.c lacks it
TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
CDR="python3 $IT_REPO/tests/integration/call/cdr.py"
UAC=$IT_REPO/../shared/conformance/sipp/builtin/uac.xml
CTL=$TRUNKLINECTL

command -v sipp >/dev/null || {
	echo "FAIL-REASON: sipp not installed (scripts/deps.sh installs sip-tester)"
	exit 1
}
port=$((20000 + RANDOM % 20000))
conf=$(it_conf)
# this test's own routes, peers, CDR and limits replace the demo's
awk '/^\[/ { skip = ($0 ~ /^\[(route|peer) /) || $0 == "[cdr]" ||
	$0 == "[calls]" } !skip' "$conf" >"$conf.tmp" && mv "$conf.tmp" "$conf"
cat >>"$conf" <<EOC
[sip]
listen = udp:127.0.0.1:$port
[peer sipp]
address = 127.0.0.1
[route from_sip]
ingress = peer:sipp
called = _10X
targets = group:1
[cdr]
csv = $IT_DIR/cdr.csv
sqlite = $IT_DIR/cdr.sqlite
[calls]
no_answer = 10s
EOC
it_start "$conf" || {
	not_ok "daemon starts with SIP, routes and a CDR (is call_module loaded?)"
	it_done
}
"$CTL" help | grep -q "show calls" || {
	not_ok "show calls exists (is call_module in gateway/core/modules.c?)"
	it_done
}

# one call to 100, held 3 s (-d) so "show calls" can see it
(cd "$IT_DIR" && timeout 30 sipp -sf "$UAC" -s 100 -t u1 -i 127.0.0.1 \
	-p 0 -m 1 -d 3000 -timeout 20s -timeout_error -trace_err -nostdin \
	"127.0.0.1:$port" >"$IT_DIR/sipp.out" 2>&1) &
sipp_pid=$!
seen=
for _ in $(seq 1 60); do
	if "$CTL" show calls 2>/dev/null | grep -q answered; then
		seen=1
		break
	fi
	sleep 0.1
done
if [ -n "$seen" ]; then ok "show calls has the answered call"; else
	not_ok "show calls has the answered call"; fi
if wait "$sipp_pid"; then ok "sipp uac.xml calling 100 completes"; else
	not_ok "sipp uac.xml calling 100 completes"
	cat "$IT_DIR/sipp.out" "$IT_DIR"/*errors.log 2>/dev/null | tail -40
fi

want="100,16,1,from_sip,group:1,peer:sipp,span:1/chan:1"
for kind in csv sqlite; do
	f=$IT_DIR/cdr.csv
	[ $kind = sqlite ] && f=$IT_DIR/cdr.sqlite
	got=
	for _ in $(seq 1 20); do
		got=$($CDR $kind "$f" 2>/dev/null)
		[ -n "$got" ] && break
		sleep 0.1
	done
	if [ "$got" = "$want" ]; then ok "CDR row in $kind"; else
		not_ok "CDR row in $kind: got '$got', want '$want'"; fi
done
codec=$(python3 -c "import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute(
    'SELECT codec FROM cdr').fetchone()[0])" "$IT_DIR/cdr.sqlite" 2>/dev/null)
if [ "$codec" = PCMU ]; then ok "CDR codec PCMU"; else
	not_ok "CDR codec: got '$codec', want PCMU"; fi

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
