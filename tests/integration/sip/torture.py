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

An INVITE that passes the SIP checks becomes a call: its final answer
comes from the call layer (SDP offer/answer, then routing), possibly after
a 100 Trying. The result of a message is its final answer; 1xx answers
are skipped, and an INVITE gets up to INVITE_WAIT seconds for its final
one. A message that got only a provisional answer shows its code (100).

usage: torture.py CONFORMANCE_DIR DAEMON_PORT   (exit 0 when all pass)
"""
import os
import re
import select
import socket
import sys
import time

# file -> (UDP answer, TCP answer); an answer is a final status code, or
# None for "no answer" (dropped: a response, ACK, or unanswerable bytes),
# or "close" (TCP: the daemon closes the connection: framing error).
# Why each: RFC 4475 / 5118 as in INDEX.md, with the gateway's policy:
# OPTIONS 200, REGISTER & co 405, unknown 501, in-dialog methods without a
# dialog 481, Max-Forwards 0 (non-OPTIONS) 483.
# A valid INVITE is a call (gateway/call): the offer is answered first
# (RFC 3264 6: no codec in common -> 488 Not Acceptable Here, RFC 3261
# 13.3.1), then routed. t_sip_torture.sh runs the daemon with no [route]
# at all, so every INVITE with usable media ends with Q.850 cause 3 (no
# route to destination) -> 404 Not Found (RFC 3398 7.2.4.1). A valid
# INVITE never gets 400.
EXPECT = {
    # 3.1.1 valid
    "wsinv.dat": (481, 481),        # INVITE, parsed; its To has a tag
                                    # and there is no dialog
    "intmeth.dat": (501, 501),      # unknown method: 501 with Allow
    "esc01.dat": (404, 404),        # INVITE: PCMU offered (the video's
                                    # "a=rtpmap:31 LPC" costs only that
                                    # format), no route: cause 3 -> 404
    "escnull.dat": (405, 405),      # REGISTER: not served
    "esc02.dat": (501, 501),        # RE%47IST%45R is not REGISTER
    "lwsdisp.dat": (200, 200),      # OPTIONS
    "longreq.dat": (404, 404),      # INVITE, PCMU, no route: 404; its
                                    # 141-byte Call-ID must not matter
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
    "sdp01.dat": (406, 406),        # INVITE whose Accept lacks
                                    # application/sdp: 406 before any
                                    # routing (RFC 3261 21.4.7, RFC 4475
                                    # 3.3.14), with no SDP (NO_BODY)
    "inv2543.dat": (400, "close"),  # UDP: RFC 2543 syntax is taken (no
                                    # branch, no From tag: RFC 3261
                                    # 12.1.1 null tag, no Max-Forwards,
                                    # body = rest), but there is no
                                    # Contact, the only remote target of
                                    # a dialog (8.1.1.8, 12.1.1): 400.
                                    # TCP: no Content-Length: close
    # RFC 5118
    "ipv6-good.dat": (405, 405),
    "ipv6-bad.dat": (400, 400),
    "port-ambiguous.dat": (405, 405),
    "port-unambiguous.dat": (405, 405),
    "via-received-param-with-delim.dat": (481, 481),  # BYE, no dialog
    "via-received-param-no-delim.dat": (200, 200),
    "ipv6-in-sdp.dat": (488, 488),   # INVITE: only G726-32 audio and
                                     # H.263 video, no codec of ours
    "mult-ip-in-header.dat": (481, 481),
    "mult-ip-in-sdp.dat": (404, 404),  # INVITE: PCMU on IPv4 taken, the
                                       # IPv6 video refused; no route
    "ipv4-mapped-ipv6.dat": (488, 488),  # INVITE: G726-32 only
    "ipv6-bug-abnf-3-colons.dat": (200, 200),
    "ipv6-correct-abnf-2-colons.dat": (200, 200),
}

# answers that must not carry a body (RFC 4475 3.3.15: Accept without
# application/sdp)
NO_BODY = {"sdp01.dat"}

# Known daemon bugs outside the SIP layer: file -> (the answers it gets
# today, why). Such a message passes with a visible "KNOWN BUG" verdict
# while it gets exactly these answers (any other answer than these or
# the EXPECT ones fails); once fixed it passes on EXPECT: drop the entry.
KNOWN_BUGS = {}

# RFC 5118 SDP messages carry a wrong Content-Length (README): recompute
FIX_CLEN = {"ipv6-in-sdp.dat", "mult-ip-in-sdp.dat", "ipv4-mapped-ipv6.dat"}
# every UDP port the corpus's Via sent-by values name (5060 by default)
UDP_PORTS = [5060, 5050, 6050, 19823]
WAIT = 0.4
# an INVITE's final answer comes after routing (under valgrind, slowly)
INVITE_WAIT = 3.0
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
    """The first value of header @names in @msg's header part, unfolded
    (RFC 3261 7.3.1: a line starting with white space continues the
    previous one)."""
    head = re.sub(rb"\r?\n[ \t]+", b" ", msg.split(b"\r\n\r\n", 1)[0])
    m = re.search(rb"(?im)^(?:%s)[ \t]*:[ \t]*(.*?)\r?$" % names, head)
    return m.group(1).strip() if m else None


def hdr_raw(msg, names):
    """The first header @names of @msg, value as written: its
    continuation lines kept (an ACK repeats the INVITE's top Via byte
    for byte, RFC 3261 17.1.1.3)."""
    head = msg.split(b"\r\n\r\n", 1)[0]
    m = re.search(rb"(?im)^(?:%s)[ \t]*:[ \t]*"
                  rb"([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)" % names, head)
    return m.group(1) if m else None


def body_len(resp):
    v = hdr(resp, rb"Content-Length|l")
    return int(v) if v and v.isdigit() else 0


def final(st):
    return st != "garbage" and st >= 200


def verdict(answers):
    """One message's result from the distinct answers it got: its final
    status, "several" (two different final answers), the provisional code
    when no final one came, or None."""
    finals = [m for m in answers if final(status(m))]
    if len(finals) > 1:
        return "several"
    if finals:
        return status(finals[0])
    return status(answers[-1]) if answers else None


def ack_for(req, resp):
    """The ACK of a non-2xx final answer to INVITE @req (17.1.1.3)."""
    start = req.split(b"\r\n", 1)[0].split(b" ")
    via = hdr_raw(req, rb"Via|v")
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
    """Send @data over UDP; (its result, its distinct answers)."""
    for s in socks:
        while select.select([s], [], [], 0)[0]:
            s.recv(65535)
    socks[0].sendto(data, daemon)
    got = []
    invite = data.startswith(b"INVITE ")
    start = time.time()
    end = start + WAIT
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
            if invite and final(st) and st >= 300:
                a = ack_for(data, m)
                if a:
                    socks[0].sendto(a, daemon)
        # an INVITE waits for its final answer, then WAIT more for a
        # second, different one
        if invite and time.time() >= end and \
                not any(final(status(m)) for m in got) and \
                end < start + INVITE_WAIT:
            end = start + INVITE_WAIT
    return verdict(got), got


def split_msgs(buf):
    """Complete messages at the start of the TCP stream @buf (framed by
    Content-Length) and what is left."""
    msgs = []
    while b"\r\n\r\n" in buf:
        head = buf.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
        n = len(head) + body_len(head)
        if len(buf) < n:
            break
        msgs.append(buf[:n])
        buf = buf[n:]
    return msgs, buf


def tcp_one(data, daemon):
    """Send @data on a new TCP connection; (its result, its answers)."""
    s = socket.create_connection(daemon, timeout=2)
    s.sendall(data)
    buf = b""
    got = []
    invite = data.startswith(b"INVITE ")
    end = time.time() + (INVITE_WAIT if invite else WAIT)
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
        msgs, buf = split_msgs(buf + chunk)
        got += msgs
        fin = [m for m in msgs if final(status(m))]
        if fin:
            if invite and status(fin[0]) >= 300:
                a = ack_for(data, fin[0])
                if a:
                    s.sendall(a)
            break
        # a response that is not SIP ends the wait as well
        if any(status(m) == "garbage" for m in msgs):
            break
    s.close()
    if buf:
        got.append(buf)
    if got:
        return verdict(got), got
    return ("close" if closed else None), got


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
    for (f, data), (u, ua), (t, ta) in zip(msgs, udp, tcp):
        seen += 1
        want = tuple(EXPECT.get(f, ("(no expectation)",) * 2))
        ok = (u, t) == want
        why = "ok" if ok else "FAIL want %s/%s" % want
        bodies = [m for m in ua + ta if final(status(m)) and body_len(m)]
        if ok and f in NO_BODY and bodies:
            ok = False
            why = "FAIL: the answer carries a body"
        bug = KNOWN_BUGS.get(f)
        if not ok and bug and (u, t) == tuple(bug[0]):
            ok = True
            why = "KNOWN BUG (want %s/%s): %s" % (want + (bug[1],))
        fails += not ok
        print("%-36s %-10s %-10s %s" % (f, u, t, why))
    if seen != len(EXPECT):
        print("corpus has %d messages, table %d" % (seen, len(EXPECT)))
        fails += 1
    print("%d messages, %d failed" % (seen, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
