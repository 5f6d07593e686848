#!/usr/bin/env bash
# Kernel counters against the truth: a TCP transfer of a known size between two
# namespaces, then `gotracer flows` (the running capture's flow map) must count
# exactly the bytes sent plus their headers, and the per-interface counters must
# equal the kernel's own (ip -s link) deltas. Also flows' own short count when no
# gotracer runs.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start flows
. tests/netns/capture_lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null; then
	t_skip flows "needs root and jq"
	t_done; exit
fi

SIZE=1000000

# ip -s link of gt0 as "rx_packets rx_bytes tx_packets tx_bytes"
link_stats() {
	in_a ip -s -j link show gt0 | jq -r '.[0].stats64 | "\(.rx.packets) \(.rx.bytes) \(.tx.packets) \(.tx.bytes)"'
}

# TCP segments namespace a has retransmitted so far
retrans_segs() { in_a nstat -az TcpRetransSegs | awk '$1 == "TcpRetransSegs" {print $2}'; }

transfer() {
	tcp_sink 5001 >"$T/sink.$1" &
	local sink=$!
	wait_port 5001 t
	tcp_send 5001 "$SIZE"
	wait $sink
	[ "$(cat "$T/sink.$1")" = "$SIZE" ]
}

test_exact_without_gso() {
	gt_topology fe || { t_fail exact "no topology"; return; }
	quiet_link
	# TCP always hands the device GSO packets; with GSO off the device splits them
	# after the tc egress hook, so ip -s link counts every frame on the wire
	in_a ethtool -K gt0 tso off gso off gro off >/dev/null 2>&1
	in_b ethtool -K gt1 tso off gso off gro off >/dev/null 2>&1
	gt_bg exact capture -i gt0 --account --json || { t_fail exact "did not attach: $(cat "$T/exact.err")"; return; }
	local s1 s2 r1 rb1 t1 tb1 r2 rb2 t2 tb2 src dst sp sb dp db flags rx tx
	s1=$(link_stats)
	local re1 re2
	re1=$(retrans_segs)
	transfer exact || { t_fail exact "the transfer failed"; return; }
	re2=$(retrans_segs)
	in_a "$GOTRACER" flows -i gt0 --json >"$T/exact.flows" 2>"$T/exact.flows.err"
	s2=$(link_stats)
	gt_stop INT || { t_fail exact "capture did not stop: $(cat "$T/exact.err")"; return; }
	read -r r1 rb1 t1 tb1 <<<"$s1"
	read -r r2 rb2 t2 tb2 <<<"$s2"
	rx=$((r2 - r1)) tx=$((t2 - t1))
	read -r src dst sp sb dp db flags <<<"$(jq -r 'select(.proto == "tcp" and .dport == 5001) |
		"\(.src) \(.dst) \(.src_packets) \(.src_bytes) \(.dst_packets) \(.dst_bytes) \(.tcp_flags)"' "$T/exact.flows")"
	t_eq exact_flow_endpoints "$src $dst" "$NETNS_A_IP $NETNS_B_IP"
	# every frame: Ethernet 14 + IPv4 20 + TCP 32 (timestamps); SYN and SYN-ACK carry 40 of TCP.
	# The only traffic on the link is this connection, so the kernel's frame counts are its frames.
	if [ "$re2" -eq "$re1" ]; then
		t_eq exact_flow_sent_bytes "${sb:-}" "$((SIZE + 74 + 66 * (tx - 1)))"
	else
		# a retransmission repeats payload: the arithmetic no longer holds, the
		# kernel's own byte count for the link still does
		t_eq "exact_flow_sent_bytes ($((re2 - re1)) retransmitted: vs ip -s link)" "${sb:-}" "$((tb2 - tb1))"
	fi
	if [ "$re2" -eq "$re1" ]; then
		t_eq exact_flow_reply_bytes "${db:-}" "$((74 + 66 * (rx - 1)))"
	else
		# after a loss the receiver's ACKs carry SACK blocks (12 more bytes each)
		t_eq "exact_flow_reply_bytes (SACKs possible: vs ip -s link)" "${db:-}" "$((rb2 - rb1))"
	fi
	t_eq exact_flow_reply_packets "${dp:-}" "$rx"
	t_eq exact_flow_flags "${flags:-}" FSPA
	# interface counters: bytes and frames as the kernel counts them
	t_eq exact_ifstats_vs_ip_link "$(jq -r '"\(.in.packets) \(.in.bytes) \(.out.gso_segs) \(.out.bytes)"' "$T/exact.out")" \
		"$rx $((rb2 - rb1)) $tx $((tb2 - tb1))"
	[ "$(jq -r .out.packets "$T/exact.out")" -eq "${sp:-x}" ] && t_ok exact_flow_vs_ifstats_packets || t_fail exact_flow_vs_ifstats_packets "flow ${sp:-} vs $(jq -r .out.packets "$T/exact.out")"
}

