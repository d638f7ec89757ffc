#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ng.py - a minimal client of rtpengine's ng control protocol for the
relay benchmark: bencoded dictionaries over UDP, each request prefixed by
a cookie that the answer repeats.

  ng.py ADDR:PORT ping
  ng.py ADDR:PORT calls K SND_IP SND_PORT0 RCV_IP RCV_PORT0 OUTFILE

"calls" creates K calls, call i between SND_IP:SND_PORT0+i (the offerer)
and RCV_IP:RCV_PORT0+i (the answerer), with "offer" then "answer", and
writes to OUTFILE, one a line, the port rtpengine gave the offerer to send
to (from the answer's rewritten SDP). Exit 0, 1 on any failure.
"""
import os
import re
import socket
import sys


def benc(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(benc(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(benc(k) + benc(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(type(v))


def bdec(s, i=0):
    """Decode one value of @s at @i: (value, next index); ValueError."""
    c = s[i:i + 1]
    if c == b"i":
        e = s.index(b"e", i)
        return int(s[i + 1:e]), e + 1
    if c in (b"l", b"d"):
        out, i = [], i + 1
        while s[i:i + 1] != b"e":
            if i >= len(s):
                raise ValueError("truncated")
            v, i = bdec(s, i)
            out.append(v)
        if c == b"l":
            return out, i + 1
        return {out[j].decode(): out[j + 1]
                for j in range(0, len(out), 2)}, i + 1
    if c.isdigit():
        colon = s.index(b":", i)
        n = int(s[i:colon])
        if colon + 1 + n > len(s):
            raise ValueError("truncated string")
        return s[colon + 1:colon + 1 + n], colon + 1 + n
    raise ValueError("bad bencode at %d" % i)


class Ng:
    def __init__(self, addr):
        host, port = addr.rsplit(":", 1)
        self.dst = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(2.0)
        self.n = 0

    def req(self, d):
        self.n += 1
        cookie = b"%d_%d" % (os.getpid(), self.n)
        self.sock.sendto(cookie + b" " + benc(d), self.dst)
        while True:
            data, _ = self.sock.recvfrom(65536)
            c, _, body = data.partition(b" ")
            if c == cookie:
                break
        r, _ = bdec(body)
        if r.get("result") not in (b"ok", b"pong"):
            raise RuntimeError("%s: %r" % (d.get("command"), r))
        return r


def sdp(ip, port, sess):
    return ("v=0\r\no=- %d 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=sendrecv\r\n" % (sess, ip, ip, port))


def sdp_port(body):
    m = re.search(rb"^m=audio (\d+) ", body, re.M)
    if not m:
        raise RuntimeError("no m=audio in %r" % body)
    return int(m.group(1))


def calls(ng, k, sip, sp0, rip, rp0, out):
    ports = []
    for i in range(k):
        cid = "bench-%d" % i
        ng.req({"command": "offer", "call-id": cid, "from-tag": "a%d" % i,
                "sdp": sdp(sip, sp0 + i, i)})
        r = ng.req({"command": "answer", "call-id": cid,
                    "from-tag": "a%d" % i, "to-tag": "b%d" % i,
                    "sdp": sdp(rip, rp0 + i, i)})
        ports.append(sdp_port(r["sdp"]))
    with open(out, "w") as f:
        f.write("".join("%d\n" % p for p in ports))


def main(argv):
    if len(argv) == 3 and argv[2] == "ping":
        Ng(argv[1]).req({"command": "ping"})
        return 0
    if len(argv) == 9 and argv[2] == "calls":
        calls(Ng(argv[1]), int(argv[3]), argv[4], int(argv[5]), argv[6],
              int(argv[7]), argv[8])
        return 0
    sys.stderr.write(__doc__)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, RuntimeError, ValueError, KeyError) as e:
        sys.stderr.write("ng.py: %s\n" % e)
        sys.exit(1)
