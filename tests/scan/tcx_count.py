#!/usr/bin/python3
"""Print how many BPF programs are attached at tcx ingress of IFACE in this netns.

bpftool 7.1 (Debian 12) does not show tcx links yet, so ask the kernel
directly: BPF_PROG_QUERY with attach type BPF_TCX_INGRESS on the ifindex.
"""
import ctypes
import os
import socket
import sys

NR_BPF = 321            # x86_64
BPF_PROG_QUERY = 16
BPF_TCX_INGRESS = 46


class Query(ctypes.Structure):
    _fields_ = [
        ("target_ifindex", ctypes.c_uint32),
        ("attach_type", ctypes.c_uint32),
        ("query_flags", ctypes.c_uint32),
        ("attach_flags", ctypes.c_uint32),
        ("prog_ids", ctypes.c_uint64),
        ("prog_cnt", ctypes.c_uint32),
        ("pad", ctypes.c_uint32),
        ("prog_attach_flags", ctypes.c_uint64),
        ("link_ids", ctypes.c_uint64),
        ("link_attach_flags", ctypes.c_uint64),
        ("revision", ctypes.c_uint64),
    ]


def main():
    if len(sys.argv) != 2:
        print("usage: tcx_count.py IFACE", file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    q = Query(target_ifindex=socket.if_nametoindex(sys.argv[1]),
              attach_type=BPF_TCX_INGRESS)
    if libc.syscall(NR_BPF, BPF_PROG_QUERY, ctypes.byref(q), ctypes.sizeof(q)) != 0:
        err = ctypes.get_errno()
        print(f"tcx_count: BPF_PROG_QUERY failed: {os.strerror(err)}", file=sys.stderr)
        return 1
    print(q.prog_cnt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
