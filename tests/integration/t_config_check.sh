#!/bin/bash
# trunkline -t: good files pass, every broken one fails with file:line.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

check "demo.conf is valid" "$TRUNKLINE" -t -c "$IT_REPO/config/demo.conf"
check "reference trunkline.conf is valid" \
	"$TRUNKLINE" -t -c "$IT_REPO/config/trunkline.conf"

bad=$IT_DIR/bad.conf
cat >"$bad" <<'CONF'
[general]
log_level = loud
colour = blue
[control]
max_clients = 0
CONF
rc=0
"$TRUNKLINE" -t -c "$bad" >"$IT_DIR/out" 2>&1 || rc=$?
check "broken config exits 1" [ "$rc" = 1 ]
check "error names file:line: key" \
	grep -q "bad.conf:2: log_level: \"loud\" is not one of" "$IT_DIR/out"
check "every error is reported (3)" \
	[ "$(grep -c 'bad.conf:[0-9]*: ' "$IT_DIR/out")" = 3 ]
check "unknown key reported" \
	grep -q "bad.conf:3: colour: unknown key in \[general\]" "$IT_DIR/out"
check "range reported" \
	grep -q "bad.conf:5: max_clients: 0 is out of range" "$IT_DIR/out"

rc=0
"$TRUNKLINE" -t -c "$IT_DIR/missing.conf" >"$IT_DIR/out" 2>&1 || rc=$?
check "missing file exits 1" [ "$rc" = 1 ]
rc=0
"$TRUNKLINE" -x >/dev/null 2>&1 || rc=$?
check "bad option exits 2" [ "$rc" = 2 ]

# a refused config never starts a daemon
rc=0
timeout 5 "$TRUNKLINE" -f -c "$bad" >"$IT_DIR/out" 2>&1 || rc=$?
check "daemon refuses to start on a broken config" [ "$rc" = 1 ]
it_done
