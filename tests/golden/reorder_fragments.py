#!/usr/bin/python3
"""Rewrites the real fragments of a capture the way a network may deliver them.

  reorder_fragments.py IN.pcap OUT.pcap

IN is an Ethernet pcap with (at least) two fragmented IPv4 datagrams and two
fragmented IPv6 ones, in that order of appearance per family (record.sh's
defrag case). Frames that are not fragments stay where they are; the
fragments of each datagram are written, at the place of its first one, as:

  IPv4 #1: the last fragment first, then the others; then the last again
           (a copy after the datagram was rebuilt starts a new one)
  IPv4 #2: the first fragment twice (a duplicate), the middle one as two
           overlapping fragments, then the last
  IPv6 #1: the middle fragment as two overlapping fragments, the later one
           first, between the first and the last
  IPv6 #2: the last fragment lost: the datagram never completes

Overlapping parts carry the same bytes (the original's), so every policy of
"which copy wins" rebuilds the same datagram. IPv4 header checksums are
recomputed for the new headers.
"""
import struct
import sys


def read_pcap(path):
    b = open(path, "rb").read()
    hdr, at, recs = b[:24], 24, []
    while at + 16 <= len(b):
        sec, frac, cap, orig = struct.unpack_from("<IIII", b, at)
        recs.append([sec, frac, b[at + 16:at + 16 + cap], orig])
        at += 16 + cap
    return hdr, recs


def ip_checksum(h):
    s = sum(struct.unpack("!%dH" % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def fragment_of(frame):
    """(family, key, offset, more, header length) of a fragment, or None."""
    etype = struct.unpack_from("!H", frame, 12)[0]
    if etype == 0x0800:
        hl = (frame[14] & 0xf) * 4
        fo = struct.unpack_from("!H", frame, 20)[0]
        if fo & 0x3fff == 0:
            return None
        key = (4, frame[26:34], frame[23], frame[18:20])
        return 4, key, (fo & 0x1fff) * 8, bool(fo & 0x2000), 14 + hl
    if etype == 0x86dd and frame[20] == 44:
        fo = struct.unpack_from("!H", frame, 56)[0]
        key = (6, frame[22:54], frame[58:62])
        return 6, key, fo & 0xfff8, bool(fo & 1), 14 + 40 + 8
    return None


def refragment(frame, family, hlen, offset, start, end, more):
    """The fragment frame carrying bytes [start, end) of frame's payload."""
    head = bytearray(frame[:hlen])
    payload = frame[hlen + start:hlen + end]
    fo = offset + start
    if family == 4:
        struct.pack_into("!H", head, 16, hlen - 14 + len(payload))
        struct.pack_into("!H", head, 20, (fo // 8) | (0x2000 if more else 0))
        struct.pack_into("!H", head, 24, 0)
        struct.pack_into("!H", head, 24, ip_checksum(bytes(head[14:hlen])))
    else:
        struct.pack_into("!H", head, 18, 8 + len(payload))
        struct.pack_into("!H", head, 56, fo | (1 if more else 0))
    return bytes(head) + payload


def overlapping(rec, info):
    """A middle fragment as two that overlap in their middle third."""
    family, _, offset, more, hlen = info
    n = len(rec[2]) - hlen
    a, b = (n * 2 // 3) // 8 * 8, (n // 3) // 8 * 8
    first = refragment(rec[2], family, hlen, offset, 0, a, True)
    second = refragment(rec[2], family, hlen, offset, b, n, more)
    return [rec[:2] + [first, len(first)], rec[:2] + [second, len(second)]]


def main():
    hdr, recs = read_pcap(sys.argv[1])
    groups, order = {}, []
    for r in recs:
        info = fragment_of(r[2])
        if info:
            if info[1] not in groups:
                groups[info[1]] = []
                order.append(info[1])
            groups[info[1]].append((r, info))
    v4 = [k for k in order if k[0] == 4]
    v6 = [k for k in order if k[0] == 6]
    if len(v4) < 2 or len(v6) < 2 or any(len(groups[k]) != 3 for k in v4[:2] + v6[:2]):
        sys.exit("reorder_fragments: want two IPv4 and two IPv6 datagrams of 3 fragments")
    plans = {}
    (f0, i0), (f1, i1), (f2, i2) = groups[v4[0]]
    plans[v4[0]] = [f2, f0, f1, f2]
    (f0, i0), (f1, i1), (f2, i2) = groups[v4[1]]
    plans[v4[1]] = [f0, f0] + overlapping(f1, i1) + [f2]
    (f0, i0), (f1, i1), (f2, i2) = groups[v6[0]]
    plans[v6[0]] = [f0] + overlapping(f1, i1)[::-1] + [f2]
    (f0, i0), (f1, i1), (f2, i2) = groups[v6[1]]
    plans[v6[1]] = [f0, f1]

    out, done = [], set()
    for r in recs:
        info = fragment_of(r[2])
        if not info or info[1] not in plans:
            out.append(r)
        elif info[1] not in done:
            done.add(info[1])
            out.extend(plans[info[1]])
    with open(sys.argv[2], "wb") as f:
        f.write(hdr)
        for sec, frac, data, orig in out:
            f.write(struct.pack("<IIII", sec, frac, len(data), orig) + data)


if __name__ == "__main__":
    main()
