#!/bin/bash
# lib_call.sh - what the call tests share (source after ../lib.sh): a
# daemon config with SIP on a port of the test's own, the demo's sim PSTN,
# a peer "sipp" (any source on 127.0.0.1) whose calls to _10X go to the
# sim group, and a peer "uas" on LC_UAS_PORT that sim calls are routed
# to; SIPp runners for both sides; pollers for calls, channels and CDRs.

# shellcheck disable=SC2034 # LC_SIPP, LC_CALLDIR, CTL: used by the tests
LC_SIPP=$IT_REPO/../shared/conformance/sipp
LC_CALLDIR=$IT_REPO/tests/integration/call
LC_CDR="python3 $LC_CALLDIR/cdr.py"
CTL=$TRUNKLINECTL
LC_PORT=$((20000 + RANDOM % 10000))
LC_UAS_PORT=$((LC_PORT + 10000))
LC_PCAP=
for d in /usr/share/sip-tester /usr/share/sipp/pcap /usr/share/doc/sip-tester; do
	[ -f "$d/g711a.pcap" ] && LC_PCAP=$d && break
done

# lc_conf: write the test config and print its path. Extra "key = value"
# lines: for the "uas" peer in LC_PEER_EXTRA, for [sip] in LC_SIP_EXTRA;
# the no-answer limit in LC_NO_ANSWER (default 10s).
lc_conf() {
	local conf
	conf=$(it_conf)
	awk '/^\[/ { skip = ($0 ~ /^\[(route|peer) /) || $0 == "[cdr]" ||
		$0 == "[calls]" || $0 == "[sim]" } !skip' "$conf" >"$conf.tmp" &&
		mv "$conf.tmp" "$conf"
	cat >>"$conf" <<EOC
[sim]
number = 100 echo
number = 101 busy
number = 102 noanswer
number = 103 early 2000
number = 104 tone
number = 105 unallocated
number = 106 congestion
default = unallocated
[sip]
listen = udp:${LC_LISTEN:-127.0.0.1}:$LC_PORT
${LC_SIP_EXTRA:-}
[peer sipp]
address = 127.0.0.1
[peer uas]
address = 127.0.0.1:$LC_UAS_PORT
identify = no
${LC_PEER_EXTRA:-}
[route from_sip]
ingress = peer:sipp
called = _10X
targets = group:1
[route sip_named]
; SIPp scenarios that call a name ("alice") reach the early-media number
ingress = peer:sipp
called_prepend = 103
targets = group:1
[route to_sip]
ingress = span:1
targets = peer:uas
[cdr]
csv = $IT_DIR/cdr.csv
sqlite = $IT_DIR/cdr.sqlite
[calls]
no_answer = ${LC_NO_ANSWER:-10s}
EOC
	echo "$conf"
}

# lc_start: config and daemon (TL_TRUNKLINE: another daemon binary);
# ends the test if the daemon does not come up.
lc_start() {
	TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
	command -v sipp >/dev/null || {
		echo "FAIL-REASON: sipp not installed (scripts/deps.sh: sip-tester)"
		exit 1
	}
	LC_CONF=$(lc_conf)
	it_start "$LC_CONF" || {
		not_ok "daemon starts with SIP, routes and a CDR"
		it_done
	}
}

# lc_sipp NAME SCENARIO [ARGS...]: run SIPp once as UAC towards the
# daemon (ARGS: -s NUMBER etc.), from a folder of its own with pcap/ in
# reach; output and traces in $IT_DIR/NAME/. Returns SIPp's status.
lc_sipp() {
	local name=$1 sf=$2
	shift 2
	lc_sipp_dir "$name"
	(cd "$IT_DIR/$name/x" && timeout 60 sipp -sf "$sf" -i 127.0.0.1 \
		-p 0 -m 1 -timeout 30s -timeout_error -trace_err -trace_msg \
		-nostdin -mi 127.0.0.1 "$@" "127.0.0.1:$LC_PORT" \
		>"$IT_DIR/$name/out" 2>&1)
}

# lc_sipp_uas NAME SCENARIO [ARGS...]: start SIPp as UAS on LC_UAS_PORT in
# the background (its pid in LC_UAS_PID) and wait until it listens.
lc_sipp_uas() {
	local name=$1 sf=$2
	shift 2
	lc_sipp_dir "$name"
	(cd "$IT_DIR/$name/x" && exec timeout 60 sipp -sf "$sf" -i 127.0.0.1 \
		-p "$LC_UAS_PORT" -m 1 -timeout 30s -timeout_error -trace_err \
		-trace_msg -nostdin -mi 127.0.0.1 "$@" \
		>"$IT_DIR/$name/out" 2>&1) &
	LC_UAS_PID=$!
	for _ in $(seq 1 50); do
		ss -lunH "sport = :$LC_UAS_PORT" 2>/dev/null | grep -q . &&
			return 0
		sleep 0.1
	done
	return 0
}

