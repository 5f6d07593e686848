#!/usr/bin/python3
"""Compares GoTracer's dissection of a capture file with tshark's, field by field.

  compare.py GOTRACER FILE [--fields a,b,...] [--max-report N] [--where-tshark-has]
             [--tshark-opt PREF:VALUE]... [--headers-after-loss] [--tcp-info]
  compare.py GOTRACER FILE --all   every field we show that tshark knows (a survey,
                                   not the test: some differences are by design)

Runs `GOTRACER read --json FILE` and `tshark -r FILE -T json -e FIELD ...` and
compares, packet by packet, every field of the list (tshark's display-filter
names; repeated fields compared as lists, in order). Also compares the frame
itself: count, timestamp, length, captured length, Protocol column. Prints one
line per mismatch:
  FILE #NO FIELD: ours [...] tshark [...]
then a summary line; exits 1 when anything differs.

--headers-after-loss is for traffic recorded afresh, where a loaded machine may
drop a segment: from the first frame of a TCP connection that tshark's sequence
analysis flags (retransmission, out-of-order, lost segment...), that
connection's frames are compared on their headers only (HEADERS). After a loss
tshark's defaults give up messages we rebuild (docs/dissection.md);
retrans.pcap tests the retransmissions themselves.

--tcp-info also compares the Info column on plain TCP frames: those tshark shows
as protocol TCP, with TCP's own summary ("PORT → PORT [FLAGS] Seq=..."), and
without sequence analysis flags (its "[TCP Dup ACK 15#1]", "[TCP Window Update]",
"[TCP Retransmission]"... labels, which we do not add).
"""
import argparse
import json
import subprocess
import sys

FIELDS = """
eth.src eth.dst eth.type
ip.src ip.dst ip.ttl ip.proto ip.len ip.id ip.flags ip.hdr_len ip.dsfield ip.flags.df
ip.frag_offset ip.checksum
ipv6.src ipv6.dst ipv6.nxt ipv6.plen ipv6.hlim ipv6.tclass ipv6.flow
tcp.srcport tcp.dstport tcp.flags tcp.seq_raw tcp.ack_raw tcp.len tcp.window_size_value
tcp.seq tcp.ack tcp.nxtseq tcp.window_size tcp.window_size_scalefactor
tcp.hdr_len tcp.checksum tcp.urgent_pointer tcp.options.mss_val tcp.options.wscale.shift
tcp.options.timestamp.tsval
udp.srcport udp.dstport udp.length udp.checksum
icmp.type icmp.code icmp.seq icmp.ident icmp.checksum
icmpv6.type icmpv6.code icmpv6.checksum icmpv6.nd.ns.target_address
icmp.resp_to icmp.resptime icmpv6.resp_to icmpv6.resptime dns.response_to dns.time
arp.opcode arp.src.proto_ipv4 arp.dst.proto_ipv4
dns.id dns.flags dns.flags.response dns.flags.authoritative dns.flags.rcode
dns.count.queries dns.count.answers dns.count.auth_rr dns.count.add_rr
dns.qry.name dns.qry.type dns.a dns.aaaa dns.cname dns.mx.mail_exchange
dns.mx.preference dns.txt dns.resp.ttl dns.resp.name dns.resp.type dns.resp.class
dns.resp.len dns.rr.udp_payload_size
http.request.method http.request.uri http.request.version http.request.full_uri http.host
http.user_agent http.accept http.response.code http.response.phrase http.content_type
http.content_length http.transfer_encoding http.server http.date http.connection
tls.record.version tls.record.content_type tls.record.length tls.handshake.type
tls.handshake.length tls.handshake.version tls.handshake.random tls.handshake.session_id
tls.handshake.extensions_server_name tls.handshake.extensions_alpn_str
tls.handshake.ciphersuite tls.handshake.extension.type
tls.handshake.extensions.supported_version tls.handshake.extensions_supported_group
tls.handshake.sig_hash_alg tls.handshake.extensions_key_share_group
tls.handshake.certificate_length
sll.pkttype sll.ifindex sll.etype
""".split()

# the fields below the application layer, compared everywhere
HEADERS = [f for f in FIELDS if f.split(".")[0] in
           ("eth", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "arp", "sll")]

LOSS = ("tcp.analysis.retransmission or tcp.analysis.out_of_order or "
        "tcp.analysis.fast_retransmission or tcp.analysis.spurious_retransmission or "
        "tcp.analysis.lost_segment")


def lossy_frames(path):
    """Frame numbers (1-based) at or after a loss in their TCP connection."""
    def fields(*extra):
        out = subprocess.run(["tshark", "-r", path, *extra, "-T", "fields",
                              "-e", "frame.number", "-e", "tcp.stream"],
                             capture_output=True, text=True).stdout
        return [l.split("\t") for l in out.splitlines()]
    first = {}
    for no, stream in fields("-Y", LOSS):
        first.setdefault(stream, int(no))
    return {int(no) for no, stream in fields()
            if stream in first and int(no) >= first[stream]}


def flatten(layers):
    """Our layers: {"ip": {"ip.src": "...", ...}, ...} -> {"ip.src": [...]}"""
    out = {}

    def walk(obj):
        for key, val in obj.items():
            if isinstance(val, dict):
                walk(val)
            elif isinstance(val, list):
                out.setdefault(key, []).extend(str(v) for v in val)
            else:
                out.setdefault(key, []).append(str(val))

    walk(layers)
    return out


