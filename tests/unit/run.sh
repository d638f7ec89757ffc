#!/bin/bash
# run.sh - the unit tier: the Check runner, built plain and with
# ASan+UBSan (make unit-bins), every suite in each. Ends with
# "N passed, N failed" over both builds.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

logdir=build/test-logs/unit
mkdir -p "$logdir"
passed=0 failed=0
for v in runner runner-san; do
	bin=build/unit/$v
	if [ ! -x "$bin" ]; then
		echo "FAIL $v (not built: make unit-bins)"
		failed=$((failed + 1))
		continue
	fi
	rc=0
	# sanitizer reports fail the run; leaks are also caught per test by
	# the mem_live() fixture
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		timeout 600 "$bin" >"$logdir/$v.log" 2>&1 || rc=$?
	last=$(tail -n 1 "$logdir/$v.log")
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	else
		p=0 f=1
	fi
	# a sanitizer abort after the counts still fails the build's run
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" = 0 ]; then
		echo "PASS $v ($p tests)"
	else
		echo "FAIL $v ($p passed, $f failed, exit $rc)"
		grep -E ':[FE]:|ERROR: |runtime error' "$logdir/$v.log" |
			head -40 | sed 's/^/    /'
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
