#!/bin/bash
# run.sh - the netns test tier: runs every tests/netns/t_*.sh, each in
# namespaces of its own, and reports
#   PASS <name> | FAIL <name> (<reason>) | SKIP <name> (<reason>)
# then, last, "N passed, N failed". Exit 0 iff nothing failed; 77 (with
# "SKIP netns tier: <reason>" on stderr) if this machine cannot run the
# tier. Needs root, ip netns and veth.
#
# usage: bash tests/netns/run.sh [NAME...]   (default: every t_*.sh)
# env:   NETNS_TEST_TIMEOUT  seconds per test (default 120)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"
cd "$NETNS_REPO" || exit 1

why=$(netns_check)
if [ -n "$why" ]; then
	echo "SKIP netns tier: $why" >&2
	exit 77
fi
netns_reap_stale

if ! netns_build_tool udpx; then
	echo "netns: cannot build build/tools/udpx" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
export UDPX="$NETNS_REPO/build/tools/udpx"

tests=()
if [ $# -gt 0 ]; then
	for name in "$@"; do
		tests+=("$here/${name%.sh}.sh")
	done
else
	tests=("$here"/t_*.sh)
fi

# shellcheck source=SCRIPTDIR/../lib/tier.sh
. "$here/../lib/tier.sh"
tier_run netns "${NETNS_TEST_TIMEOUT:-120}" "${tests[@]}"
