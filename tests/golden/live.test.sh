#!/usr/bin/env bash
# A live recording each run: `gotracer capture -w` on a veth in a namespace while
# real dig, curl, openssl s_client and ping talk to real servers (peers.sh).
# tshark must read the pcapng without a warning, with the same packets, stamps,
# lengths and directions as the live JSON lines; the file's fields must equal
# tshark's (compare.py); the statistics blocks carry the kernel's counters.
# Also: classic pcap for *.pcap, and a file that cannot be written.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start "${GT_SUITE:-golden-live}"
. tests/netns/capture_lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v tshark >/dev/null || ! command -v jq >/dev/null; then
	t_skip live "needs root, tshark and jq"
	t_done; exit
fi
work=$T

# Stamps, lengths and directions of the live JSON lines against tshark's reading of the file.
check_frames() {
	local json=$1 file=$2
	tshark -r "$file" -T fields -e frame.time_epoch -e frame.len -e frame.cap_len \
		-e frame.packet_flags_direction -e frame.interface_name 2>/dev/null >"$T/frames.tsv"
	/usr/bin/python3 - "$json" "$T/frames.tsv" <<-'EOF'
	import json, sys
	ours = [json.loads(l) for l in open(sys.argv[1])]
	theirs = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
	dirs = {"0x00000001": "in", "0x00000002": "out"}
	bad = []
	if len(ours) != len(theirs):
	    bad.append(f"{len(ours)} live packets, {len(theirs)} in the file")
	for i, (o, t) in enumerate(zip(ours, theirs), 1):
	    ts, length, cap, d, ifname = t
	    if abs(float(ts) - o["ts"]) > 1.5e-6 or str(o["len"]) != length \
	            or str(o["caplen"]) != cap or dirs.get(d) != o.get("dir") \
	            or ifname != o.get("iface"):
	        bad.append(f"#{i}: live {o['ts']} {o['len']} {o['caplen']} {o.get('dir')} "
	                   f"{o.get('iface')}, file {ts} {length} {cap} {d} {ifname}")
	print("\n".join(bad[:10]))
	sys.exit(1 if bad else 0)
	EOF
}

# The Interface Statistics Blocks: "IFACE_ID IFRECV IFDROP OSDROP" per block.
isb_values() {
	/usr/bin/python3 - "$1" <<-'EOF'
	import struct, sys
	b = open(sys.argv[1], "rb").read()
	at = 0
	while at + 12 <= len(b):
	    typ, total = struct.unpack_from("<II", b, at)
	    if typ == 5:
	        opts, end = at + 20, at + total - 4
	        vals = {}
	        while opts + 4 <= end:
	            code, olen = struct.unpack_from("<HH", b, opts)
	            if code == 0:
	                break
	            if olen == 8:
	                vals[code] = struct.unpack_from("<Q", b, opts + 4)[0]
	            opts += 4 + (olen + 3) // 4 * 4
	        iface = struct.unpack_from("<I", b, at + 8)[0]
	        print(iface, vals.get(4), vals.get(5), vals.get(7), 2 in vals and 3 in vals)
	    at += total
	EOF
}

