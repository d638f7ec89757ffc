#!/bin/bash
# bench_tdm_dsp.sh - instructions per 20 ms frame of each TDM DSP case,
# counted by callgrind (stable where wall-clock time is not). Runs
# build/bench/bench_tdm_dsp for a fixed number of frames and divides the
# inclusive instruction count of each case's function by that number.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bin=build/bench/bench_tdm_dsp
frames=500
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate \
	>/dev/null; then
	echo "SKIP: valgrind (callgrind) is not installed"
	exit 0
fi
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" \
	--frames $frames >/dev/null 2>"$out/log" || {
	cat "$out/log"
	exit 1
}
callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null >"$out/ann"
printf '%-34s %14s\n' "case" "instr/frame"
for f in b_dtmf_rx b_tone b_cid b_ec b_pipeline; do
	ir=$(awk -v f="$f" '$0 ~ ":"f" " || $0 ~ ":"f"$" {gsub(",", "", $1); print $1; exit}' "$out/ann")
	[ -n "$ir" ] || continue
	# b_ec runs three tails (32, 64, 128 ms): its count is their sum
	n=$frames
	[ "$f" = b_ec ] && n=$((frames * 3))
	printf '%-34s %14d\n' "$f$([ "$f" = b_ec ] && echo ' (mean of 3 tails)')" $((ir / n))
done
