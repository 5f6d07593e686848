#!/usr/bin/env bash
# Golden tests: GoTracer's dissection of real captures equals tshark's, field by
# field (tests/golden/compare.py), at full length and cut at several snap lengths;
# `gotracer read` filters as tcpdump does on the same files; damaged and
# unreadable files give one line and a non-zero exit.
# The captures in tests/golden/captures/ were recorded by tests/golden/record.sh
# (real dig/curl/openssl/ping against dnsmasq/http.server/s_server in namespaces);
# tests/golden/live.test.sh records fresh ones through gotracer capture -w.
set -u
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
t_start "${GT_SUITE:-golden}"

COMPARE=(/usr/bin/python3 tests/golden/compare.py)
CAPS=tests/golden/captures
SNAPS=(14 34 54 64 128)
# headers every frame has; cut frames are compared on these where tshark shows them
L2L4=eth.src,eth.dst,eth.type,sll.pkttype,sll.etype,ip.src,ip.dst,ip.ttl,ip.proto,ip.len
L2L4+=,ipv6.src,ipv6.dst,ipv6.nxt,tcp.srcport,tcp.dstport,tcp.flags,tcp.seq_raw,tcp.len
L2L4+=,udp.srcport,udp.dstport,udp.length,icmp.type,icmp.code,icmpv6.type
L2L4+=,tcp.seq,tcp.ack,tcp.nxtseq,tcp.window_size,tcp.window_size_scalefactor
work=$(mktemp -d)
t_on_exit rm -rf "$work"

if [ ! -x "$GOTRACER" ]; then
	t_fail "gotracer built" "$GOTRACER missing"
	t_done
	exit
fi

# compare.py must be able to fail: a gotracer whose ip.ttl is off by one
test_compare_detects_a_difference() {
	local fake=$work/fake-gotracer out
	printf '#!/bin/sh\n"%s" "$@" | sed "s/\\"ip.ttl\\":\\"64\\"/\\"ip.ttl\\":\\"65\\"/"\n' \
		"$GOTRACER" >"$fake"
	chmod +x "$fake"
	out=$("${COMPARE[@]}" "$fake" "$CAPS/icmp.pcap" 2>&1)
	if [ $? -ne 0 ] && grep -q "#3 ip.ttl: ours \['65'\] tshark \['64'\]" <<<"$out"; then
		t_ok "compare.py reports a changed field"
	else
		t_fail "compare.py reports a changed field" "$out"
	fi
}

