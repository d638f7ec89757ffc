#!/usr/bin/env python3
"""Which tone a WAV recording holds: the Goertzel power at a frequency,
relative to the frame's whole power, frame by frame (20 ms frames).

    tone.py FILE.wav HZ[+HZ2] [MIN [DOMINANCE]]

Prints "frames N loud L tonal T share S" (S: tonal frames / frames with
sound) and exits 0 if the frames that carry sound and are dominated (a
DOMINANCE share of their power, default 0.8) by HZ (or by HZ and HZ2 together: a DTMF digit) make at
least MIN: a share of the loud frames if MIN < 1 (default 0.5), else a
number of frames; 1 otherwise, 2 on a bad file. Only the standard library: the tests need nothing beyond python3."""
import math
import struct
import sys
import wave


def goertzel(x, rate, hz):
    k = 2.0 * math.cos(2.0 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def main():
    path = sys.argv[1]
    hzs = [float(h) for h in sys.argv[2].split("+")]
    need = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    dom = float(sys.argv[4]) if len(sys.argv) > 4 else 0.8
    try:
        w = wave.open(path)
    except (OSError, wave.Error, EOFError):
        sys.exit(2)
    if w.getsampwidth() != 2:
        sys.exit(2)
    rate, ch = w.getframerate(), w.getnchannels()
    raw = w.readframes(w.getnframes())
    x = struct.unpack("<%dh" % (len(raw) // 2), raw)[::ch]
    n = rate // 50
    frames = loud = tonal = 0
    for i in range(0, len(x) - n + 1, n):
        f = x[i:i + n]
        frames += 1
        energy = sum(v * v for v in f)
        # below about -50 dBm0: silence, not counted either way
        if energy < n * 100.0:
            continue
        loud += 1
        # a pure tone of amplitude A gives goertzel = (A*n/2)^2 and
        # energy = A^2*n/2, so the ratio is n/2 * share of power
        p = sum(goertzel(f, rate, hz) for hz in hzs)
        if p / (energy * n / 2.0) >= dom:
            tonal += 1
    share = tonal / loud if loud else 0.0
    print("frames %d loud %d tonal %d share %.2f" % (frames, loud, tonal,
                                                      share))
    ok = share >= need if need < 1 else tonal >= need
    sys.exit(0 if loud and ok else 1)


main()
