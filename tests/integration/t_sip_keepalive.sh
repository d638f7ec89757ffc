#!/bin/bash
# OPTIONS keepalive toward a [peer] (gateway/sip/peer_ping): SIPp as the
# peer with asterisk-testsuite's uas-options-200 scenario answers every
# OPTIONS 200, so "show peers" says up; once SIPp is killed the pings time
# out (Timer F = 64 * T1, T1 = 50 ms here) and after keepalive_fails = 2
# failures the peer is down; a new SIPp brings it back up; a reload that
# turns keepalive off stops the pings ("off").
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# TL_TRUNKLINE: a daemon built with the sip module, while modules.c lacks it
TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
UAS=$IT_REPO/../shared/conformance/sipp/external/asterisk-testsuite__uas-options-200.xml
CTL=$TRUNKLINECTL

command -v sipp >/dev/null || {
	echo "FAIL-REASON: sipp not installed (scripts/deps.sh installs sip-tester)"
	exit 1
}
port=$((20000 + RANDOM % 10000))
uas_port=$((port + 10000))
conf=$(it_conf)
write_conf() { # KEEPALIVE
	awk '/^\[/ { skip = ($0 == "[peer uas]") } !skip' "$conf" \
		>"$conf.tmp" && mv "$conf.tmp" "$conf"
	cat >>"$conf" <<EOC
[peer uas]
address = 127.0.0.1:$uas_port
identify = no
keepalive = $1
keepalive_fails = 2
EOC
}
cat >>"$conf" <<EOC
[sip]
listen = udp:127.0.0.1:$port
t1 = 50ms
t2 = 500ms
EOC
write_conf 1s

sipp_pid=
sipp_start() { # N: SIPp answering on uas_port, messages in sipp.N.msg
	(cd "$IT_DIR" && exec timeout 120 sipp -sf "$UAS" -i 127.0.0.1 \
		-p "$uas_port" -trace_msg -message_file "$IT_DIR/sipp.$1.msg" \
		-nostdin >"$IT_DIR/sipp.$1.out" 2>&1) &
	sipp_pid=$!
	for _ in $(seq 1 50); do
		[ -e "$IT_DIR/sipp.$1.msg" ] && break
		sleep 0.1
	done
}
sipp_kill() {
	kill "$sipp_pid" 2>/dev/null
	wait "$sipp_pid" 2>/dev/null
	sipp_pid=
}
cleanup() {
	[ -n "$sipp_pid" ] && sipp_kill
	it_cleanup
}
trap cleanup EXIT

