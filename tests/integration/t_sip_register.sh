#!/bin/bash
# The registration client (gateway/sip/reg) against SIPp as the registrar,
# with pjproject's uas-register-challenge scenario: its 401 carries
# 'WWW-Authenticate: digest realm="test",stale=true' and no nonce.
#
# The behaviour we hold correct: a challenge without a nonce cannot be
# answered (RFC 7616 3.3 makes nonce mandatory; stale=true only says a
# previous nonce expired), so the attempt fails with 401 at once: no
# REGISTER with made-up credentials, no tight loop. The retry comes after
# the back-off as a fresh REGISTER (same Call-ID, next CSeq, still no
# Authorization), which the scenario answers 200 with Expires: 30.
#
# Run through build/tools/reg_drive (a loop, UDP transport, transaction
# layer and the client) until the SIP module starts registrations.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
SIPP_DIR=$IT_REPO/../shared/conformance/sipp/external
DRIVE=$IT_REPO/build/tools/reg_drive

command -v sipp >/dev/null || {
	echo "FAIL-REASON: sipp not installed (scripts/deps.sh installs sip-tester)"
	exit 1
}
[ -x "$DRIVE" ] || {
	echo "FAIL-REASON: $DRIVE missing (make tools)"
	exit 1
}
absent() { # PATTERN FILE: true if no line matches
	! grep -qi "$1" "$2"
}
port=$((20000 + RANDOM % 20000))
(cd "$IT_DIR" && exec timeout 30 sipp \
	-sf "$SIPP_DIR/pjproject__uas-register-challenge.xml" \
	-i 127.0.0.1 -p "$port" -m 1 -timeout 20s -timeout_error \
	-trace_msg -message_file "$IT_DIR/sipp.msg" -trace_err \
	-nostdin >"$IT_DIR/sipp.out" 2>&1) &
sipp_pid=$!
# SIPp is listening once its message log exists (it opens it at start)
for _ in $(seq 1 50); do
	[ -e "$IT_DIR/sipp.msg" ] && break
	sleep 0.1
done

timeout 20 "$DRIVE" "127.0.0.1:$port" sip:alice@test secret 60 3 \
	>"$IT_DIR/drive.out" 2>"$IT_DIR/drive.err"
drive_rc=$?
sipp_rc=0
wait "$sipp_pid" || sipp_rc=$?
out=$(cat "$IT_DIR/drive.out")
echo "$out"

check "reg_drive ran to the end" [ "$drive_rc" = 0 ]
check "the 401 without a nonce fails the attempt" \
	grep -q 'state=failed status=401 reason="malformed challenge"' <<<"$out"
first_fail=$(grep -n 'state=failed' <<<"$out" | head -1 | cut -d: -f1)
check "the failure is the first outcome" [ "$first_fail" = 2 ]
retry_t=$(grep 'state=registering' <<<"$out" | sed -n 2p |
	sed 's/.* t=\([0-9]*\) .*/\1/')
check "the retry waits for the back-off (500 ms): t=$retry_t" \
	[ "${retry_t:-0}" -ge 500 ]
check "then registered with the 200's Expires: 30" \
	grep -q 'state=registered status=200 reason="OK" granted=30' <<<"$out"
check "SIPp saw its scenario through" [ "$sipp_rc" = 0 ]
check "SIPp received two REGISTERs" \
	[ "$(grep -c '^REGISTER sip:test SIP/2.0' "$IT_DIR/sipp.msg")" -ge 2 ]
check "no credentials were made up for the nonce-less challenge" \
	absent '^Authorization:' "$IT_DIR/sipp.msg"
check "the retry is the next CSeq" \
	grep -q '^CSeq: 2 REGISTER' "$IT_DIR/sipp.msg"
ncid=$(grep -i '^Call-ID:' "$IT_DIR/sipp.msg" | sort -u | wc -l)
check "one Call-ID for the binding (got $ncid)" [ "$ncid" = 1 ]
check "stop sends the removal" grep -q 'state=unregistering' <<<"$out"
check "reg_drive finished" grep -q '^DONE' <<<"$out"
if [ "$IT_FAILS" != 0 ]; then
	echo "---- reg_drive log"
	cat "$IT_DIR/drive.err"
	echo "---- SIPp messages"
	cat "$IT_DIR/sipp.msg"
fi
it_done
