#!/bin/bash
# Every RFC 4475 and RFC 5118 torture message, over UDP and TCP, to the
# daemon running under valgrind, inside a network namespace that has only
# loopback (the messages name other hosts: no answer can leave). Each
# answer is checked against tests/integration/sip/torture.py's table; the
# daemon must still answer afterwards and exit valgrind-clean.
if [ -z "${TL_IN_NETNS:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
		echo "FAIL-REASON: needs root and unshare -n (a network namespace)"
		exit 77
	fi
	TL_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
CONF_DIR=$IT_REPO/../shared/conformance
REQ="python3 $IT_REPO/tests/integration/sip/sipreq.py"

ip link set lo up
check "the namespace has loopback only" \
	[ "$(ip -o link show | grep -vc ': lo:')" = 0 ]
command -v valgrind >/dev/null || {
	echo "FAIL-REASON: valgrind not installed (scripts/deps.sh)"
	exit 1
}
# 5080: a port no message of the corpus names in its Via
conf=$(it_conf)
# An explicit route table: none. Every INVITE that gets past the SIP and
# SDP checks then ends with Q.850 cause 3 (no route to destination), which
# RFC 3398 7.2.4.1 maps to 404: torture.py's expectations do not depend on
# the demo's routes or on the simulated PSTN.
awk '/^\[/ { skip = ($0 ~ /^\[route /) } !skip' "$conf" >"$conf.new" &&
	mv "$conf.new" "$conf"
check "the test config has no [route]" bash -c "! grep -q '^\[route ' '$conf'"
cat >>"$conf" <<EOC
[sip]
listen = udp:127.0.0.1:5080, tcp:127.0.0.1:5080, udp:[::1]:5080
; short transaction lifetimes: torture.py sends each message twice (UDP,
; then TCP) and waits for the first one's transaction to end in between
t1 = 50ms
t2 = 500ms
t4 = 500ms
EOC
vlog=$IT_DIR/valgrind.log
it_start "$conf" valgrind --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=all --error-exitcode=99 --track-fds=no \
	--log-file="$vlog" || { not_ok "daemon starts under valgrind"; it_done; }
"$TRUNKLINECTL" help | grep -q "show sip" || {
	not_ok "show sip exists (is sip_module in gateway/core/modules.c?)"
	it_done
}

check "every torture message answered as expected (UDP and TCP)" \
	python3 "$IT_REPO/tests/integration/sip/torture.py" "$CONF_DIR" 5080
# the same corpus once more, all at once, without waiting for answers
python3 - "$CONF_DIR" <<'EOP'
import glob, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for f in sorted(glob.glob(sys.argv[1] + "/rfc*/*.dat")):
    s.sendto(open(f, "rb").read(), ("127.0.0.1", 5080))
EOP
sleep 1
check "OPTIONS answered afterwards (UDP)" \
	bash -c "$REQ udp 127.0.0.1 5080 OPTIONS | grep -q '^SIP/2.0 200'"
check "OPTIONS answered afterwards (TCP)" \
	bash -c "$REQ tcp 127.0.0.1 5080 OPTIONS | grep -q '^SIP/2.0 200'"
check "OPTIONS answered afterwards (UDP, IPv6)" \
	bash -c "$REQ udp ::1 5080 OPTIONS | grep -q '^SIP/2.0 200'"
json=$("$TRUNKLINECTL" -j show sip)
check "show sip counts the drops" grep -q '"stray_responses": *[1-9]' <<<"$json"
check "show sip counts framing errors" \
	grep -q '"framing_errors": *[1-9]' <<<"$json"
echo "$json"

it_stop TERM
check "exit status 0 under valgrind (99 = valgrind errors)" [ "$IT_RC" = 0 ]
check "no valgrind errors" grep -q 'ERROR SUMMARY: 0 errors' "$vlog"
check "all heap blocks freed" grep -q 'All heap blocks were freed' "$vlog"
[ "$IT_FAILS" = 0 ] || cat "$vlog"
it_done