# snap: "show peers" of peer "uas" into $IT_DIR/peer.json; field KEY
# reads KEY of that snapshot, so several checks see one moment
snap() {
	"$CTL" -j show peers | python3 -c "import json,sys
p=[x for x in json.load(sys.stdin)['peers'] if x['name']=='uas']
json.dump(p[0] if p else {}, sys.stdout)" >"$IT_DIR/peer.json"
}
field() {
	python3 -c "import json,sys
v=json.load(open(sys.argv[1])).get('$1', '')
print(str(v).lower() if isinstance(v, bool) else v)" "$IT_DIR/peer.json"
}
peer() { snap && field "$1"; }
# wait_until KEY VALUE SECONDS: poll until uas has KEY = VALUE (the
# snapshot is then the one that had it)
wait_until() {
	local n=$(($3 * 10))
	for _ in $(seq 1 "$n"); do
		snap 2>/dev/null && [ "$(field "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_state() { wait_until state "$1" "$2"; }
ms() { date +%s%3N; }
between() { # VALUE LOW HIGH
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

sipp_start 1
it_start "$conf" || { not_ok "daemon starts with a pinged peer"; it_done; }
"$CTL" help | grep -q "show peers" || {
	not_ok "show peers exists (is sip_module in gateway/core/modules.c?)"
	it_done
}
check "the peer is up once SIPp answers" wait_state up 5
for kv in "address 127.0.0.1:$uas_port" "transport UDP" "identify false" \
	"keepalive 1000" "last_status 200" "failures 0"; do
	read -r key val <<<"$kv"
	got=$(field "$key")
	if [ "$got" = "$val" ]; then ok "show peers: $key = $val"; else
		not_ok "show peers: $key = '$got', want '$val'"; fi
done
rtt=$(field rtt_ms)
check "show peers: rtt_ms of a loopback answer ($rtt)" between "$rtt" 0 499
since=$(field since_s)
check "show peers: since_s counts ($since)" between "$since" 0 30
check "the demo's softphone peer is listed, not pinged" sh -c \
	"'$CTL' -j show peers | python3 -c \"import json,sys
p=[x for x in json.load(sys.stdin)['peers'] if x['name']=='softphone']
sys.exit(not (p and p[0]['state']=='off' and p[0]['keepalive']==0))\""
check "show peers in text mode" sh -c "'$CTL' show peers | grep uas | grep -qw up"
# pings SIPp got: distinct Call-IDs (a late answer makes the transaction
# retransmit the OPTIONS over UDP, with the same Call-ID)
nopts() { grep -i '^Call-ID:' "$1" | sort -u | wc -l; }
n1=$(nopts "$IT_DIR/sipp.1.msg")
sleep 3
cp "$IT_DIR/sipp.1.msg" "$IT_DIR/snap.msg"
nopt=$(nopts "$IT_DIR/snap.msg")
check "one OPTIONS a second reached SIPp ($((nopt - n1)) in 3 s)" \
	between $((nopt - n1)) 2 4
check "they are OPTIONS for the peer's URI" \
	grep -q "^OPTIONS sip:127.0.0.1:$uas_port SIP/2.0" "$IT_DIR/sipp.1.msg"
check "OPTIONS carry Max-Forwards: 70" \
	grep -q '^Max-Forwards: 70' "$IT_DIR/sipp.1.msg"
check "OPTIONS carry our Contact" \
	grep -q "^Contact: <sip:keepalive@127.0.0.1:$port>" "$IT_DIR/sipp.1.msg"
nbr=$(grep -o 'branch=[^;[:space:]]*' "$IT_DIR/snap.msg" | sort -u | wc -l)
check "a transaction and a Call-ID per ping ($nbr branches, $nopt Call-IDs)" \
	[ "$nbr" = "$nopt" ]

# SIPp gone: the next ping (within a second) times out 3.2 s later: one
# failure, still up; the one after it too: down 6.4 to 7.4 s after the
# kill
t0=$(ms)
sipp_kill
check "one timeout is counted" wait_until failures 1 8
check "but one is not enough to be down" [ "$(field state)" = up ]
check "the peer goes down after keepalive_fails timeouts" wait_state down 8
dt=$(($(ms) - t0))
check "down after two Timer F periods (${dt} ms)" between "$dt" 6400 12000
check "show peers: last_status 408" [ "$(field last_status)" = 408 ]
check "show peers: failures 2" [ "$(field failures)" = 2 ]
check "show peers: since_s restarted at the change" \
	between "$(field since_s)" 0 1
check "the change is logged" grep -q 'peer uas: down (no answer, 2 failures' \
	"$IT_DIR/daemon.log"

sipp_start 2
check "a new SIPp brings the peer back up" wait_state up 6
check "show peers: last_status 200 again" [ "$(peer last_status)" = 200 ]
check "that change is logged" grep -q 'peer uas: up (200 OK' \
	"$IT_DIR/daemon.log"

write_conf 0
check "reload with keepalive = 0" sh -c "'$CTL' reload >/dev/null"
check "the peer is no longer pinged" [ "$(peer state)" = off ]
# a ping in flight at the reload still ends its transaction
sleep 0.5
n1=$(grep -c '^OPTIONS ' "$IT_DIR/sipp.2.msg")
sleep 1.5
n2=$(grep -c '^OPTIONS ' "$IT_DIR/sipp.2.msg")
check "no OPTIONS after the reload ($n1 -> $n2)" [ "$n1" = "$n2" ]
sipp_kill

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
