#!/bin/bash
# Start, stop and daemon mode: SIGTERM and SIGINT stop it quickly with
# status 0; without -f it detaches, writes its pid file and still answers;
# a second daemon on the same socket is refused.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

conf=$(it_conf)
it_start "$conf" || { not_ok "daemon starts"; it_done; }
t0=$(date +%s%N)
it_stop TERM
rc=$IT_RC
ms=$((($(date +%s%N) - t0) / 1000000))
check "SIGTERM exits 0" [ "$rc" = 0 ]
check "SIGTERM exits within 2 s (${ms} ms)" [ "$ms" -lt 2000 ]
check "stop logged" grep -q 'stopped' "$IT_DIR/daemon.log"

it_start "$conf" || { not_ok "daemon restarts"; it_done; }
rc=0
timeout 5 "$TRUNKLINE" -f -c "$conf" >"$IT_DIR/second.log" 2>&1 || rc=$?
check "second daemon on the same socket refused" [ "$rc" = 1 ]
check "refusal explained" grep -q 'another trunkline running' "$IT_DIR/second.log"
check "first daemon unaffected" "$TRUNKLINECTL" status
it_stop INT
rc=$IT_RC
check "SIGINT exits 0" [ "$rc" = 0 ]

# daemon mode: detaches, pid file, syslog (not stderr)
printf '%s\n' "$(sed "s|^\[general\]|[general]\npidfile = $IT_DIR/tl.pid|" "$conf")" >"$conf"
"$TRUNKLINE" -c "$conf" >"$IT_DIR/fg.out" 2>&1
check "launcher returns 0 at once" [ $? = 0 ]
for _ in $(seq 1 50); do
	[ -s "$IT_DIR/tl.pid" ] && "$TRUNKLINECTL" status >/dev/null 2>&1 && break
	sleep 0.1
done
pid=$(cat "$IT_DIR/tl.pid" 2>/dev/null)
check "pid file written" [ -n "$pid" ]
check "detached daemon answers" "$TRUNKLINECTL" status
check "nothing written to the terminal" [ ! -s "$IT_DIR/fg.out" ]
check "status reports the daemon's pid" \
	grep -q "^pid: $pid\$" <<<"$("$TRUNKLINECTL" status)"
kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "detached daemon stops on SIGTERM" bash -c "! kill -0 $pid 2>/dev/null"
check "pid file removed" [ ! -e "$IT_DIR/tl.pid" ]
it_done
