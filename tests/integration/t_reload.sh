#!/bin/bash
# SIGHUP and "reload": a broken file is rejected and the old config stays
# live; a good one is applied; a key that needs a restart keeps its value.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

conf=$(it_conf)
it_start "$conf" || { not_ok "daemon starts"; it_done; }
good=$(cat "$conf")

# broken config + SIGHUP: daemon keeps running on the old one
printf '%s\n[general]\nbogus = 1\n' "$good" >"$conf"
kill -HUP "$IT_PID"
sleep 0.5
check "daemon survives SIGHUP with a broken config" kill -0 "$IT_PID"
check "rejection logged with file:line" \
	grep -q "test.conf:[0-9]*: \[general\] already defined" "$IT_DIR/daemon.log"
check "old config stays live" \
	grep -q '^name: trunkline-demo' <<<"$("$TRUNKLINECTL" status)"
check "failed reload counted" \
	grep -q '^reload_failures: 1' <<<"$("$TRUNKLINECTL" status)"

# the same through the control socket: ERR with the errors
rc=0
out=$("$TRUNKLINECTL" reload 2>&1) || rc=$?
check "ctl reload of a broken file exits 1" [ "$rc" = 1 ]
check "ctl reload says it was rejected" grep -q 'reload rejected' <<<"$out"

# a good change is applied by SIGHUP
sed 's/^name = .*/name = renamed/' <<<"$good" >"$conf"
kill -HUP "$IT_PID"
for _ in $(seq 1 50); do
	grep -q '^name: renamed' <<<"$("$TRUNKLINECTL" status)" && break
	sleep 0.1
done
check "good reload applied" grep -q '^name: renamed' <<<"$("$TRUNKLINECTL" status)"
check "reload counted" grep -q '^reloads: 1' <<<"$("$TRUNKLINECTL" status)"

# a [restart] key: warned about, old value kept, the rest applied
sed 's/^name = .*/name = third/; s/^\[control\]$/[control]\nsocket_mode = 0600/' <<<"$good" >"$conf"
out=$("$TRUNKLINECTL" reload)
check "ctl reload applies" grep -q 'configuration reloaded' <<<"$out"
check "restart-only key is warned about" grep -q 'socket_mode: cannot change on reload' <<<"$out"
check "socket mode unchanged (0660)" [ "$(stat -c %a "$IT_SOCK")" = 660 ]
check "other keys applied" grep -q '^name: third' <<<"$("$TRUNKLINECTL" status)"

# a reloadable key of a running module: the relay's coalescing period
# (the default period, 1000 us, on the io_uring relay; the epoll relay
# does not coalesce)
flows=$("$TRUNKLINECTL" show flows)
period=0
grep -q '^relay_io: uring' <<<"$flows" && period=1000
check "relay starts with the default period ($period us)" \
	grep -q "^relay_coalesce_us: $period\$" <<<"$flows"
printf '%s\n[media]\nrelay_coalesce_us = 500\n' "$good" >"$conf"
out=$("$TRUNKLINECTL" reload)
check "ctl reload applies [media]" grep -q 'configuration reloaded' <<<"$out"
flows=$("$TRUNKLINECTL" show flows)
if grep -q '^relay_io: uring' <<<"$flows"; then
	period=500
	check "relay_coalesce_us applied on reload" \
		grep -q '^relay_coalesce_us: 500' <<<"$flows"
else
	check "epoll relay: relay_coalesce_us stays 0, logged" bash -c \
		"grep -q '^relay_coalesce_us: 0' <<<'$flows' &&
		grep -q 'epoll relay does not coalesce' '$IT_DIR/daemon.log'"
fi
printf '%s\n[media]\nrelay_coalesce_us = 10001\n' "$good" >"$conf"
rc=0
out=$("$TRUNKLINECTL" reload 2>&1) || rc=$?
check "out-of-range relay_coalesce_us rejected" [ "$rc" = 1 ]
check "rejection logged with the key" \
	grep -q 'test.conf:[0-9]*: relay_coalesce_us: 10001 is out of range' \
	"$IT_DIR/daemon.log"
check "the period in use stays" \
	grep -q "^relay_coalesce_us: $period\$" <<<"$("$TRUNKLINECTL" show flows)"

it_stop TERM
rc=$IT_RC
check "SIGTERM exits 0" [ "$rc" = 0 ]
it_done
