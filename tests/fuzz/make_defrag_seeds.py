#!/usr/bin/python3
"""Seeds for the fuzz harnesses from the real fragments of the golden captures.

  tests/fuzz/make_defrag_seeds.py

corpus/defrag/: each capture's fragments as the sequence tests/fuzz/defrag.c
reads (ctl, offset, len, payload); corpus/dissect/: a few single fragment
frames (link type byte 0, Ethernet).
"""
import struct
import sys

sys.path.insert(0, "tests/golden")
from reorder_fragments import fragment_of, read_pcap  # noqa: E402

CAPS = "tests/golden/captures/"
OUT = "tests/fuzz/corpus/"


def records(path):
    return [r[2] for r in read_pcap(path)[1]]


def fragment(frame, ids):
    """The harness's record for a fragment frame, or None."""
    info = fragment_of(frame)
    if not info:
        return None
    family, key, offset, more, hlen = info
    if family == 4:
        end, proto = 14 + struct.unpack_from("!H", frame, 16)[0], frame[23]
    else:
        end, proto = 54 + struct.unpack_from("!H", frame, 18)[0], frame[54]
    which = ids.setdefault(key, len(ids) % 4)
    ctl = (family == 6) | which << 1 | more << 3 | (0x10 if proto == 17 else 0)
    payload = frame[hlen:end]
    return struct.pack("!BHH", ctl, offset // 8, len(payload)) + payload


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
