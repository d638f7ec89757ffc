#!/bin/bash
# The control socket: status in text and JSON, help, malformed and unknown
# commands get errors and the daemon carries on.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

conf=$(it_conf)
it_start "$conf" || { not_ok "daemon starts"; it_done; }
ok "daemon starts on demo.conf"

out=$("$TRUNKLINECTL" status)
check "status exits 0" [ $? = 0 ]
check "status has the version" grep -q '^version: 0\.' <<<"$out"
check "status names the config file" grep -q "^config: $conf" <<<"$out"
check "status lists the modules" grep -q '^modules: core, control' <<<"$out"

json=$("$TRUNKLINECTL" -j status)
check "status -j is valid JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$json"
check "status -j has the pid" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["pid"] == int(sys.argv[2]), d
assert d["name"] == "trunkline-demo", d
assert "control" in d["modules"], d' "$json" "$IT_PID"

check "help lists status" grep -q '^status ' <<<"$("$TRUNKLINECTL" help)"

rc=0
err=$("$TRUNKLINECTL" no such command 2>&1) || rc=$?
check "unknown command exits 1" [ "$rc" = 1 ]
check "unknown command is explained" grep -q 'unknown command "no"' <<<"$err"
rc=0
err=$("$TRUNKLINECTL" -j status extra 2>&1) || rc=$?
check "wrong arguments give a JSON error" python3 -c '
import json, sys
assert json.loads(sys.argv[1])["error"] == "usage: status"' "$err"

# raw protocol abuse straight on the socket: binary junk, an unterminated
# quote, an oversized line, a client that disconnects mid-line
python3 - "$IT_SOCK" <<'PY' || not_ok "raw socket abuse"
import socket, sys
def talk(data, expect_close=False):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(sys.argv[1])
    s.sendall(data)
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
            if not expect_close and b"\n" in got:
                hdr, _, body = got.partition(b"\n")
                if len(body) >= int(hdr.split()[1]):
                    break
    except socket.timeout:
        pass
    s.close()
    return got
r = talk(b"\x00\xff\xfe binary\n")
assert r.startswith(b"ERR "), r
r = talk(b'status "unterminated\n')
assert b"unterminated quote" in r, r
r = talk(b"x" * 9000, expect_close=True)
assert r.startswith(b"ERR ") and b"too long" in r, r
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"sta"); s.close()
r = talk(b"status\n")
assert r.startswith(b"OK "), r
PY
ok "raw socket abuse answered with errors"

check "daemon still answers after abuse" "$TRUNKLINECTL" status
check "daemon still running" kill -0 "$IT_PID"
it_stop TERM
rc=$IT_RC
check "SIGTERM exits 0" [ "$rc" = 0 ]
check "control socket removed on exit" [ ! -e "$IT_SOCK" ]
it_done
