#!/usr/bin/env python3
"""Send every RFC 4475 / RFC 5118 torture message to a running daemon over
UDP and over TCP and check each answer against the expectations below.

Run it only inside a network namespace that has nothing but loopback: the
messages name other hosts, and UDP answers go where their Via says (the
source address 127.0.0.1, the sent-by port), so this script listens on
every port they name.

The daemon is transaction-stateful: the same bytes sent twice are one
request and its retransmission. So every message goes over UDP first, the
script ACKs final answers to INVITE as a UAC does (RFC 3261 17.1.1.3),
waits until the daemon's server transactions have ended (the test runs it
with T1 = 50 ms and T4 = 500 ms: Timer J = 3.2 s), and only then sends
the TCP round. Retransmitted answers (identical bytes) count once.

usage: torture.py CONFORMANCE_DIR DAEMON_PORT   (exit 0 when all pass)
"""
import os
import re
import select
import socket
import sys
import time

# file -> (UDP answer, TCP answer); an answer is a status code, or None
# for "no answer" (dropped: a response, ACK, or unanswerable bytes), or
# "close" (TCP: the daemon closes the connection: framing error).
# Why each: RFC 4475 / 5118 as in INDEX.md, with the gateway's policy:
# OPTIONS 200, INVITE 480 (no calls yet), REGISTER & co 405, unknown 501,
# in-dialog methods without a dialog 481, Max-Forwards 0 (non-OPTIONS) 483.
EXPECT = {
    # 3.1.1 valid
    "wsinv.dat": (481, 481),        # INVITE, parsed; its To has a tag
                                    # and there is no dialog
    "intmeth.dat": (501, 501),      # unknown method: 501 with Allow
    "esc01.dat": (480, 480),        # INVITE
    "escnull.dat": (405, 405),      # REGISTER: not served
    "esc02.dat": (501, 501),        # RE%47IST%45R is not REGISTER
    "lwsdisp.dat": (200, 200),      # OPTIONS
    "longreq.dat": (480, 480),      # INVITE with long values
    "dblreq.dat": (405, 405),       # UDP: trailing octets ignored; TCP:
                                    # they start the next (incomplete) one
    "semiuri.dat": (200, 200),
    "transports.dat": (200, 200),
    "mpart01.dat": (405, 405),      # MESSAGE: not served
    "unreason.dat": (None, None),   # a response: no transaction, dropped
    "noreason.dat": (None, None),
    # 3.1.2 invalid
    "badinv01.dat": (400, 400),     # broken Via: back to the source
    "clerr.dat": (400, None),       # TCP: waits for the missing bytes
    "ncl.dat": (400, "close"),
    "scalar02.dat": (400, 400),
    "scalarlg.dat": (None, None),   # response: dropped
    "quotbal.dat": (400, 400),
    "ltgtruri.dat": (400, 400),
    "lwsruri.dat": (400, 400),
    "lwsstart.dat": (400, 400),
    "trws.dat": (400, 400),
    "escruri.dat": (400, 400),
    "baddate.dat": (400, 400),
    "regbadct.dat": (400, 400),
    "badaspec.dat": (400, 400),
    "baddn.dat": (400, None),       # TCP: no empty line, still waiting
    "badvers.dat": (505, 505),
    "mismatch01.dat": (400, 400),
    "mismatch02.dat": (400, 400),   # 501 or 400: the CSeq check comes first
    "bigcode.dat": (None, None),    # response: dropped
    # 3.2-3.4 semantics
    "badbranch.dat": (200, 200),    # OPTIONS; stateless, no tsx matching
    "insuf.dat": (400, 400),        # no Call-ID/From/To: Via+CSeq only
    "unkscm.dat": (416, 416),
    "novelsc.dat": (416, 416),
    "unksm2.dat": (405, 405),       # REGISTER
    "bext01.dat": (420, 420),
    "invut.dat": (415, 415),
    "regaut01.dat": (405, 405),     # non-registrar endpoint: 405
    "multi01.dat": (400, 400),
    "mcl01.dat": (400, "close"),
    "bcast.dat": (None, None),      # response: dropped
    "zeromf.dat": (200, 200),       # OPTIONS with MF 0: answered
    "cparam01.dat": (405, 405),
    "cparam02.dat": (405, 405),
    "regescrt.dat": (405, 405),
    "sdp01.dat": (480, 480),        # INVITE (no SDP in a 480 anyway)
    "inv2543.dat": (480, "close"),  # UDP: body = rest; TCP: no CL
    # RFC 5118
    "ipv6-good.dat": (405, 405),
    "ipv6-bad.dat": (400, 400),
    "port-ambiguous.dat": (405, 405),
    "port-unambiguous.dat": (405, 405),
    "via-received-param-with-delim.dat": (481, 481),  # BYE, no dialog
    "via-received-param-no-delim.dat": (200, 200),
    "ipv6-in-sdp.dat": (480, 480),
    "mult-ip-in-header.dat": (481, 481),
    "mult-ip-in-sdp.dat": (480, 480),
    "ipv4-mapped-ipv6.dat": (480, 480),
    "ipv6-bug-abnf-3-colons.dat": (200, 200),
    "ipv6-correct-abnf-2-colons.dat": (200, 200),
}

