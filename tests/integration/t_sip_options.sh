#!/bin/bash
# The daemon's SIP module on loopback: SIPp OPTIONS scenarios over UDP and
# TCP (IPv4 and IPv6), crafted requests answered 405/501/400/483/420, an
# INVITE answered by the call layer (404: no route), an OPTIONS over TLS
# with a certificate made for the test, "show sip".
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# TL_TRUNKLINE: a daemon built with the sip module, while modules.c lacks it
TRUNKLINE=${TL_TRUNKLINE:-$TRUNKLINE}
SIPP_DIR=$IT_REPO/../shared/conformance/sipp/external
REQ="python3 $IT_REPO/tests/integration/sip/sipreq.py"

command -v sipp >/dev/null || {
	echo "FAIL-REASON: sipp not installed (scripts/deps.sh installs sip-tester)"
	exit 1
}
port=$((20000 + RANDOM % 20000))
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-subj /CN=trunkline.test -days 1 -keyout "$IT_DIR/key.pem" \
	-out "$IT_DIR/cert.pem" >/dev/null 2>&1
conf=$(it_conf)
# No [route]: an INVITE that reaches the call layer ends with Q.850 cause 3
# (no route to destination) -> 404 (RFC 3398 7.2.4.1), whatever the
# demo's routes say.
awk '/^\[/ { skip = ($0 ~ /^\[route /) } !skip' "$conf" >"$conf.new" &&
	mv "$conf.new" "$conf"
cat >>"$conf" <<EOC
[sip]
listen = udp:127.0.0.1:$port, tcp:127.0.0.1:$port, udp:[::1]:$port
listen = tcp:[::1]:$port, tls:127.0.0.1:$((port + 1))
tls_cert = $IT_DIR/cert.pem
tls_key = $IT_DIR/key.pem
user_agent = Trunkline-test
EOC
it_start "$conf" || { not_ok "daemon starts with [sip]"; it_done; }
"$TRUNKLINECTL" help | grep -q "show sip" || {
	not_ok "show sip exists (is sip_module in gateway/core/modules.c?)"
	it_done
}

sipp_run() { # TRANSPORT(u1|t1) HOST SCENARIO
	local dst=$2:$port
	[[ $2 == *:* ]] && dst="[$2]:$port"
	(cd "$IT_DIR" && timeout 30 sipp -sf "$SIPP_DIR/$3" -t "$1" \
		-i "$2" -p 0 -m 5 -r 50 -timeout 10s -timeout_error \
		-max_recv_loops 100 -trace_err -nostdin "$dst" \
		>"$IT_DIR/sipp.out" 2>&1)
}
for sc in pjproject__uac-options.xml asterisk-testsuite__uac-options-expect-200.xml; do
	for t in u1 t1; do
		check "sipp $sc over $t (IPv4)" sipp_run $t 127.0.0.1 "$sc"
	done
	check "sipp $sc over u1 (IPv6)" sipp_run u1 ::1 "$sc"
done

expect() { # WANT DESCRIPTION ARGS...
	local want=$1 d=$2 got
	shift 2
	got=$($REQ "$@")
	if [[ $got == "$want"* ]]; then ok "$d: $got"; else
		not_ok "$d: got '$got', want '$want'"; fi
}
h=127.0.0.1
expect "SIP/2.0 200 OK" "OPTIONS over UDP" udp $h $port OPTIONS
expect "SIP/2.0 200 OK" "OPTIONS over TCP [::1]" tcp ::1 $port OPTIONS
expect "SIP/2.0 200 OK" "OPTIONS over TLS" tls $h $((port + 1)) OPTIONS
expect "SIP/2.0 405 " "REGISTER" udp $h $port REGISTER
expect "SIP/2.0 405 " "SUBSCRIBE" tcp $h $port SUBSCRIBE
expect "SIP/2.0 405 " "PUBLISH" udp $h $port PUBLISH
expect "SIP/2.0 405 " "MESSAGE" udp $h $port MESSAGE
expect "SIP/2.0 405 " "REFER" udp $h $port REFER
expect "SIP/2.0 501 " "unknown method" udp $h $port FROBNICATE
expect "SIP/2.0 404 " "INVITE, no route (cause 3)" udp $h $port INVITE
expect "SIP/2.0 404 " "INVITE over TCP, no route (cause 3)" tcp $h $port \
	INVITE
# RFC 3261 8.1.1.8: a dialog-creating request carries a Contact; without
# one the dialog has no remote target (12.1.1)
expect "SIP/2.0 400 " "INVITE without Contact" udp $h $port INVITE \
	"Contact: -"
expect "SIP/2.0 483 " "INVITE with Max-Forwards 0" udp $h $port INVITE \
	"Max-Forwards: 0"
expect "SIP/2.0 200 OK" "OPTIONS with Max-Forwards 0" udp $h $port \
	OPTIONS "Max-Forwards: 0"
expect "SIP/2.0 400 Bad CSeq" "bad CSeq" udp $h $port OPTIONS "CSeq: x OPTIONS"
expect "SIP/2.0 400 Bad CSeq" "bad CSeq over TCP" tcp $h $port OPTIONS \
	"CSeq: x OPTIONS"
expect "SIP/2.0 420 " "Require: foo" udp $h $port OPTIONS "Require: foo"
expect "none" "ACK is not answered" udp $h $port ACK
v=$($REQ udp $h $port OPTIONS -v)
check "200 carries Allow, Accept, Supported, Server" \
	grep -q "Allow: INVITE" <<<"$v"
check "Accept: application/sdp" grep -q "Accept: application/sdp" <<<"$v"
check "Supported: 100rel" grep -q "Supported: 100rel" <<<"$v"
check "Server: Trunkline-test" grep -q "Server: Trunkline-test" <<<"$v"
check "rport filled in" grep -q ";rport=[0-9]" <<<"$v"

json=$("$TRUNKLINECTL" -j show sip)
check "show sip lists 5 listeners" [ "$(grep -o '"transport": *"[A-Z]*"' <<<"$json" | wc -l)" = 5 ]
check "show sip counts parse errors" grep -q '"parse_errors": *[1-9]' <<<"$json"
check "show sip counts 2xx" grep -q '"2xx": *[1-9]' <<<"$json"
check "show sip text" "$TRUNKLINECTL" show sip
it_stop TERM
check "clean exit" [ "$IT_RC" = 0 ]
it_done
