#!/bin/bash
# run.sh - the benchmarks (make bench). Speed and memory are measured here,
# never in tests. Each build/bench/bench_* prints its own table; scripted
# benchmarks are tests/bench/bench_*.sh. States the machine first.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
rc=0
for b in build/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== ${b#build/bench/}"
	"$b" || rc=1
done
for s in tests/bench/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s" .sh)"
	bash "$s" || rc=1
done
exit $rc
