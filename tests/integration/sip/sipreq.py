#!/usr/bin/env python3
"""Send one crafted SIP request and print the status line of its final
answer (or of the last provisional one, or "none").
usage: sipreq.py udp|tcp|tls HOST PORT METHOD [HEADER...] [-v]
A HEADER "Max-Forwards: 0" replaces the default Max-Forwards; "CSeq: x"
the CSeq line (for grammar faults); "Contact: -" leaves out the Contact
an INVITE carries by default (RFC 3261 8.1.1.8 asks for one). A final
answer >= 300 to an INVITE is ACKed (17.1.1.3). -v prints the answer."""
import re
import socket
import ssl
import sys
import time
import uuid

WAIT = 3.0


def status(data):
    m = re.match(rb"SIP/2\.0 (\d{3}) ", data)
    return int(m.group(1)) if m else 0


def hdr(data, name):
    m = re.search(rb"(?im)^%s[ \t]*:[ \t]*(.*?)\r?$" % name.encode(), data)
    return m.group(1) if m else b""


def main():
    tp, host, port, method = sys.argv[1:5]
    extra = [a for a in sys.argv[5:] if a != "-v"]
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    kind = socket.SOCK_DGRAM if tp == "udp" else socket.SOCK_STREAM
    s = socket.socket(fam, kind)
    s.settimeout(WAIT)
    s.connect((host, int(port)))
    if tp == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    me = s.getsockname()
    sent_by = ("[%s]:%d" if fam == socket.AF_INET6 else "%s:%d") % me[:2]
    hdrs = {"Max-Forwards": "70", "CSeq": "1 " + method}
    if method == "INVITE":
        hdrs["Contact"] = "<sip:test@%s%s>" % (
            sent_by, "" if tp == "udp" else ";transport=" + tp)
    for h in extra:
        k, v = h.split(":", 1)
        hdrs[k.strip()] = v.strip()
    if hdrs.get("Contact") == "-":
        del hdrs["Contact"]
    via = "SIP/2.0/%s %s;branch=z9hG4bK%s;rport" % (tp.upper(), sent_by,
                                                   uuid.uuid4().hex)
    ruri = "sip:gw@example.invalid"
    msg = ("%s %s SIP/2.0\r\nVia: %s\r\n"
           "From: <sip:test@%s>;tag=t1\r\nTo: <sip:gw@%s>\r\n"
           "Call-ID: %s\r\n" % (method, ruri, via, "example.invalid",
                                "example.invalid", uuid.uuid4().hex))
    for k, v in hdrs.items():
        msg += "%s: %s\r\n" % (k, v)
    msg += "Content-Length: 0\r\n\r\n"
    s.send(msg.encode())
    # skip provisional answers (an INVITE may get 100 Trying first)
    data = b""
    end = time.time() + WAIT
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            got = s.recv(65535)
        except (socket.timeout, ConnectionError, ssl.SSLError):
            break
        if not got:
            break
        # a stream may bring a 1xx and the final answer in one read
        for m in re.finditer(rb"(?m)^SIP/2\.0 \d{3} ", got):
            data = got[m.start():]
            if status(data) >= 200:
                break
        if status(data) >= 200:
            break
    if method == "INVITE" and status(data) >= 300:
        ack = ("ACK %s SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n"
               "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s ACK\r\n"
               "Content-Length: 0\r\n\r\n" %
               (ruri, via, hdr(data, "From").decode(),
                hdr(data, "To").decode(), hdr(data, "Call-ID").decode(),
                hdr(data, "CSeq").split(b" ")[0].decode()))
        s.send(ack.encode())
    print(data.split(b"\r\n", 1)[0].decode() if data else "none")
    if "-v" in sys.argv[5:]:
        print(data.decode())


if __name__ == "__main__":
    main()
