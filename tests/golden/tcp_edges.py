#!/usr/bin/python3
"""Writes a pcap of crafted TCP connections on the edges of Wireshark's relative
sequence numbers and window scaling, one connection (client port) per case:

  tcp_edges.py OUT.pcap

nosyn        a flow whose handshake was not captured (scale unknown)
synonly      the SYN seen, its SYN-ACK not
synackonly   the SYN-ACK seen, its SYN not
onews        only the SYN offers window scaling (neither side scales)
onews2       only the SYN-ACK offers it
rst          an RST-ACK to a SYN, the same SYN again, a bare RST with ACK 0
reuse        a new connection on the same 5-tuple after FIN
reuse_nofin  a new connection on the same 5-tuple without FIN
wrap         sequence numbers that wrap around 2^32
noack        segments without the ACK flag before any handshake
bigshift     a window scale shift above 14 (counts as 14)
wsnonsyn     window scale options outside the handshake (they count from the next segment)
quoted       a segment quoted in an ICMP error (raw numbers, its flow's scale factor)

golden.test.sh compares GoTracer's reading of it with tshark's.
"""
import struct
import sys

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SERVER_PORT = 5001
F, S, R, P, K = 1, 2, 4, 8, 16


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, sport, dport, seq, ack, flags, win, ws=None, payload=b""):
    opts = b"\x01\x03\x03" + bytes([ws]) if ws is not None else b""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      (20 + len(opts)) // 4 << 4, flags, win, 0, 0) + opts + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp


def icmp_unreachable(inner):
    """An ICMP host unreachable from 10.0.0.9 quoting the IP packet of frame inner."""
    icmp = struct.pack("!BBHI", 3, 1, 0, 0) + inner[14:14 + 40]
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                     bytes([10, 0, 0, 9]), CLIENT)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x09\x08\x00" + ip + icmp


def case(name, port):
    def c2s(*a, **k):
        return frame(CLIENT, SERVER, port, SERVER_PORT, *a, **k)

    def s2c(*a, **k):
        return frame(SERVER, CLIENT, SERVER_PORT, port, *a, **k)
    return {
        "nosyn": [c2s(1000, 5000, K | P, 100, payload=b"x" * 10), s2c(5000, 1010, K, 200),
                  s2c(5000, 1010, K | P, 200, payload=b"y" * 5), c2s(1010, 5005, K | F, 100),
                  s2c(5005, 1011, K | F, 200), c2s(1011, 5006, K, 100)],
        "synonly": [c2s(1000, 0, S, 64240, ws=7), c2s(1001, 5001, K, 100),
                    s2c(5001, 1001, K | P, 300, payload=b"y" * 5), c2s(1001, 5006, K, 100)],
        "synackonly": [s2c(5000, 1001, S | K, 65000, ws=7), c2s(1001, 5001, K, 100),
                       s2c(5001, 1001, K | P, 300, payload=b"y" * 5), c2s(1001, 5006, K, 100)],
        "onews": [c2s(1000, 0, S, 64240, ws=7), s2c(5000, 1001, S | K, 65000),
                  c2s(1001, 5001, K, 100), s2c(5001, 1001, K | P, 300, payload=b"y" * 5),
                  c2s(1001, 5006, K, 100)],
        "onews2": [c2s(1000, 0, S, 64240), s2c(5000, 1001, S | K, 65000, ws=7),
                   c2s(1001, 5001, K, 100), s2c(5001, 1001, K | P, 300, payload=b"y" * 5),
                   c2s(1001, 5006, K, 100)],
        "rst": [c2s(1000, 0, S, 64240, ws=7), s2c(0, 1001, R | K, 0),
                c2s(1000, 0, S, 64240, ws=7), s2c(5000, 1001, S | K, 65000, ws=2),
                c2s(1001, 5001, K, 100), c2s(1001, 0, R, 0),
                s2c(5001, 1001, K | P, 300, payload=b"y" * 5)],
        "reuse": [c2s(1000, 0, S, 64240, ws=7), s2c(5000, 1001, S | K, 65000, ws=2),
                  c2s(1001, 5001, K | P, 100, payload=b"x" * 3), s2c(5001, 1004, K | F, 300),
                  c2s(1004, 5002, K | F, 100), s2c(5002, 1005, K, 300),
                  c2s(90000, 0, S, 64240, ws=3), s2c(777777, 90001, S | K, 65000),
                  c2s(90001, 777778, K, 100), s2c(777778, 90001, K | P, 300, payload=b"y" * 5)],
        "reuse_nofin": [c2s(1000, 0, S, 64240, ws=7), s2c(5000, 1001, S | K, 65000, ws=2),
                        c2s(1001, 5001, K | P, 100, payload=b"x" * 3),
                        c2s(90000, 0, S, 64240, ws=3), s2c(777777, 90001, S | K, 65000, ws=1),
                        c2s(90001, 777778, K, 100),
                        s2c(777778, 90001, K | P, 300, payload=b"y" * 5)],
        "wrap": [c2s(0xfffffff0, 0, S, 64240, ws=7),
                 s2c(0xfffffffa, 0xfffffff1, S | K, 65000, ws=2),
                 c2s(0xfffffff1, 0xfffffffb, K | P, 100, payload=b"x" * 20),
                 s2c(0xfffffffb, 0x5, K | P, 300, payload=b"y" * 10), c2s(0x5, 0x5, K | F, 100)],
        "noack": [c2s(1000, 5000, P, 100, payload=b"x" * 4), s2c(5000, 0, P, 200, payload=b"y" * 3),
                  c2s(1004, 5003, K, 100), s2c(5003, 1004, K, 200)],
        "bigshift": [c2s(1000, 0, S, 64240, ws=15), s2c(5000, 1001, S | K, 65000, ws=14),
                     c2s(1001, 5001, K, 3), s2c(5001, 1001, K, 4)],
        "wsnonsyn": [c2s(1000, 0, S, 64240, ws=7), s2c(5000, 1001, S | K, 65000, ws=2),
                     c2s(1001, 5001, K, 100, ws=3), c2s(1001, 5001, K, 100),
                     s2c(5001, 1001, K, 100, ws=9), s2c(5001, 1001, K, 100)],
        "quoted": [c2s(1000, 0, S, 64240, ws=7), s2c(5000, 1001, S | K, 65000, ws=2),
                   c2s(1001, 5001, K | P, 100, payload=b"x" * 10),
                   icmp_unreachable(c2s(1001, 5001, K | P, 100, payload=b"x" * 10)),
                   c2s(1011, 5001, K, 100)],
    }[name]


CASES = ["nosyn", "synonly", "synackonly", "onews", "onews2", "rst", "reuse", "reuse_nofin",
         "wrap", "noack", "bigshift", "wsnonsyn", "quoted"]


def main():
    frames = []
    for i, name in enumerate(CASES):
        frames += case(name, 40000 + i)
    with open(sys.argv[1], "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, f in enumerate(frames):
            out.write(struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f)


if __name__ == "__main__":
    main()
