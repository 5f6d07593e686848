#!/usr/bin/env bash
# Records the golden captures: real clients against real servers in two network
# namespaces (scripts/netns.sh), captured by tcpdump, the reference recorder.
#   tests/golden/record.sh [OUTDIR] [CASE...]   (default: tests/golden/captures, all cases)
# Cases: dns http httpseg tls12 tls13 icmp frag defrag retrans (Ethernet, pcap), and any (the ping and DNS
# cases again on tcpdump's "any" device: Linux cooked v2 with directions).
# Each case writes OUTDIR/CASE.pcap; "pcapng" also converts http to pcapng, and
# "raw" rewrites dns.pcap as raw IP (LINKTYPE_RAW: Ethernet headers dropped).
# Needs root. Sends traffic only between the namespaces it creates.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/netns.sh

out=${1:-tests/golden/captures}
shift || true
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(dns http httpseg tls12 tls13 icmp frag defrag retrans any pcapng raw)
mkdir -p "$out"
out=$(cd "$out" && pwd)

P=gtfrec$$
work=$(mktemp -d)
cleanup() {
	netns_teardown "$P"
	rm -rf "$work"
}
trap cleanup EXIT

netns_pair "$P" >/dev/null
source tests/golden/peers.sh

# record FILE IFACE CMD...: tcpdump on IFACE in $P-a while CMD runs
record() {
	local file=$1 ifc=$2
	shift 2
	# not through in_a: $! must be tcpdump itself, for the SIGINT that stops it
	rm -f "$work/tcpdump.log"
	ip netns exec "$P-a" tcpdump -i "$ifc" -n -U --immediate-mode -s 0 --time-stamp-precision=nano -Z root \
		-w "$file" >"$work/tcpdump.log" 2>&1 &
	local pid=$! i
	for i in $(seq 50); do
		grep -qs "listening on" "$work/tcpdump.log" && break
		sleep 0.1
	done
	"$@"
	sleep 0.5
	kill -INT "$pid"
	wait "$pid" || true
	echo "record: $(basename "$file"): $(grep -o '[0-9]* packets captured' "$work/tcpdump.log")"
}

start_servers
for c in "${cases[@]}"; do
	case $c in
	dns) record "$out/dns.pcap" gt0 dig_all ;;
	http) record "$out/http.pcap" gt0 http_all ;;
	httpseg) record "$out/httpseg.pcap" gt0 http_segmented ;;
	tls12) record "$out/tls12.pcap" gt0 tls_one -tls1_2 ;;
	tls13) record "$out/tls13.pcap" gt0 tls_one -tls1_3 ;;
	icmp) record "$out/icmp.pcap" gt0 ping_all ;;
	frag) record "$out/frag.pcap" gt0 ping_fragmented ;;
	defrag)
		record "$out/defrag.pcap" gt0 udp_fragmented
		# the same fragments out of order, duplicated, overlapping, one lost
		/usr/bin/python3 tests/golden/reorder_fragments.py "$out/defrag.pcap" \
			"$out/defrag-reordered.pcap"
		echo "record: defrag-reordered.pcap: defrag.pcap's fragments reordered" ;;
	retrans) record "$out/retrans.pcap" gt0 tcp_retransmitted ;;
	any) record "$out/any.pcap" any bash -c "$(declare -f in_a dig_all ping_all); NETNS_P=$P SRV=$SRV SRV6=$SRV6; dig_all; ping_all" ;;
	pcapng)
		[ -f "$out/http.pcap" ] || record "$out/http.pcap" gt0 http_all
		editcap -F pcapng "$out/http.pcap" "$out/http.pcapng"
		echo "record: http.pcapng: converted from http.pcap" ;;
	raw)
		[ -f "$out/dns.pcap" ] || record "$out/dns.pcap" gt0 dig_all
		/usr/bin/python3 - "$out/dns.pcap" "$out/raw.pcap" <<-'EOF'
		import struct, sys
		b = open(sys.argv[1], "rb").read()
		hdr = bytearray(b[:24])
		struct.pack_into("<I", hdr, 20, 101)  # LINKTYPE_RAW
		out, at = [bytes(hdr)], 24
		while at + 16 <= len(b):
		    sec, frac, cap, orig = struct.unpack_from("<IIII", b, at)
		    frame = b[at + 16:at + 16 + cap]
		    out.append(struct.pack("<IIII", sec, frac, cap - 14, orig - 14) + frame[14:])
		    at += 16 + cap
		open(sys.argv[2], "wb").write(b"".join(out))
		EOF
		echo "record: raw.pcap: dns.pcap without its Ethernet headers" ;;
	*) echo "record: unknown case $c" >&2; exit 2 ;;
	esac
done