test_fields_equal_tshark() {
	local f out
	# tshark's defaults throughout: IP fragments reassembled (ip.defragment on),
	# relative sequence numbers; the Info column of plain TCP frames too
	for f in "$CAPS"/*.pcap "$CAPS"/*.pcapng; do
		out=$("${COMPARE[@]}" "$GOTRACER" "$f" --max-report 40 --tcp-info 2>&1)
		if [ $? -eq 0 ]; then
			t_ok "$(tail -1 <<<"$out")"
		else
			t_fail "$(basename "$f") fields equal tshark's" "$out"
		fi
	done
}

# Wireshark's relative sequence numbers and window scaling on crafted connections:
# no handshake, one side without window scaling, RST, a reused 5-tuple, wrap-around
test_tcp_edges_like_tshark() {
	local f=$work/tcp-edges.pcap out rc factors
	/usr/bin/python3 tests/golden/tcp_edges.py "$f" || { t_fail "tcp_edges.py" "failed"; return; }
	out=$("${COMPARE[@]}" "$GOTRACER" "$f" --tcp-info 2>&1); rc=$?
	# the cases reach every kind of scale factor: unknown, none, and shifts up to 14
	factors=$(tshark -r "$f" -T fields -e tcp.window_size_scalefactor 2>/dev/null | sort -u | tr '\n' ' ')
	if [ $rc -eq 0 ] && [ "$factors" = " -1 -2 128 16384 2 4 512 8 " ]; then
		t_ok "$(tail -1 <<<"$out")"
	else
		t_fail "TCP numbering edge cases equal tshark's" "$out; scale factors: $factors"
	fi
}

# IP reassembly as tshark's default (ip.defragment, ipv6.defragment on): the fragment
# lists, the rebuilt datagram's fields, the Info column of every frame; frag.pcap
# (pings), defrag.pcap (UDP of 4000 bytes, a 3 KB DNS answer, IPv4 and IPv6) and
# defrag-reordered.pcap (the same fragments reordered, duplicated, overlapping, lost)
test_defragmentation_like_tshark() {
	local f out rc got want fields=ip.fragment,ip.fragment.count,ip.reassembled.length
	fields+=,ip.fragment.overlap,ipv6.fragment,ipv6.fragment.count,ipv6.reassembled.length
	fields+=,ipv6.fragment.overlap,udp.length,data.len,icmp.type,icmpv6.type,icmp.seq
	fields+=,dns.qry.name,dns.count.answers,dns.txt,dns.resp.len,ip.reassembled_in
	for f in "$CAPS"/frag.pcap "$CAPS"/defrag.pcap "$CAPS"/defrag-reordered.pcap; do
		out=$("${COMPARE[@]}" "$GOTRACER" "$f" --fields "$fields" 2>&1); rc=$?
		# the lists themselves, so that a reassembly that never happens cannot pass
		got=$("$GOTRACER" read --json "$f" | jq -r '.layers.ip["ip.fragment"] // .layers.ipv6["ipv6.fragment"] // empty | join(",")' | tr '\n' ' ')
		want=$(tshark -r "$f" -Y 'ip.fragment or ipv6.fragment' -T fields -e ip.fragment -e ipv6.fragment 2>/dev/null | tr -d '\t' | tr '\n' ' ')
		if [ $rc -eq 0 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
			t_ok "$(tail -1 <<<"$out"); fragment lists: $got"
		else
			t_fail "$(basename "$f") reassembled as tshark" "$out; lists: ours '$got' tshark '$want'"
		fi
		# Info: as tshark's, ICMP's "(request in N)" included
		got=$("$GOTRACER" read --json "$f" | jq -r .info)
		want=$(tshark -r "$f" -T fields -e _ws.col.Info 2>/dev/null)
		if [ "$got" = "$want" ]; then
			t_ok "$(basename "$f"): Info column as tshark's on every frame"
		else
			t_fail "$(basename "$f"): Info column" "$(diff <(echo "$got") <(echo "$want") | head -10)"
		fi
	done
}

test_snap_lengths() {
	local f s cut out bad rc
	for f in "$CAPS"/*.pcap; do
		for s in "${SNAPS[@]}"; do
			cut=$work/$(basename "$f" .pcap)-s$s.pcap
			editcap -s "$s" "$f" "$cut" >/dev/null 2>&1 || { t_fail "editcap -s $s $f" "failed"; continue; }
			"$GOTRACER" read --json "$cut" >"$work/cut.json" 2>"$work/cut.err"
			if [ $? -ne 0 ]; then
				t_fail "$(basename "$cut") reads" "$(cat "$work/cut.err")"
				continue
			fi
			# every frame cut short is marked truncated
			bad=$(jq -c 'select(.caplen < .len and .truncated != true) | .no' "$work/cut.json" | head -5 | tr '\n' ' ')
			out=$("${COMPARE[@]}" "$GOTRACER" "$cut" --fields "$L2L4" --where-tshark-has 2>&1)
			rc=$?
			if [ -z "$bad" ] && [ $rc -eq 0 ]; then
				t_ok "$(basename "$cut"): cut frames marked truncated, headers equal tshark's"
			else
				t_fail "$(basename "$cut")" "${bad:+unmarked truncated packets: $bad; }$out"
			fi
		done
	done
}

# read FILTER gives the packets tcpdump gives on the same file
test_filters_like_tcpdump() {
	local f expr want got
	while IFS='|' read -r f expr; do
		want=$(tcpdump -n -r "$CAPS/$f" "$expr" 2>/dev/null | wc -l)
		got=$("$GOTRACER" read "$CAPS/$f" $expr 2>&1 | wc -l)
		if [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
			t_ok "read $f '$expr': $got packets, as tcpdump"
		else
			t_fail "read $f '$expr'" "gotracer $got packets, tcpdump $want"
		fi
	done <<-'EOF'
	dns.pcap|udp port 53
	dns.pcap|tcp
	dns.pcap|ip6 and udp
	dns.pcap|src host 10.200.0.2 and udp
	http.pcap|tcp[tcpflags] & tcp-syn != 0
	http.pcap|dst port 8080 and greater 100
	http.pcapng|tcp port 8080 and not host 10.9.9.9
	icmp.pcap|icmp or icmp6
	icmp.pcap|arp
	icmp.pcap|src host 10.200.0.2
	frag.pcap|ip[6:2] & 0x1fff != 0 or ip6[6] == 44
	any.pcap|outbound
	any.pcap|inbound and udp
	tls13.pcap|portrange 4000-4500
	raw.pcap|udp port 53 and src host 10.200.0.1
	raw.pcap|ip6 or tcp
	EOF
}

# inbound/outbound on Ethernet: the direction comes from epb_flags (written by
# gotracer capture -w), which tcpdump cannot filter on; tshark is the reference
test_direction_filters_on_pcapng() {
	local f=$CAPS/gotracer-ping.pcapng d flag want got dirs
	for d in inbound:1 outbound:2; do
		flag=${d#*:}; d=${d%:*}
		want=$(tshark -r "$f" -Y "frame.packet_flags_direction == $flag && icmp" 2>/dev/null | wc -l)
		got=$("$GOTRACER" read "$f" "$d and icmp" | wc -l)
		if [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
			t_ok "read '$d' on a gotracer pcapng: $got packets, as tshark's epb_flags"
		else
			t_fail "read '$d' on a gotracer pcapng" "gotracer $got, tshark $want"
		fi
	done
	dirs=$("$GOTRACER" read --json "$f" | jq -r .dir | tr '\n' ' ')
	want=$(tshark -r "$f" -T fields -e frame.packet_flags_direction 2>/dev/null |
		sed 's/0x00000001/in/; s/0x00000002/out/' | tr '\n' ' ')
	t_eq "read --json dir follows epb_flags" "$dirs" "$want"
	# Linux cooked v2: packet type 4 (outgoing) is out, the others in
	dirs=$("$GOTRACER" read --json "$CAPS/any.pcap" | jq -r .dir | tr '\n' ' ')
	want=$(tshark -r "$CAPS/any.pcap" -T fields -e sll.pkttype 2>/dev/null |
		awk '{print $1 == 4 ? "out" : "in"}' | tr '\n' ' ')
	t_eq "read --json dir follows the SLL2 packet type" "$dirs" "$want"
}

test_read_json_numbering_under_filter() {
	# packets keep their number in the file, as in Wireshark
	local got want
	got=$("$GOTRACER" read --json "$CAPS/dns.pcap" tcp | jq -r .no | tr '\n' ' ')
	want=$(tshark -r "$CAPS/dns.pcap" -Y tcp -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
	t_eq "read --json with a filter keeps file numbers" "$got" "$want"
	got=$("$GOTRACER" read --json -c 3 "$CAPS/dns.pcap" | wc -l)
	t_eq "read -c 3 shows 3 packets" "$got" 3
}

test_damaged_files() {
	local f=$CAPS/http.pcap cut=$work/cut.pcap out rc n lines
	# cut in the middle of the 10th record
	n=$(( $(tshark -r "$f" -c 9 -T fields -e frame.cap_len 2>/dev/null | awk '{s += $1 + 16} END {print s}') + 24 + 30 ))
	head -c "$n" "$f" >"$cut"
	out=$("$GOTRACER" read "$cut" 2>"$work/err"); rc=$?
	lines=$(wc -l <"$work/err")
	if [ "$rc" -ne 0 ] && [ "$(wc -l <<<"$out")" -eq 9 ] && [ "$lines" -eq 1 ] &&
		grep -q "damaged after packet 9" "$work/err"; then
		t_ok "truncated file: 9 packets, then one line: $(cat "$work/err")"
	else
		t_fail "truncated file" "rc $rc, $(wc -l <<<"$out") packets, stderr: $(cat "$work/err")"
	fi
	for bad in /nonexistent/file.pcap "$work" tests/golden/compare.py /dev/null; do
		out=$("$GOTRACER" read "$bad" 2>&1); rc=$?
		if [ "$rc" -eq 1 ] && [ "$(wc -l <<<"$out")" -eq 1 ]; then
			t_ok "unreadable $bad: $out"
		else
			t_fail "unreadable $bad" "rc $rc: $out"
		fi
	done
	out=$("$GOTRACER" read "$CAPS/dns.pcap" 'port 80 and' 2>&1); rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "syntax error" <<<"$out"; then
		t_ok "bad filter: $out"
	else
		t_fail "bad filter" "rc $rc: $out"
	fi
}

test_compare_detects_a_difference
test_fields_equal_tshark
test_tcp_edges_like_tshark
test_defragmentation_like_tshark
test_snap_lengths
test_filters_like_tcpdump
test_read_usage() {
	local out rc got want
	for args in "" "--bogus $CAPS/dns.pcap" "-c 0 $CAPS/dns.pcap" "-c"; do
		out=$("$GOTRACER" read $args 2>&1); rc=$?
		if [ "$rc" -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ]; then
			t_ok "read $args: exit 2, one line: $out"
		else
			t_fail "read $args" "rc $rc: $out"
		fi
	done
	# "-" reads standard input, as tcpdump -r -
	got=$("$GOTRACER" read - <"$CAPS/http.pcapng" | wc -l)
	want=$(tshark -r "$CAPS/http.pcapng" 2>/dev/null | wc -l)
	t_eq "read - (a pcapng on standard input)" "$got" "$want"
}

test_direction_filters_on_pcapng
test_read_usage
test_read_json_numbering_under_filter
test_damaged_files
t_done
