#!/bin/bash
# Calls under valgrind: t_call_sip_relay.sh (SIP to SIP with the media
# relayed undecoded on the relay's default I/O path: anchoring, DTMF,
# hold and resume, a media timeout, early media, a NAT rebinding) run
# with the daemon under memcheck. Every check of that test must pass, and
# valgrind must report no errors and no leaks: the packet path, the
# io_uring buffers the kernel writes, the flows' install and removal.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v valgrind >/dev/null; then
	echo "FAIL-REASON: valgrind not installed (scripts/deps.sh installs it)"
	exit 1
fi
vlog=$IT_DIR/valgrind.log
wrap=$IT_DIR/trunkline-vg
cat >"$wrap" <<EOW
#!/bin/sh
exec valgrind --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=all --error-exitcode=99 --track-fds=no \
	--log-file="$vlog" "$TRUNKLINE" "\$@"
EOW
chmod +x "$wrap"
if TL_TRUNKLINE=$wrap bash "$(dirname "$0")/t_call_sip_relay.sh" \
	>"$IT_DIR/relay.out" 2>&1; then
	ok "t_call_sip_relay passes with the daemon under valgrind" \
		"($(grep -c '^ok ' "$IT_DIR/relay.out") checks)"
else
	not_ok "t_call_sip_relay under valgrind"
	grep -E '^not ok|FAIL' "$IT_DIR/relay.out" | head -20
fi
if grep -q 'ERROR SUMMARY: 0 errors' "$vlog" 2>/dev/null; then
	ok "no valgrind errors"
else
	not_ok "no valgrind errors"
	head -60 "$vlog" 2>/dev/null
fi
if grep -q 'All heap blocks were freed' "$vlog" 2>/dev/null; then
	ok "all heap blocks freed"
else
	not_ok "all heap blocks freed"
	grep -A3 'LEAK SUMMARY' "$vlog" 2>/dev/null
fi
it_done