lc_sipp_dir() {
	mkdir -p "$IT_DIR/$1/x"
	# the hold scenarios read ../pcap/g711a.pcap, uac_pcap pcap/...
	if [ -n "$LC_PCAP" ]; then
		ln -sfn "$LC_PCAP" "$IT_DIR/$1/pcap"
		ln -sfn "$LC_PCAP" "$IT_DIR/$1/x/pcap"
	fi
}

# lc_msgs NAME...: every message SIPp exchanged in runs NAME...
lc_msgs() {
	local n
	for n in "$@"; do
		cat "$IT_DIR/$n"/x/*_messages.log 2>/dev/null
	done
}

# lc_show_fail NAME: what SIPp said, for a failing check
lc_show_fail() {
	tail -20 "$IT_DIR/$1/out"
	cat "$IT_DIR/$1"/x/*_errors.log 2>/dev/null | tail -20
}

# lc_check_sipp DESCRIPTION NAME COMMAND...: run a SIPp command, ok if
# it exits 0 (every message as the scenario wants it).
lc_check_sipp() {
	local d=$1 name=$2
	shift 2
	if "$@"; then ok "$d"; else
		not_ok "$d"
		lc_show_fail "$name"
	fi
}

# lc_wait_uas DESCRIPTION: wait for the background SIPp UAS.
lc_wait_uas() {
	if wait "$LC_UAS_PID"; then ok "$1"; else
		not_ok "$1"
		lc_show_fail "$2"
	fi
}

# lc_has NAME REGEX DESCRIPTION: SIPp's message log of run NAME matches
lc_has() {
	if lc_msgs "$1" | grep -Eq "$2"; then ok "$3"; else not_ok "$3"; fi
}

# wait_for DESCRIPTION SECONDS COMMAND...: poll until the command succeeds
wait_for() {
	local d=$1 n=$(($2 * 10))
	shift 2
	for _ in $(seq 1 "$n"); do
		if "$@" >/dev/null 2>&1; then ok "$d"; return 0; fi
		sleep 0.1
	done
	not_ok "$d"
	return 1
}

lc_ncalls() {
	"$CTL" -j show calls | python3 -c "import json,sys
print(len(json.load(sys.stdin)['calls']))"
}
lc_no_calls() { [ "$(lc_ncalls)" = 0 ]; }
lc_answered() { "$CTL" show calls 2>/dev/null | grep -q answered; }

# lc_chan N KEY: field KEY of sim channel N in "show channels"
lc_chan() {
	"$CTL" -j show channels | python3 -c "import json,sys
c=[x for x in json.load(sys.stdin)['channels'] if x['chan']==$1]
print(c[0]['$2'] if c else '')"
}
# lc_chan_idle N CAUSE: channel N is idle again, its last cause CAUSE
lc_chan_idle() {
	[ "$(lc_chan "$1" state)" = idle ] &&
		[ "$(lc_chan "$1" last_cause)" = "$2" ]
}

# lc_cdr_rows N: the CSV CDR has N rows
lc_cdr_rows() {
	[ "$($LC_CDR csv "$IT_DIR/cdr.csv" 2>/dev/null | wc -l)" = "$1" ]
}
# lc_cdr_last: the newest CDR row (callee,cause,answered,route,target,
# ingress,egress), from the SQLite database
lc_cdr_last() {
	$LC_CDR sqlite "$IT_DIR/cdr.sqlite" 2>/dev/null | tail -1
}
# lc_cdr_status N: the sip_status column of CDR row N (SQLite)
lc_cdr_status() {
	python3 -c "import sqlite3,sys
r=sqlite3.connect(sys.argv[1]).execute(
    'SELECT sip_status FROM cdr ORDER BY rowid').fetchall()
print(r[int(sys.argv[2]) - 1][0] if len(r) >= int(sys.argv[2]) else '')" \
		"$IT_DIR/cdr.sqlite" "$1" 2>/dev/null
}
# lc_check_cdr N WANT: wait for row N, check it is WANT (CSV and SQLite)
lc_check_cdr() {
	local n=$1 want=$2 got kind
	for _ in $(seq 1 50); do
		lc_cdr_rows "$n" && break
		sleep 0.1
	done
	for kind in csv sqlite; do
		local f=$IT_DIR/cdr.csv
		[ $kind = sqlite ] && f=$IT_DIR/cdr.sqlite
		got=$($LC_CDR $kind "$f" 2>/dev/null | sed -n "${n}p")
		if [ "$got" = "$want" ]; then ok "CDR row $n in $kind: $want"
		else not_ok "CDR row $n in $kind: got '$got', want '$want'"; fi
	done
}
