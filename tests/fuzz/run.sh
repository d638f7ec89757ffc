#!/bin/bash
# run.sh SECONDS [NAME...] - run build/fuzz/fuzz_* (libFuzzer, ASan+UBSan)
# for SECONDS each (all of them, or the NAMEs given), on a corpus in build/fuzz/corpus/<name> seeded from
# tests/fuzz/seeds/<name>. A crash leaves its input in build/fuzz/ (add it
# to tests/fuzz/regress/<name>/ once fixed: the unit tier replays them).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-60}
shift || true
fails=0
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=${f#build/fuzz/fuzz_}
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	corpus=build/fuzz/corpus/$name
	mkdir -p "$corpus"
	seeds=()
	for d in tests/fuzz/seeds/$name tests/fuzz/regress/$name; do
		[ -d "$d" ] && seeds+=("$d")
	done
	# tests/fuzz/seeds/<name>.dirs: more seed folders, one per line,
	# relative to the repo (e.g. ../shared/conformance/rfc4475)
	if [ -f "tests/fuzz/seeds/$name.dirs" ]; then
		while read -r d; do
			[ -n "$d" ] && [ -d "$d" ] && seeds+=("$d")
		done <"tests/fuzz/seeds/$name.dirs"
	fi
	log=build/fuzz/$name.log
	echo "fuzz $name: ${secs}s"
	if "$f" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix=build/fuzz/"$name"- "$corpus" "${seeds[@]}" \
		>"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz $name: ok, $execs executions"
	else
		echo "fuzz $name: FAILED (see $log)"
		grep -m5 -E 'ERROR|SUMMARY' "$log"
		fails=$((fails + 1))
	fi
done
exit $fails
