#!/bin/bash
# t_xdp_fwd: the forwarding case table (fwd_cases.sh) against the XDP
# engine: real XDP on the gateway's two veths, programmed through
# gateway/offload.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/fwd_cases.sh
. "$(dirname "$0")/fwd_cases.sh"
netns_init
ENGINE=xdp
FWD_LOG=$(mktemp)
fwd_build || fail "cannot build the BPF objects or fwd_drv"
fwd_start "$ENGINE"
fwd_run_all
