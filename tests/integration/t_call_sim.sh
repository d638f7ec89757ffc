#!/bin/bash
# Calls on the sim PSTN through the daemon's call layer: "sim call" from
# a sim line is routed to the sim group; "show calls" shows it answered,
# "call hangup" ends it with cause 16; a busy number and an unrouted one
# end with 17 and 3; every call leaves one CDR row, in the CSV file and
# in the SQLite database alike.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# TL_TRUNKLINE: a daemon built with the call module, while modules.c lacks it
TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
CDR="python3 $IT_REPO/tests/integration/call/cdr.py"
CTL=$TRUNKLINECTL

conf=$(it_conf)
# this test's own routes, peers, CDR and limits replace the demo's
awk '/^\[/ { skip = ($0 ~ /^\[(route|peer) /) || $0 == "[cdr]" ||
	$0 == "[calls]" } !skip' "$conf" >"$conf.tmp" && mv "$conf.tmp" "$conf"
cat >>"$conf" <<EOC
[route demo]
ingress = span:1
called = _10X
targets = group:1
[cdr]
csv = $IT_DIR/cdr.csv
sqlite = $IT_DIR/cdr.sqlite
[calls]
no_answer = 5s
EOC
it_start "$conf" || {
	not_ok "daemon starts with routes and a CDR (is call_module loaded?)"
	it_done
}
"$CTL" help | grep -q "show calls" || {
	not_ok "show calls exists (is call_module in gateway/core/modules.c?)"
	it_done
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
calls_json() { "$CTL" -j show calls; }
call_field() { # N KEY: field KEY of call N in "show calls"
	calls_json | python3 -c "import json,sys
c=[x for x in json.load(sys.stdin)['calls'] if x['id']==$1]
print(c[0]['$2'] if c else '')"
}
ncalls() { calls_json | python3 -c "import json,sys
print(len(json.load(sys.stdin)['calls']))"; }
answered() { [ "$(call_field 1 state)" = answered ]; }
no_calls() { [ "$(ncalls)" = 0 ]; }
cdr_rows() { [ "$($CDR csv "$IT_DIR/cdr.csv" 2>/dev/null | wc -l)" = "$1" ]; }

check "show routes lists the route" sh -c "'$CTL' show routes | grep -q demo"
check "sim call 1 100" "$CTL" sim call 1 100 2125550100
wait_for "the call to 100 (echo) is answered" 5 answered
for kv in "in span:1/chan:1" "out span:1/chan:2" "caller 2125550100" \
	"callee 100" "route demo" "target group:1"; do
	read -r key val <<<"$kv"
	got=$(call_field 1 "$key")
	if [ "$got" = "$val" ]; then ok "show calls: $key = $val"; else
		not_ok "show calls: $key = '$got', want '$val'"; fi
done
check "show calls in text mode" sh -c "'$CTL' show calls | grep -q answered"
check "both channels are up" sh -c \
	"'$CTL' show channels | grep -cw up | grep -qx 2"
if "$CTL" call hangup 99 >/dev/null 2>&1; then
	not_ok "call hangup of an unknown call fails"
else ok "call hangup of an unknown call fails"; fi
check "call hangup 1" "$CTL" call hangup 1
wait_for "no calls after the hangup" 2 no_calls
check "the calling line was cleared with cause 16" sh -c \
	"'$CTL' -j show channels | python3 -c \"import json,sys
ch=[c for c in json.load(sys.stdin)['channels'] if c['chan']==1][0]
sys.exit(ch['last_cause']!=16 or ch['state']!='idle')\""

check "sim call 2 101 (busy)" "$CTL" sim call 2 101
wait_for "the busy call ends" 3 cdr_rows 2
check "sim call 3 555 (no route)" "$CTL" sim call 3 555 42
wait_for "the unrouted call ends" 3 cdr_rows 3

want="100,16,1,demo,group:1,span:1,group:1,span:1/chan:2
101,17,0,demo,group:1,span:1,group:1,span:1/chan:1
555,3,0,,,span:1,group:1,"
for kind in csv sqlite; do
	f=$IT_DIR/cdr.csv
	[ $kind = sqlite ] && f=$IT_DIR/cdr.sqlite
	got=$($CDR $kind "$f")
	if [ "$got" = "$want" ]; then ok "CDR rows in $kind"; else
		not_ok "CDR rows in $kind: got
$got
want
$want"; fi
done

# reload: a new route shows, and a rotated CDR file is opened afresh
printf '[route extra]\ncalled = 7\ntargets = group:1\n' >>"$conf"
mv "$IT_DIR/cdr.csv" "$IT_DIR/cdr.csv.1"
check "reload" "$CTL" reload
check "show routes has the new route" sh -c \
	"'$CTL' show routes | grep -q extra"
check "sim call 4 7105 (routed by the new route)" "$CTL" sim call 4 7105
wait_for "the new call's row is in a fresh CDR file" 3 cdr_rows 1
got=$($CDR csv "$IT_DIR/cdr.csv")
if [ "$got" = "7105,1,0,extra,group:1,span:1,group:1,span:1/chan:1" ]; then
	ok "CDR after reload: $got"
else not_ok "CDR after reload: got '$got'"; fi

it_stop TERM
check "the daemon exits cleanly" [ "$IT_RC" = 0 ]
it_done
