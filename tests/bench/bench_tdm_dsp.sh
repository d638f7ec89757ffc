#!/bin/bash
# bench_tdm_dsp.sh - the TDM DSP per channel and 20 ms frame, two ways:
#   - ns/frame: build/bench/bench_tdm_dsp run natively (fastest of 30
#     short blocks after warm-up), which gives % of a core and channels
#     per core on this machine;
#   - instr/frame: the same program under callgrind, which dumps each
#     case's timed frames separately (see bench_tdm_dsp.c), so the count
#     is exact and the same on any loaded or idle machine.
# instr/ns is what this code ran at here (instructions per ns = IPC x
# GHz): the link between the two, stated so a reader can convert the
# instruction counts to time on this CPU.
#
# usage: tests/bench/bench_tdm_dsp.sh [FRAMES]   (per block: default 100
#                                                 native, 40 under callgrind)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bin=build/bench/bench_tdm_dsp
frames=${1:-100}
cg_frames=40
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin" --frames "$frames" >"$out/native" || { cat "$out/native"; exit 1; }
cat "$out/native"
if ! command -v valgrind >/dev/null; then
	echo "(valgrind is not installed: no instruction counts)"
	exit 0
fi
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" \
	--frames $cg_frames >/dev/null 2>"$out/log" || {
	cat "$out/log"
	exit 1
}
# one dump per case: its trigger names the case, its totals are the
# instructions of blocks x cg_frames frames
blocks=$(sed -n 's/.*fastest of \([0-9]*\) blocks.*/\1/p' "$out/native")
[ -n "$blocks" ] || { echo "FAIL: no block count in the output"; exit 1; }
for f in "$out"/cg.*; do
	id=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
	ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f")
	[ -n "$id" ] && [ -n "$ir" ] &&
		echo "$id $((ir / (blocks * cg_frames)))"
done >"$out/ir"
echo
echo "instructions per frame (callgrind, $blocks x $cg_frames frames" \
	"per case):"
printf '%-34s %11s %9s %8s\n' case instr/frame ns/frame instr/ns
ids=(dtmf tone cid ec32 ec64 ec128 ec64search pipe pipefull)
i=0
# the native table's rows are in the same order as ids
sed -n '/^case /,/^goal/p' "$out/native" | sed '1d;$d' |
while read -r line; do
	name=$(echo "$line" | sed 's/ *[0-9.]* *[0-9.]* *[0-9.]*% *[0-9]*$//')
	ns=$(echo "$line" | awk '{ print $(NF - 3) }')
	ir=$(awk -v id="${ids[$i]}" '$1 == id { print $2 }' "$out/ir")
	printf '%-34s %11s %9s %8s\n' "$name" "${ir:-?}" "$ns" \
		"$(awk -v a="${ir:-0}" -v b="$ns" \
			'BEGIN { if (b > 0) printf "%.2f", a / b }')"
	i=$((i + 1))
done
