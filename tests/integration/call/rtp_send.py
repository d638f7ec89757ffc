#!/usr/bin/env python3
"""Send PCMA RTP (one SSRC, 20 ms packets, 50 a second) to HOST:PORT from
one local port after another, as a phone behind a NAT whose binding
changes mid-call:

    rtp_send.py HOST PORT LPORT:SECONDS [LPORT:SECONDS ...]

Sequence numbers and timestamps run on across the ports. Prints
"sent N" and exits 0; 2 on bad arguments or a port it cannot bind.
Only the standard library."""
import socket
import struct
import sys
import time


def main():
    try:
        host, port = sys.argv[1], int(sys.argv[2])
        legs = [(int(a), float(b)) for a, b in
                (x.split(":") for x in sys.argv[3:])]
    except (IndexError, ValueError):
        sys.exit(2)
    if not legs:
        sys.exit(2)
    seq, ts, sent = 1000, 160000, 0
    payload = b"\xd5" * 160  # PCMA silence
    for lport, secs in legs:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind((host, lport))
        except OSError:
            sys.exit(2)
        t0 = time.monotonic()
        n = 0
        while time.monotonic() - t0 < secs:
            hdr = struct.pack("!BBHII", 0x80, 8, seq & 0xFFFF,
                              ts & 0xFFFFFFFF, 0x4E415431)
            s.sendto(hdr + payload, (host, port))
            seq, ts, n, sent = seq + 1, ts + 160, n + 1, sent + 1
            # paced on the clock, not on the sleeps
            time.sleep(max(0.0, t0 + n * 0.02 - time.monotonic()))
        s.close()
    print("sent %d" % sent)


if __name__ == "__main__":
    main()