test_live_pcapng() {
	local n seen drops warn out
	gt_topology gl || { t_fail live_pcapng "no topology"; return; }
	. tests/golden/peers.sh
	start_servers || { t_fail live_pcapng "servers did not start"; return; }
	gt_bg live capture -i gt0 --json -w "$T/live.pcapng" ||
		{ t_fail live_pcapng "did not attach: $(cat "$T/live.err")"; return; }
	dig_all
	http_all
	http_segmented
	tls_one -tls1_2
	tls_one -tls1_3
	ping_all
	ping_fragmented
	udp_fragmented
	sleep 0.5
	gt_stop INT || { t_fail live_pcapng "capture did not stop cleanly: $(cat "$T/live.err")"; return; }

	warn=$(tshark -r "$T/live.pcapng" 2>&1 >/dev/null | grep -v '^Running as user')
	t_eq "tshark reads the pcapng without warnings" "$warn" ""
	n=$(tshark -r "$T/live.pcapng" 2>/dev/null | wc -l)
	if [ "$n" -ge 60 ] && [ "$n" = "$(wc -l <"$T/live.out")" ] &&
		grep -q "^$n packets captured$" "$T/live.err"; then
		t_ok "pcapng holds the $n packets captured"
	else
		t_fail "pcapng packet count" "tshark $n, live $(wc -l <"$T/live.out"), $(cat "$T/live.err")"
	fi
	out=$(check_frames "$T/live.out" "$T/live.pcapng") &&
		t_ok "stamps, lengths, directions, interface equal the live lines" ||
		t_fail "stamps, lengths, directions, interface" "$out"
	# fresh traffic: a segment the loaded machine dropped is compared on its headers
	out=$(/usr/bin/python3 tests/golden/compare.py "$GOTRACER" "$T/live.pcapng" --max-report 40 \
		--headers-after-loss 2>&1) &&
		t_ok "live $(tail -1 <<<"$out")" || t_fail "live capture fields equal tshark's" "$out"
	# IP fragments rebuilt live, in the packets where tshark rebuilds them from the file
	out=$(jq -r 'select(.layers.ip["ip.fragment"] or .layers.ipv6["ipv6.fragment"]) |
		"\(.no) \(.proto) \(.layers.ip["ip.fragment"] // .layers.ipv6["ipv6.fragment"] | join(","))"' \
		"$T/live.out" | tr '\n' ';')
	want=$(tshark -r "$T/live.pcapng" -Y 'ip.fragment or ipv6.fragment' -T fields -e frame.number \
		-e _ws.col.Protocol -e ip.fragment -e ipv6.fragment 2>/dev/null |
		awk -F'\t' '{print $1, tolower($2), $3 $4}' | tr '\n' ';')
	if [ "$(grep -o ';' <<<"$want" | wc -l)" -ge 8 ] && [ "$out" = "$want" ]; then
		t_ok "live: fragmented pings, UDP and DNS rebuilt as tshark rebuilds the file: $out"
	else
		t_fail "live IP reassembly" "live '$out' tshark '$want'"
	fi
	# the reading of the file shows what the live capture showed
	"$GOTRACER" read --json "$T/live.pcapng" >"$T/read.out" 2>&1
	out=$(diff <(jq -c '[.no, .ts, .len, .dir, .iface, .layers.eth, .layers.ip, .layers.ipv6, .layers.udp, .layers.icmp]' "$T/live.out") \
		<(jq -c '[.no, .ts, .len, .dir, .iface, .layers.eth, .layers.ip, .layers.ipv6, .layers.udp, .layers.icmp]' "$T/read.out") | head -6)
	t_eq "read of the file equals the live lines (interface, direction, L2-L4)" "$out" ""

	out=$(capinfos "$T/live.pcapng" 2>&1)
	if grep -q "Capture application: GoTracer" <<<"$out" &&
		grep -q "Time precision = nanoseconds (9)" <<<"$out" &&
		grep -q "Name = gt0" <<<"$out" && grep -q "Number of stat entries = 1" <<<"$out"; then
		t_ok "capinfos: GoTracer, gt0, nanoseconds, one statistics block"
	else
		t_fail "capinfos" "$out"
	fi
	seen=$(sed -n 's/^\([0-9]*\) packets seen by the kernel$/\1/p' "$T/live.err")
	drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$T/live.err")
	t_eq "isb: ifrecv, ifdrop, osdrop, start and end times" "$(isb_values "$T/live.pcapng")" \
		"0 $seen $drops 0 True"
}

test_live_classic_pcap() {
	local out
	gt_bg lpcap capture -i gt0 -c 6 -w "$T/live.pcap" icmp ||
		{ t_fail live_pcap "did not attach: $(cat "$T/lpcap.err")"; return; }
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 || { t_fail live_pcap "capture -c 6 did not end"; return; }
	out=$(capinfos -t -c "$T/live.pcap" 2>&1)
	if grep -q "nanosecond" <<<"$out" && grep -q "Number of packets:.* 6$" <<<"$out" &&
		[ -z "$(tshark -r "$T/live.pcap" 2>&1 >/dev/null | grep -v '^Running as user')" ]; then
		t_ok "classic pcap (nanosecond) with the 6 packets, read without warnings"
	else
		t_fail "classic pcap" "$out"
	fi
	t_eq "-w alone prints no packet lines (as tcpdump)" "$(wc -l <"$T/lpcap.out")" 0
	gt_bg lprint capture -i gt0 -c 2 -w "$T/print.pcap" --print icmp ||
		{ t_fail live_print "did not attach: $(cat "$T/lprint.err")"; return; }
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 || { t_fail live_print "capture -c 2 did not end"; return; }
	t_eq "-w with --print prints a line per packet" "$(grep -c ' ICMP ' "$T/lprint.out")" 2
}

# two interfaces in one file: an IDB and an ISB each, every packet on its own
test_live_two_interfaces() {
	local got want
	gt_bg two capture -i gt0 -i lo -w "$T/two.pcapng" icmp ||
		{ t_fail two_interfaces "did not attach: $(cat "$T/two.err")"; return; }
	in_a ping -c 2 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	in_a ping -c 2 -i 0.2 -q 127.0.0.1 >/dev/null
	sleep 0.3
	gt_stop INT || { t_fail two_interfaces "capture did not stop cleanly"; return; }
	got=$(tshark -r "$T/two.pcapng" -T fields -e frame.interface_name -e frame.packet_flags_direction \
		-e ip.dst 2>/dev/null | sort | uniq -c | awk '{print $1, $2, $3, $4}' | tr '\n' ';')
	# gt0: 2 requests out, 2 replies in; lo: each of 4 messages seen out and in
	want="2 gt0 0x00000001 10.200.0.1;2 gt0 0x00000002 10.200.0.2;4 lo 0x00000001 127.0.0.1;4 lo 0x00000002 127.0.0.1;"
	t_eq "two interfaces: packets, interface names and directions" "$got" "$want"
	got=$(isb_values "$T/two.pcapng" | cut -d' ' -f1 | tr '\n' ' ')
	t_eq "two interfaces: one statistics block each" "$got" "0 1 "
	got=$("$GOTRACER" read --json "$T/two.pcapng" | jq -r .iface | sort | uniq -c | awk '{print $1, $2}' | tr '\n' ';')
	t_eq "read names each packet's interface" "$got" "4 gt0;8 lo;"
}

test_unwritable_file() {
	local out rc
	out=$(in_a "$GOTRACER" capture -i gt0 -c 1 -w /nonexistent/dir/x.pcapng 2>&1); rc=$?
	if [ "$rc" -ne 0 ] && grep -q "cannot write /nonexistent/dir/x.pcapng: No such file" <<<"$out" &&
		! gt_attached; then
		t_ok "unwritable -w file: exit $rc, nothing left attached"
	else
		t_fail "unwritable -w file" "rc $rc: $out"
	fi
}

test_live_pcapng
test_live_classic_pcap
test_live_two_interfaces
test_unwritable_file
t_done