def norm(field, values):
    """Representation details that carry no meaning: hex case, tshark's empty bytes."""
    out = []
    for v in values:
        if v.startswith("0x"):
            v = v.lower()
        elif v == "<none>":
            v = ""
        out.append(v)
    return out


def short(values):
    """A list for a report line: long byte strings cut, with their length."""
    return "[" + ", ".join(repr(v) if len(v) <= 80 else f"'{v[:60]}...' ({len(v)} chars)"
                           for v in values) + "]"


def run_ours(gotracer, path):
    proc = subprocess.run([gotracer, "read", "--json", path], capture_output=True, text=True)
    packets = []
    for line in proc.stdout.splitlines():
        try:
            packets.append(json.loads(line))
        except json.JSONDecodeError as e:
            packets.append({"_bad_json": str(e)})
    return proc.returncode, proc.stderr.strip(), packets


def tshark_value_fields():
    """Names of tshark's fields that carry a value (not FT_NONE/FT_PROTOCOL)."""
    out = subprocess.run(["tshark", "-G", "fields"], capture_output=True, text=True).stdout
    return {c[2] for c in (l.split("\t") for l in out.splitlines())
            if len(c) > 3 and c[0] == "F" and c[3] not in ("FT_NONE", "FT_PROTOCOL")}


def run_tshark(path, fields, extra=()):
    cmd = ["tshark", "-r", path, *extra, "-T", "json", "-e", "frame.time_epoch", "-e", "frame.len",
           "-e", "frame.cap_len", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info",
           "-e", "tcp.analysis.flags"]
    for f in fields:
        cmd += ["-e", f]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"compare: tshark failed on {path}: {proc.stderr.strip()}")
    return [p["_source"]["layers"] for p in json.loads(proc.stdout or "[]")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gotracer")
    ap.add_argument("file")
    ap.add_argument("--fields", help="comma-separated list instead of the default")
    ap.add_argument("--max-report", type=int, default=200)
    ap.add_argument("--tshark-opt", action="append", default=[], metavar="PREF:VALUE",
                    help="a tshark preference (-o), e.g. ip.defragment:FALSE")
    ap.add_argument("--all", action="store_true",
                    help="every field we show that tshark knows")
    ap.add_argument("--where-tshark-has", action="store_true",
                    help="compare only fields tshark shows (cut frames: we may show more)")
    ap.add_argument("--headers-after-loss", action="store_true",
                    help="a TCP connection's frames from its first loss: headers only")
    ap.add_argument("--tcp-info", action="store_true",
                    help="the Info column of plain TCP frames (no analysis flags)")
    args = ap.parse_args()
    fields = args.fields.split(",") if args.fields else FIELDS
    name = args.file.rsplit("/", 1)[-1]

    rc, err, ours = run_ours(args.gotracer, args.file)
    if args.all:
        known = tshark_value_fields()
        fields = sorted({k for o in ours for k in flatten(o.get("layers", {}))} & known)
    theirs = run_tshark(args.file, fields, [a for o in args.tshark_opt for a in ("-o", o)])
    problems = []
    compared = 0
    lossy = lossy_frames(args.file) if args.headers_after_loss else set()

    if rc != 0:
        problems.append(f"{name}: gotracer read exited {rc}: {err}")
    if len(ours) != len(theirs):
        problems.append(f"{name}: {len(ours)} packets, tshark {len(theirs)}")
    for i, (o, t) in enumerate(zip(ours, theirs), 1):
        if "_bad_json" in o:
            problems.append(f"{name} #{i}: not JSON: {o['_bad_json']}")
            continue
        if o.get("no") != i:
            problems.append(f"{name} #{i}: numbered {o.get('no')}")
        ts = float(t["frame.time_epoch"][0])
        if abs(float(o.get("ts", 0)) - ts) > 1.5e-6:
            problems.append(f"{name} #{i} frame.time_epoch: ours {o.get('ts')} tshark {ts}")
        for ours_key, key in (("len", "frame.len"), ("caplen", "frame.cap_len")):
            if str(o.get(ours_key)) != t[key][0]:
                problems.append(f"{name} #{i} {key}: ours {o.get(ours_key)} tshark {t[key][0]}")
        # the Protocol column, which our "proto" spells in lower case (not on cut
        # frames: tshark names the protocol of a few bytes, we may not)
        col = t.get("_ws.col.Protocol", [""])[0].lower()
        if not args.where_tshark_has and i not in lossy and o.get("proto") != col:
            problems.append(f"{name} #{i} _ws.col.Protocol: ours {o.get('proto')} tshark {col}")
        info = t.get("_ws.col.Info", [""])[0]
        if (args.tcp_info and col == "tcp" and "tcp.analysis.flags" not in t
                and " \u2192 " in info.split(" [", 1)[0]):
            compared += 1
            if o.get("info") != info:
                problems.append(f"{name} #{i} _ws.col.Info: ours {o.get('info')!r} "
                                f"tshark {info!r}")
        mine = flatten(o.get("layers", {}))
        for f in fields:
            if i in lossy and f not in HEADERS:
                continue
            a = norm(f, mine.get(f, []))
            b = norm(f, t.get(f, []))
            if not b and (not a or args.where_tshark_has):
                continue
            compared += 1
            if a != b:
                problems.append(f"{name} #{i} {f}: ours {short(a)} tshark {short(b)}")

    for p in problems[: args.max_report]:
        print(p)
    if len(problems) > args.max_report:
        print(f"... {len(problems) - args.max_report} more")
    after = f" ({len(lossy)} after a TCP loss: headers only)" if lossy else ""
    print(f"{name}: {len(ours)} packets{after}, {compared} field values compared, "
          f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