test_gso() {
	gt_topology fg || { t_fail gso "no topology"; return; }
	quiet_link
	gt_bg gso capture -i gt0 --account --json || { t_fail gso "did not attach"; return; }
	local s1 s2 sp sb segs
	s1=$(link_stats)
	local re1 re2
	re1=$(retrans_segs)
	transfer gso || { t_fail gso "the transfer failed"; return; }
	re2=$(retrans_segs)
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	in_a "$GOTRACER" flows -i gt0 --json >"$T/gso.flows" 2>/dev/null
	s2=$(link_stats)
	gt_stop INT || { t_fail gso "capture did not stop"; return; }
	read -r sp sb <<<"$(jq -r 'select(.dport == 5001) | "\(.src_packets) \(.src_bytes)"' "$T/gso.flows")"
	# a GSO packet is counted as the frames it becomes: each repeats the 66 header bytes
	segs=$(( (${sb:-0} - SIZE - 74) / 66 + 1 ))
	# a retransmission (a tail-loss probe on a loaded machine) repeats part of a
	# segment: the bytes are then no longer SIZE plus whole frames' headers
	if [ "$re2" -ne "$re1" ]; then
		t_skip gso_bytes_whole_frames "$((re2 - re1)) segments retransmitted during the transfer"
	else
		t_eq gso_bytes_whole_frames "$(( (${sb:-0} - SIZE - 74) % 66 ))" 0
	fi
	[ "$segs" -ge $((SIZE / 65483)) ] && [ "$segs" -ge "${sp:-0}" ] && t_ok gso_segments || t_fail gso_segments "$segs frames for ${sp:-0} packets"
	# packets (skbs) still equal the kernel's count, bytes are wire bytes, so at least the skbs'
	local got r1 rb1 t1 tb1 r2 rb2 t2 tb2
	read -r r1 rb1 t1 tb1 <<<"$s1"
	read -r r2 rb2 t2 tb2 <<<"$s2"
	got=$(jq -r '"\(.in.packets) \(.out.packets)"' "$T/gso.out")
	t_eq gso_icmp_flow "$(jq -r 'select(.proto == "icmp") | "\(.src_packets) \(.dst_packets) \(.src_bytes) \(.dst_bytes)"' "$T/gso.flows")" "3 3 294 294"
	t_eq gso_packets_vs_ip_link "$got" "$((r2 - r1)) $((t2 - t1))"
	[ "$(jq -r .out.bytes "$T/gso.out")" -ge $((tb2 - tb1)) ] && t_ok gso_wire_bytes || t_fail gso_wire_bytes "fewer bytes than the skbs carried"
}

test_flows_counts_alone() {
	gt_topology fa || { t_fail alone "no topology"; return; }
	quiet_link
	ip netns exec "$NETNS_P-a" "$GOTRACER" flows -i gt0 -t 3 --json >"$T/alone.out" 2>"$T/alone.err" &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
	local i
	for i in $(seq 50); do grep -qs "counting flows" "$T/alone.err" && break; sleep 0.1; done
	grep -q "no gotracer is capturing on gt0: counting flows for 3 s" "$T/alone.err" && t_ok alone_says_so || t_fail alone_says_so "$(cat "$T/alone.err")"
	udp_echo_server 7000
	wait_port 7000 u
	udp_send 7000 hello >/dev/null
	gt_wait 10 || { t_fail alone "flows did not end"; return; }
	t_eq alone_udp_flow "$(jq -r 'select(.dport == 7000) | "\(.src) \(.src_packets) \(.src_bytes) \(.dst_packets) \(.dst_bytes)"' "$T/alone.out")" "$NETNS_A_IP 1 47 1 47"
	gt_attached && t_fail alone_detached "programs left on gt0" || t_ok alone_detached
}

test_flows_errors() {
	local err rc
	err=$("$GOTRACER" flows -i nosuch0 2>&1); rc=$?
	[ $rc -ne 0 ] && [ "$err" = "gotracer: no such interface 'nosuch0'" ] && t_ok flows_unknown_iface || t_fail flows_unknown_iface "rc=$rc '$err'"
	err=$("$GOTRACER" flows 2>&1); rc=$?
	[ $rc -eq 2 ] && t_ok flows_needs_iface || t_fail flows_needs_iface "rc=$rc '$err'"
	err=$("$GOTRACER" flows -i lo -t 0 2>&1); rc=$?
	[ $rc -eq 2 ] && [[ $err == "gotracer: bad time '0'"* ]] && t_ok flows_bad_time || t_fail flows_bad_time "rc=$rc '$err'"
}

test_exact_without_gso
test_gso
test_flows_counts_alone
test_flows_errors
t_done
