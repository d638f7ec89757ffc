#!/bin/bash
# lib.sh - helpers for integration tests: each test starts the real
# daemon (build/trunkline) on a config of its own, drives it from outside
# (trunklinectl, signals, SIP peers) and checks what it sees.
set -uo pipefail

IT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TRUNKLINE=$IT_REPO/build/trunkline
TRUNKLINECTL=$IT_REPO/build/trunklinectl
IT_DIR=$(mktemp -d /tmp/tl-it.XXXXXX)
IT_SOCK=$IT_DIR/ctl.sock
IT_PID=
IT_FAILS=0
export TRUNKLINE_CTL=$IT_SOCK

it_cleanup() {
	if [ -n "$IT_PID" ] && kill -0 "$IT_PID" 2>/dev/null; then
		kill -KILL "$IT_PID" 2>/dev/null
		wait "$IT_PID" 2>/dev/null
	fi
	rm -rf "$IT_DIR"
}
trap it_cleanup EXIT

# it_conf [SRC]: copy SRC (default config/demo.conf) to $IT_DIR/test.conf
# with the control socket moved into the test's folder and without its
# [sip] section (a test that needs SIP appends its own, on its own ports,
# so it never collides with a gateway running on 5060).
it_conf() {
	local src=${1:-$IT_REPO/config/demo.conf}
	awk '/^\[/ { skip = ($0 == "[sip]") } !skip' "$src" |
		sed "s|^socket *=.*|socket = $IT_SOCK|" >"$IT_DIR/test.conf"
	grep -q "^socket = $IT_SOCK" "$IT_DIR/test.conf" ||
		printf '[control]\nsocket = %s\n' "$IT_SOCK" >>"$IT_DIR/test.conf"
	echo "$IT_DIR/test.conf"
}

# it_start CONF [WRAPPER...]: start the daemon in the foreground (stderr
# to $IT_DIR/daemon.log), wait until its control socket answers.
it_start() {
	local conf=$1
	shift
	"$@" "$TRUNKLINE" -f -c "$conf" >"$IT_DIR/daemon.log" 2>&1 &
	IT_PID=$!

	for _ in $(seq 1 300); do
		if "$TRUNKLINECTL" -T 2 status >/dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 "$IT_PID" 2>/dev/null; then
			echo "daemon exited during start:"
			cat "$IT_DIR/daemon.log"
			return 1
		fi
		sleep 0.1
	done
	echo "daemon did not answer within 30 s"
	return 1
}

# it_stop [SIGNAL]: signal the daemon and wait for it; its exit status is
# left in IT_RC (not printed: a $(...) subshell could not wait for it).
it_stop() {
	local sig=${1:-TERM}
	IT_RC=0
	kill -"$sig" "$IT_PID"
	# shellcheck disable=SC2034 # read by the tests
	wait "$IT_PID" || IT_RC=$?
	IT_PID=
}

ok() {
	echo "ok - $*"
}

not_ok() {
	echo "not ok - $*"
	echo "FAIL-REASON: $*"
	IT_FAILS=$((IT_FAILS + 1))
}

# check DESCRIPTION COMMAND...: ok if the command succeeds.
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# it_done: exit with the test's verdict (after showing the daemon's log on
# failure).
it_done() {
	if [ "$IT_FAILS" != 0 ]; then
		echo "---- daemon log"
		cat "$IT_DIR/daemon.log" 2>/dev/null
		exit 1
	fi
	exit 0
}
