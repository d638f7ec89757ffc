#!/bin/bash
# tier.sh - the shared loop of the test tiers (sourced by tests/*/run.sh).
#
#   tier_run TIER TIMEOUT_S TEST_FILE...
#
# Runs each test script under bash with a time limit, its output in
# build/test-logs/TIER/<name>.log, and prints
#   PASS <name> (<secs>s) | FAIL <name> (<reason>) | SKIP <name> (<reason>)
# then, last, "N passed, N failed". A test exits 0 (pass), 77 (skip) or
# anything else (fail); a line "FAIL-REASON: ..." in its output names the
# reason. Returns 0 iff nothing failed.

tier_run() {
	local tier=$1 timeout_s=$2
	shift 2
	local repo logdir
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	logdir="$repo/build/test-logs/$tier"
	mkdir -p "$logdir"

	TIER_PASSED=0 TIER_FAILED=0 TIER_SKIPPED=0 TIER_CURRENT=
	trap _tier_interrupted INT TERM
	local t name log start rc secs reason
	for t in "$@"; do
		name=$(basename "$t" .sh)
		log="$logdir/$name.log"
		if [ ! -f "$t" ]; then
			echo "FAIL $name (no such test)"
			TIER_FAILED=$((TIER_FAILED + 1))
			continue
		fi
		start=$SECONDS
		rc=0
		# timeout gives the test a process group of its own and
		# signals all of it when time is up: the test's trap cleans up
		timeout -k 10 "$timeout_s" bash "$t" >"$log" 2>&1 </dev/null &
		TIER_CURRENT=$!
		wait "$TIER_CURRENT" || rc=$?
		TIER_CURRENT=
		secs=$((SECONDS - start))
		reason=$(sed -n 's/^FAIL-REASON: //p' "$log" | tail -1)
		if [ "$rc" = 0 ]; then
			echo "PASS $name (${secs}s)"
			TIER_PASSED=$((TIER_PASSED + 1))
			continue
		fi
		if [ "$rc" = 77 ]; then
			echo "SKIP $name (${reason:-not supported here})"
			TIER_SKIPPED=$((TIER_SKIPPED + 1))
			continue
		fi
		[ "$rc" = 124 ] && reason="timed out after ${timeout_s}s"
		[ "$rc" = 137 ] && reason="killed after ${timeout_s}s"
		echo "FAIL $name (${reason:-exit status $rc})"
		TIER_FAILED=$((TIER_FAILED + 1))
		echo "---- last 30 lines of ${log#"$repo"/}"
		tail -n 30 "$log" | sed 's/^/    /'
		echo "----"
	done
	trap - INT TERM
	[ "$TIER_SKIPPED" = 0 ] || echo "$TIER_SKIPPED skipped"
	echo "$TIER_PASSED passed, $TIER_FAILED failed"
	[ "$TIER_FAILED" = 0 ]
}

_tier_interrupted() {
	if [ -n "$TIER_CURRENT" ]; then
		kill -TERM "$TIER_CURRENT" 2>/dev/null
		wait "$TIER_CURRENT"
	fi
	echo "interrupted"
	echo "$TIER_PASSED passed, $((TIER_FAILED + 1)) failed"
	exit 1
}
