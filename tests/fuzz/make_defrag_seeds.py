#!/usr/bin/python3
"""Seeds for the fuzz harnesses from the real fragments of the golden captures.

  tests/fuzz/make_defrag_seeds.py

corpus/defrag/: each capture's fragments as the sequence tests/fuzz/defrag.c
reads (ctl, offset, len, payload); corpus/dissect/: a few single fragment
frames (link type byte 0, Ethernet).
"""
import struct

CAPS = "tests/golden/captures/"
OUT = "tests/fuzz/corpus/"


def records(path):
    b = open(path, "rb").read()
    at = 24
    while at + 16 <= len(b):
        cap = struct.unpack_from("<I", b, at + 8)[0]
        yield b[at + 16:at + 16 + cap]
        at += 16 + cap


def fragment(frame, ids):
    """The harness's record for a fragment frame, or None."""
    etype = struct.unpack_from("!H", frame, 12)[0]
    if etype == 0x0800:
        hl = (frame[14] & 0xf) * 4
        fo = struct.unpack_from("!H", frame, 20)[0]
        if fo & 0x3fff == 0:
            return None
        key, proto, v6 = frame[18:20] + frame[26:34], frame[23], 0
        payload = frame[14 + hl:14 + struct.unpack_from("!H", frame, 16)[0]]
        off, more = fo & 0x1fff, (fo >> 13) & 1
    elif etype == 0x86dd and frame[20] == 44:
        fo = struct.unpack_from("!H", frame, 56)[0]
        key, proto, v6 = frame[58:62] + frame[22:54], frame[54], 1
        payload = frame[62:54 + struct.unpack_from("!H", frame, 18)[0]]
        off, more = fo >> 3, fo & 1
    else:
        return None
    which = ids.setdefault(key, len(ids) % 4)
    ctl = v6 | which << 1 | more << 3 | (0x10 if proto == 17 else 0)
    return struct.pack("!BHH", ctl, off, len(payload)) + payload


def main():
    for name in ("frag", "defrag", "defrag-reordered"):
        ids, seq = {}, b""
        for frame in records(CAPS + name + ".pcap"):
            rec = fragment(frame, ids)
            if rec:
                seq += rec
        open(OUT + "defrag/" + name, "wb").write(seq)
    frames = [f for f in records(CAPS + "defrag-reordered.pcap") if fragment(f, {})]
    for i in (0, 1, 2, len(frames) - 2, len(frames) - 1):
        open(OUT + "dissect/fragment-%02d" % i, "wb").write(b"\0" + frames[i])


if __name__ == "__main__":
    main()
