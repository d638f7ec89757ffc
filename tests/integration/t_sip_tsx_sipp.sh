#!/bin/bash
# The transaction layer under retransmission, with SIPp as the UAC and the
# receive times of SIPp's message trace as the clock (RFC 3261 17.2):
#  - UDP, INVITE to a busy sim number (486), ACK held back: the 486 comes
#    again on Timer G (T1 = 100 ms, doubling, T2 = 500 ms); a retransmitted
#    INVITE is answered with the same 486 at once and starts no second
#    call; the ACK stops the retransmissions long before Timer H and the
#    transaction ends (Timer I = T4).
#  - TCP, the same INVITE: one 486, no retransmission however long the
#    ACK takes.
#  - UDP, OPTIONS sent twice with one branch: both get the same 200 (the
#    Completed transaction answers, Timer J), the module sees one request.
# SIPp runs with -nr: it neither retransmits nor hides retransmissions, so
# every copy the gateway sends must match a step of the scenario, and an
# extra one fails the call.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# TL_TRUNKLINE: a daemon built with the call module, while modules.c lacks it
TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
SC=$IT_REPO/tests/integration/sipp
CDR="python3 $IT_REPO/tests/integration/call/cdr.py"
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
listen = udp:127.0.0.1:$port, tcp:127.0.0.1:$port
t1 = 100ms
t2 = 500ms
t4 = 500ms
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

# The events of a SIPp message trace, one a line:
# "MS DIR FIRSTLINE... totag=TAG" (MS from the first event, DIR rx/tx).
cat >"$IT_DIR/events.py" <<'EOF'
import re, sys
from datetime import datetime
ev, t0, cur = [], None, None
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\r\n")
    m = re.match(r"^-{20,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)$", line)
    if m:
        t = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        t0 = t if t0 is None else t0
        cur = {"t": round((t - t0) * 1000), "dir": None, "first": None,
               "tag": "-"}
        ev.append(cur)
    elif cur is None:
        continue
    elif cur["dir"] is None and " message " in line:
        cur["dir"] = "rx" if "received" in line else "tx"
    elif cur["dir"] and cur["first"] is None and line.strip():
        cur["first"] = line.strip()
    elif re.match(r"(?i)^(to|t)\s*:", line):
        m = re.search(r";\s*tag=([^;>\s]+)", line)
        cur["tag"] = m.group(1) if m else "-"
for e in ev:
    print(e["t"], e["dir"], e["tag"], e["first"])
EOF
events() { python3 "$IT_DIR/events.py" "$1"; }

