#!/bin/bash
# check.sh - run test tiers and sum them up.
#
#   tests/check.sh TIER...      (unit integration netns vm)
#
# Each tier is tests/TIER/run.sh; it prints its own results and, last,
# "N passed, N failed"; exit 77 means this machine cannot run the tier
# (said loudly, counted as skipped, not as passed). The last line of this
# script is the total "N passed, N failed"; its exit status is non-zero if
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

total_p=0 total_f=0
summary=()
for tier in "$@"; do
	run=tests/$tier/run.sh
	echo "=== tier $tier"
	start=$SECONDS
	out=$(mktemp)
	rc=0
	if [ -f "$run" ]; then
		bash "$run" 2>&1 | tee "$out"
		rc=${PIPESTATUS[0]}
	else
		echo "no $run" | tee "$out"
		rc=1
	fi
	secs=$((SECONDS - start))
	if [ "$rc" = 77 ]; then
		echo "!!! tier $tier SKIPPED: $(grep -m1 '^SKIP .* tier' "$out")"
		summary+=("$(printf '%-12s SKIPPED (%ss) %s' "$tier" "$secs" \
			"$(grep -m1 '^SKIP .* tier' "$out" | sed 's/^SKIP [a-z]* tier: //')")")
		rm -f "$out"
		continue
	fi
	last=$(tail -n 1 "$out")
	rm -f "$out"
	if [[ $last =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	else
		p=0 f=1
	fi
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	summary+=("$(printf '%-12s %4d passed, %d failed (%ss)' "$tier" "$p" "$f" "$secs")")
done
echo "=== summary"
for s in "${summary[@]}"; do
	echo "$s"
done
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
