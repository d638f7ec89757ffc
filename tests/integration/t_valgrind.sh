#!/bin/bash
# The daemon under valgrind: start, control commands (good and bad),
# reloads (good and bad), SIGTERM: no errors, no leaks.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v valgrind >/dev/null; then
	echo "FAIL-REASON: valgrind not installed (scripts/deps.sh installs it)"
	exit 1
fi
conf=$(it_conf)
vlog=$IT_DIR/valgrind.log
it_start "$conf" valgrind --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=all --error-exitcode=99 --track-fds=no \
	--log-file="$vlog" || { not_ok "daemon starts under valgrind"; it_done; }
ok "daemon starts under valgrind"

"$TRUNKLINECTL" status >/dev/null
"$TRUNKLINECTL" -j status >/dev/null
"$TRUNKLINECTL" help >/dev/null
"$TRUNKLINECTL" bogus command >/dev/null 2>&1
"$TRUNKLINECTL" -j status too many args >/dev/null 2>&1
printf 'status "x\n\x01\x02\n' | timeout 5 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.stdin.buffer.read()); s.settimeout(3)
try: s.recv(4096)
except Exception: pass' "$IT_SOCK"
good=$(cat "$conf")
printf '%s\n[bogus]\n' "$good" >"$conf"
"$TRUNKLINECTL" reload >/dev/null 2>&1
kill -HUP "$IT_PID"
# SIGHUP is handled asynchronously: let it read the file before the next
# rewrite (else it may read a half-written file)
for _ in $(seq 1 100); do
	grep -q '^reload_failures: 2' <<<"$("$TRUNKLINECTL" -T 20 status)" && break
	sleep 0.1
done
echo "$good" >"$conf"
"$TRUNKLINECTL" reload >/dev/null
kill -HUP "$IT_PID"
for _ in $(seq 1 100); do
	grep -q '^reloads: 2' <<<"$("$TRUNKLINECTL" -T 20 status)" && break
	sleep 0.1
done
check "both bad reloads rejected, both good ones applied" \
	grep -q '^reloads: 2' <<<"$("$TRUNKLINECTL" -T 20 status)"
check "no reload saw a partial file" \
	bash -c "! grep -q 'cannot change on reload' '$IT_DIR/daemon.log'"
check "daemon answers after all that" "$TRUNKLINECTL" -T 20 status

it_stop TERM
rc=$IT_RC
check "exit status 0 under valgrind (99 = valgrind errors)" [ "$rc" = 0 ]
check "no valgrind errors" grep -q 'ERROR SUMMARY: 0 errors' "$vlog"
check "all heap blocks freed" grep -q 'All heap blocks were freed' "$vlog"
[ "$IT_FAILS" = 0 ] || cat "$vlog"
it_done