sipp_run() { # NAME SCENARIO TRANSPORT [SIPP-ARGS...]
	local name=$1 sc=$2 t=$3
	shift 3
	(cd "$IT_DIR" && timeout 30 sipp -sf "$SC/$sc" -t "$t" -i 127.0.0.1 \
		-p 0 -m 1 -timeout 15s -timeout_error -trace_msg \
		-message_file "$IT_DIR/$name.msg" -trace_err -nostdin "$@" \
		"127.0.0.1:$port" >"$IT_DIR/$name.out" 2>&1)
}
sip_count() { # KEY: requests.KEY of "show sip"
	"$CTL" -j show sip | python3 -c "import json,sys
print(json.load(sys.stdin)['requests']['$1'])"
}
between() { # VALUE LOW HIGH
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}
# near GOT WANT: within what a timer and SIPp's receive loop allow:
# timers never fire early, but SIPp may read the first 486 late, which
# shortens what follows; on a loaded machine timers fire late
near() {
	between "$1" $(($2 - 60)) $(($2 + 200))
}
wait_idle() { # no transaction left within 3 s
	for _ in $(seq 1 30); do
		[ "$(sip_count transactions)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
cdr_rows() { $CDR csv "$IT_DIR/cdr.csv" 2>/dev/null | wc -l; }
wait_cdr() { # N: the CSV has N rows within 3 s
	for _ in $(seq 1 30); do
		[ "$(cdr_rows)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- UDP: Timer G, a retransmitted INVITE, the ACK ------------------------
inv0=$(sip_count invites_taken)
check "UDP: SIPp's INVITE-486-retransmission scenario passes" \
	sipp_run udp uac-invite-busy-rtx.xml u1 -s 101 -nr
events "$IT_DIR/udp.msg" >"$IT_DIR/udp.ev"
mapfile -t r < <(awk '$2 == "rx" && $4 == "SIP/2.0" && $5 == 486 { print $1 }' \
	"$IT_DIR/udp.ev")
mapfile -t inv < <(awk '$2 == "tx" && $4 == "INVITE" { print $1 }' \
	"$IT_DIR/udp.ev")
ack=$(awk '$2 == "tx" && $4 == "ACK" { print $1 }' "$IT_DIR/udp.ev")
check "UDP: five 486s reached SIPp (got ${#r[@]})" [ "${#r[@]}" = 5 ]
ntags=$(awk '$2 == "rx" && $5 == 486 { print $3 }' "$IT_DIR/udp.ev" |
	sort -u | wc -l)
check "UDP: all of them one response (one To tag, got $ntags)" [ "$ntags" = 1 ]
if [ "${#r[@]}" = 5 ] && [ "${#inv[@]}" = 2 ] && [ -n "$ack" ]; then
	# Timer G from the first 486: T1, then 2 T1 and 4 T1 later (under
	# T2); the copy answering the retransmitted INVITE (r3) comes
	# between and moves nothing
	check "UDP: first Timer G at T1 ($((r[1] - r[0])) ms, want 100)" \
		near $((r[1] - r[0])) 100
	check "UDP: second at T1 + 2 T1 ($((r[2] - r[0])) ms, want 300)" \
		near $((r[2] - r[0])) 300
	check "UDP: the retransmitted INVITE is answered at once ($((r[3] - inv[1])) ms)" \
		between $((r[3] - inv[1])) 0 50
	check "UDP: third at T1 + 2 T1 + 4 T1 ($((r[4] - r[0])) ms, want 700)" \
		near $((r[4] - r[0])) 700
	last=$(awk '$2 == "rx" { t = $1 } END { print t }' "$IT_DIR/udp.ev")
	check "UDP: nothing after the ACK (for the 1.5 s SIPp waited)" \
		[ "$last" -le "$ack" ]
else
	not_ok "UDP: the trace has the 486s, both INVITEs and the ACK"
	cat "$IT_DIR/udp.ev"
fi
check "UDP: one INVITE reached the call layer" \
	[ "$(($(sip_count invites_taken) - inv0))" = 1 ]
check "UDP: the transactions end (Timer I)" wait_idle
check "UDP: one CDR row" wait_cdr 1
check "UDP: the call was busy (cause 17)" \
	sh -c "$CDR csv '$IT_DIR/cdr.csv' | grep -q '^101,17,'"

# --- TCP: no retransmissions ---------------------------------------------
inv0=$(sip_count invites_taken)
check "TCP: SIPp's INVITE-486 scenario passes (ACK after 1.2 s)" \
	sipp_run tcp uac-invite-busy-tcp.xml t1 -s 101
events "$IT_DIR/tcp.msg" >"$IT_DIR/tcp.ev"
n=$(awk '$2 == "rx" && $4 == "SIP/2.0" && $5 == 486' "$IT_DIR/tcp.ev" | wc -l)
check "TCP: one 486, not retransmitted (got $n)" [ "$n" = 1 ]
check "TCP: one INVITE reached the call layer" \
	[ "$(($(sip_count invites_taken) - inv0))" = 1 ]
check "TCP: the transactions end" wait_idle
check "TCP: one more CDR row" wait_cdr 2

# --- UDP: a retransmitted OPTIONS meets the Completed transaction --------
req0=$(sip_count received)
ok0=$(sip_count 2xx)
check "UDP: SIPp's OPTIONS-retransmission scenario passes" \
	sipp_run opt uac-options-rtx.xml u1 -nr
events "$IT_DIR/opt.msg" >"$IT_DIR/opt.ev"
n=$(awk '$2 == "rx" && $4 == "SIP/2.0" && $5 == 200' "$IT_DIR/opt.ev" | wc -l)
check "OPTIONS: two 200s, one per copy of the request (got $n)" [ "$n" = 2 ]
ntags=$(awk '$2 == "rx" && $5 == 200 { print $3 }' "$IT_DIR/opt.ev" |
	sort -u | wc -l)
check "OPTIONS: the same 200 twice (one To tag, got $ntags)" [ "$ntags" = 1 ]
check "OPTIONS: the module saw one request" \
	[ "$(($(sip_count received) - req0))" = 1 ]
check "OPTIONS: and answered it once" \
	[ "$(($(sip_count 2xx) - ok0))" = 1 ]

check "no transaction waited for an ACK in vain (Timer H)" \
	sh -c "! grep -q 'no ACK for' '$IT_DIR/daemon.log'"
if [ "$IT_FAILS" != 0 ]; then
	for f in udp tcp opt; do
		echo "---- SIPp $f events"
		cat "$IT_DIR/$f.ev" 2>/dev/null
		tail -20 "$IT_DIR/$f.out" 2>/dev/null
		cat "$IT_DIR"/*errors.log 2>/dev/null | tail -20
	done
fi
it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
