#!/bin/bash
# run.sh - the integration tier: the real daemon driven from outside by
# every tests/integration/t_*.sh. Needs build/trunkline and build/trunklinectl.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for b in trunkline trunklinectl; do
	if [ ! -x "$here/../../build/$b" ]; then
		echo "integration: build/$b missing (run make)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
tests=()
if [ $# -gt 0 ]; then
	for name in "$@"; do tests+=("$here/${name%.sh}.sh"); done
else
	tests=("$here"/t_*.sh)
fi
# shellcheck source=SCRIPTDIR/../lib/tier.sh
. "$here/../lib/tier.sh"
tier_run integration "${IT_TEST_TIMEOUT:-300}" "${tests[@]}"
