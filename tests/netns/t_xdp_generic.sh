#!/bin/bash
# t_xdp_generic: the forwarding case table (fwd_cases.sh) against the XDP
# engine attached in generic (SKB) mode, `xdp_mode = generic`, on the
# gateway's two veths: the mode for drivers without native XDP.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/fwd_cases.sh
. "$(dirname "$0")/fwd_cases.sh"
netns_init
ENGINE=xdp
FWD_LOG=$(mktemp)
FWD_DRV_OPTS=(--generic)
fwd_build || fail "cannot build the BPF objects or fwd_drv"
fwd_start "$ENGINE"
nsx gw ip link show "$IF_GW_A" | grep -q " xdpgeneric" ||
	fail "$IF_GW_A: not in generic mode"
nsx gw ip link show "$IF_GW_B" | grep -q " xdpgeneric" ||
	fail "$IF_GW_B: not in generic mode"
fwd_run_all
