#!/usr/bin/env python3
"""Send one crafted SIP request and print the status line of the answer
(or "none"). usage: sipreq.py udp|tcp|tls HOST PORT METHOD [HEADER...]
A HEADER "Max-Forwards: 0" replaces the default Max-Forwards; "CSeq: x"
the CSeq line (for grammar faults)."""
import socket
import ssl
import sys
import uuid


def main():
    tp, host, port, method = sys.argv[1:5]
    extra = [a for a in sys.argv[5:] if a != "-v"]
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    kind = socket.SOCK_DGRAM if tp == "udp" else socket.SOCK_STREAM
    s = socket.socket(fam, kind)
    s.settimeout(3)
    s.connect((host, int(port)))
    if tp == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    me = s.getsockname()
    sent_by = ("[%s]:%d" if fam == socket.AF_INET6 else "%s:%d") % me[:2]
    hdrs = {"Max-Forwards": "70", "CSeq": "1 " + method}
    for h in extra:
        k, v = h.split(":", 1)
        hdrs[k.strip()] = v.strip()
    msg = ("%s sip:gw@%s SIP/2.0\r\n"
           "Via: SIP/2.0/%s %s;branch=z9hG4bK%s;rport\r\n"
           "From: <sip:test@%s>;tag=t1\r\nTo: <sip:gw@%s>\r\n"
           "Call-ID: %s\r\n" % (method, "example.invalid", tp.upper(),
                                sent_by, uuid.uuid4().hex, "example.invalid",
                                "example.invalid", uuid.uuid4().hex))
    for k, v in hdrs.items():
        msg += "%s: %s\r\n" % (k, v)
    msg += "Content-Length: 0\r\n\r\n"
    s.send(msg.encode())
    try:
        data = s.recv(65535)
    except (socket.timeout, ConnectionError):
        data = b""
    print(data.split(b"\r\n", 1)[0].decode() if data else "none")
    if "-v" in sys.argv[5:]:
        print(data.decode())


if __name__ == "__main__":
    main()