# RFC 5118 SDP messages carry a wrong Content-Length (README): recompute
FIX_CLEN = {"ipv6-in-sdp.dat", "mult-ip-in-sdp.dat", "ipv4-mapped-ipv6.dat"}
# every UDP port the corpus's Via sent-by values name (5060 by default)
UDP_PORTS = [5060, 5050, 6050, 19823]
WAIT = 0.4
# longest server transaction lifetime with T1 = 50 ms, T4 = 500 ms
TSX_DONE = 4.0


def fix_clen(data):
    head, sep, body = data.partition(b"\r\n\r\n")
    head = re.sub(rb"(?im)^(Content-Length|l)[ \t]*:[ \t]*\d+",
                  b"Content-Length: %d" % len(body), head)
    return head + sep + body


def status(resp):
    m = re.match(rb"SIP/2\.0 (\d{3}) ", resp)
    return int(m.group(1)) if m else "garbage"


def hdr(msg, names):
    m = re.search(rb"(?im)^(?:%s)[ \t]*:[ \t]*(.*?)\r?$" % names, msg)
    return m.group(1).strip() if m else None


def ack_for(req, resp):
    """The ACK of a non-2xx final answer to INVITE @req (17.1.1.3)."""
    start = req.split(b"\r\n", 1)[0].split(b" ")
    via = hdr(req, rb"Via|v")
    cseq = hdr(resp, rb"CSeq")
    if len(start) < 3 or not via or not cseq:
        return None
    lines = [b"ACK " + start[1] + b" SIP/2.0", b"Via: " + via]
    for n in (rb"From|f", rb"To|t", rb"Call-ID|i"):
        v = hdr(resp, n)
        if v is None:
            return None
        lines.append(n.split(b"|")[0] + b": " + v)
    lines.append(b"CSeq: " + cseq.split(b" ")[0] + b" ACK")
    lines.append(b"Max-Forwards: 70")
    lines.append(b"Content-Length: 0")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def udp_one(socks, data, daemon):
    for s in socks:
        while select.select([s], [], [], 0)[0]:
            s.recv(65535)
    socks[0].sendto(data, daemon)
    got = []
    end = time.time() + WAIT
    while time.time() < end:
        r, _, _ = select.select(socks, [], [], max(0, end - time.time()))
        for s in r:
            m = s.recv(65535)
            if m in got:
                continue    # a retransmission of the same answer
            cid = hdr(data, rb"Call-ID|i")
            if cid and hdr(m, rb"Call-ID|i") not in (cid, None):
                print("late answer to another request: %r %r" %
                      (m.split(b"\r\n", 1)[0], hdr(m, rb"Call-ID|i")))
                continue
            got.append(m)
            st = status(m)
            if data.startswith(b"INVITE ") and st != "garbage" and \
                    st >= 300:
                a = ack_for(data, m)
                if a:
                    socks[0].sendto(a, daemon)
    if len(got) > 1:
        return "several"
    return status(got[0]) if got else None


def tcp_one(data, daemon):
    s = socket.create_connection(daemon, timeout=2)
    s.sendall(data)
    buf = b""
    end = time.time() + WAIT
    closed = False
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.time()))
        if not r:
            continue
        try:
            chunk = s.recv(65535)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            closed = True
            break
        buf += chunk
        if b"\r\n\r\n" in buf:
            break
    s.close()
    if buf:
        return status(buf)
    return "close" if closed else None


def main():
    conf, port = sys.argv[1], int(sys.argv[2])
    daemon = ("127.0.0.1", port)
    socks = []
    for p in UDP_PORTS:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", p))
        socks.append(s)
    fails = 0
    seen = 0
    msgs = []
    for d in ("rfc4475", "rfc5118"):
        for f in sorted(os.listdir(os.path.join(conf, d))):
            if not f.endswith(".dat"):
                continue
            data = open(os.path.join(conf, d, f), "rb").read()
            if f in FIX_CLEN:
                data = fix_clen(data)
            msgs.append((f, data))
    udp = [udp_one(socks, data, daemon) for f, data in msgs]
    time.sleep(TSX_DONE)
    tcp = [tcp_one(data, daemon) for f, data in msgs]
    print("%-36s %-10s %-10s %s" % ("message", "UDP", "TCP", "verdict"))
    for (f, data), u, t in zip(msgs, udp, tcp):
        seen += 1
        want = EXPECT.get(f, ("(no expectation)",) * 2)
        ok = (u, t) == tuple(want)
        fails += not ok
        print("%-36s %-10s %-10s %s" % (f, u, t, "ok" if ok else
                                         "FAIL want %s/%s" % want))
    if seen != len(EXPECT):
        print("corpus has %d messages, table %d" % (seen, len(EXPECT)))
        fails += 1
    print("%d messages, %d failed" % (seen, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
